namespace TagOlym.Core.Models;

/// <summary>A model file that cannot be used: not a TagOlym model, corrupted, truncated, or from a newer format.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelFormatException()
    {
    }
}
