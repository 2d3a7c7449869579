using TagOlym.Core.Data;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Data;

/// <summary>
/// mse-questions read and validated once (a few seconds) for every test that needs the real corpus; the tests
/// that use it are in the "mse-questions" collection.
/// </summary>
public sealed class MseFixture
{
    public MseFixture()
    {
        var result = ValidateStage.Run(SharedData.Path("data", "mse-questions.jsonl.gz"), Core.Labels.Taxonomy.Default);
        Report = result.Report;
        Dataset = result.Dataset;
    }

    public ValidationReport Report { get; }

    public LabeledDataset Dataset { get; }
}

[CollectionDefinition(Name)]
public sealed class MseQuestions : ICollectionFixture<MseFixture>
{
    public const string Name = "mse-questions";
}
