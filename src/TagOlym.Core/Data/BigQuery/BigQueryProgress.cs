namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// Where an extraction is: the job still running (<see cref="JobComplete"/> false), or pages fetched and rows
/// written so far out of <see cref="TotalRows"/> (BigQuery's count, known once the job is complete).
/// </summary>
public readonly record struct BigQueryProgress(string JobId, bool JobComplete, int Pages, long Rows, long? TotalRows, TimeSpan Elapsed);
