namespace TagOlym.Core.Labels;

/// <summary>A taxonomy file that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class TaxonomyFormatException : FormatException
{
    public TaxonomyFormatException()
    {
        SourceName = string.Empty;
    }

    public TaxonomyFormatException(string message)
        : base(message)
    {
        SourceName = string.Empty;
    }

    public TaxonomyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
    }

    public TaxonomyFormatException(string source, string problem, Exception? innerException = null)
        : base($"taxonomy '{source}': {problem}", innerException)
    {
        SourceName = source;
    }

    /// <summary>The file (or other source) the taxonomy was read from.</summary>
    public string SourceName { get; }
}
