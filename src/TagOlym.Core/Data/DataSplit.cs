namespace TagOlym.Core.Data;

/// <summary>The part of a split that a row goes to.</summary>
public enum SplitPart : byte
{
    Train = 0,
    Validation = 1,
    Test = 2,
}

/// <summary>The shares of a train/validation/test split; they must be non-negative and add up to 1.</summary>
public readonly record struct SplitFractions
{
    public SplitFractions(double train, double validation, double test)
    {
        if (!(train >= 0) || !(validation >= 0) || !(test >= 0) || Math.Abs(train + validation + test - 1) > 1e-9)
        {
            throw new ArgumentException($"split fractions must be non-negative and add up to 1, not {train} + {validation} + {test}");
        }

        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>70 / 15 / 15, the anchor's split.</summary>
    public static SplitFractions Default => new(0.7, 0.15, 0.15);

    public double Train { get; }

    public double Validation { get; }

    public double Test { get; }

    /// <summary>The anchor's form: the train share, the rest halved between validation and test.</summary>
    public static SplitFractions FromTrainSize(double train) => new(train, (1 - train) / 2, (1 - train) / 2);

    public double this[SplitPart part] => part switch
    {
        SplitPart.Train => Train,
        SplitPart.Validation => Validation,
        SplitPart.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(part)),
    };

    internal double[] ToArray() => [Train, Validation, Test];
}

/// <summary>Which part each row of a dataset goes to: every row in exactly one part.</summary>
public sealed class DataSplit
{
    private readonly SplitPart[] _parts;

    public DataSplit(IEnumerable<SplitPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = [.. parts];
        foreach (var part in _parts)
        {
            if (part is not (SplitPart.Train or SplitPart.Validation or SplitPart.Test))
            {
                throw new ArgumentException($"{part} is not a split part", nameof(parts));
            }
        }
    }

    /// <summary>How many rows the split covers.</summary>
    public int Count => _parts.Length;

    public SplitPart this[int row] => _parts[row];

    /// <summary>The part of every row, in row order.</summary>
    public IReadOnlyList<SplitPart> Parts => _parts;

    /// <summary>How many rows went to a part.</summary>
    public int CountOf(SplitPart part) => _parts.Count(p => p == part);

    /// <summary>The rows of one part, ascending (to pass to <see cref="LabeledDataset.Subset"/>).</summary>
    public int[] RowsOf(SplitPart part)
    {
        var rows = new List<int>();
        for (var i = 0; i < _parts.Length; i++)
        {
            if (_parts[i] == part)
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }
}
