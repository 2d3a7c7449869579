using TagOlym.Core.Data;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Training;

/// <summary>The validation report and the clean labeled posts it accepted.</summary>
public sealed record ValidatedData(ValidationReport Report, LabeledDataset Dataset);

/// <summary>
/// Steps 1 and 2 of the flow, source and validate: reads the records (<see cref="PostReader"/>), maps their tags to
/// labels (<see cref="RecordLabels"/>), judges them (<see cref="DataValidator"/>) and keeps the clean ones
/// (<see cref="LabeledDatasetBuilder"/>), in one streaming pass.
/// </summary>
public static class ValidateStage
{
    /// <exception cref="DataValidationException">The report has errors (the exception carries it).</exception>
    public static ValidatedData Run(string path, Taxonomy taxonomy, ValidationRules? rules = null, CancellationToken cancellationToken = default)
    {
        using var reader = PostReader.Open(path);
        var validated = Read(reader, taxonomy, rules, cancellationToken);
        validated.Report.ThrowIfErrors();
        return validated;
    }

    /// <summary>Validates every remaining record of a reader; bad data never throws here, the report says it.</summary>
    public static ValidatedData Read(PostReader reader, Taxonomy taxonomy, ValidationRules? rules = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(taxonomy);
        var validator = new DataValidator(taxonomy, rules);
        var clean = new LabeledDatasetBuilder(taxonomy);
        var labels = new bool[taxonomy.Labels.Count];
        var rows = 0;
        while (reader.ReadNext() is { } record)
        {
            if ((++rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (validator.Add(record, RecordLabels.Map(taxonomy, record, labels)))
            {
                clean.Add(record, labels);
            }
        }

        return new ValidatedData(validator.Complete(reader.SourceName, reader.Format, reader.IsGzip), clean.Build());
    }
}
