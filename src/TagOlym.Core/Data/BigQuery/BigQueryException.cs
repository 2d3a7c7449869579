namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// A BigQuery extraction failed in a way the user can act on: a missing or malformed key, a refused credential,
/// a missing permission or table, an exhausted quota, a failed query job. The message is one line that says what
/// went wrong and, where it can, what to do.
/// </summary>
public class BigQueryException : Exception
{
    public BigQueryException()
    {
    }

    public BigQueryException(string message)
        : base(message)
    {
    }

    public BigQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
