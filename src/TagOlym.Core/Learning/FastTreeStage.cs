using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <summary>The settings of ML.NET's FastTree (gradient-boosted trees, logistic loss) in the second stage.</summary>
/// <param name="Folds">How many parts the training posts are cut into for the out-of-fold member scores the stage
/// learns from (see <see cref="Training.LearnStage.OutOfFold"/>).</param>
/// <param name="ScoredFolds">How many of those parts get out-of-fold scores (null: all): each costs one fit of
/// every member on the other parts, and the stage learns from the posts of the scored parts only.</param>
public sealed record FastTreeStageOptions(int Trees = 100, int Leaves = 16, int Folds = 5, int MinLeafRows = 50, double LearningRate = 0.1, int Seed = 42, int? ScoredFolds = null)
{
    /// <summary>How many folds get out-of-fold scores.</summary>
    public int FoldsToScore => ScoredFolds ?? Folds;

    public void Validate()
    {
        if (Trees is < 1 or > 10_000 || Leaves is < 2 or > 64 || Folds is < 2 or > 20 || MinLeafRows < 1 || !(LearningRate > 0) || LearningRate > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Trees), $"stage_trees must be 1..10000, stage_leaves 2..64, stage_folds 2..20 and stage_learning_rate in (0, 1]; got {Trees}, {Leaves}, {Folds} and {LearningRate}");
        }

        if (ScoredFolds is { } scored && (scored < 1 || scored > Folds))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ScoredFolds), $"stage_scored_folds must be 1..stage_folds ({Folds}) or null for all; got {scored}");
        }
    }
}

/// <summary>
/// The second stage: per label, an ML.NET FastTree binary classifier over a post's stage features (the members'
/// standardized scores of every label, so a label can learn from the others': circle from geometry). Trained with
/// <see cref="MLContext"/> on out-of-fold scores and kept as ML.NET's own model bytes (one zip per label, none for
/// a label without a stage), which is what the model file stores. For scoring, the trees are read out of the
/// loaded ML.NET model and laid out for the QuickScorer way (see <see cref="TreeEnsemble"/>): scoring a post
/// allocates nothing, and any number of threads may score at once (an ML.NET <c>PredictionEngine</c> is neither).
/// </summary>
public sealed class FastTreeStage
{
    private readonly TreeEnsemble?[] _ensembles;

    private FastTreeStage(int featureCount, byte[]?[] models, TreeEnsemble?[] ensembles)
    {
        FeatureCount = featureCount;
        Models = models;
        _ensembles = ensembles;
    }

    /// <summary>How many stage features a post has.</summary>
    public int FeatureCount { get; }

    /// <summary>Each label's ML.NET model (zip bytes), or null when the label has no stage.</summary>
    public IReadOnlyList<byte[]?> Models { get; }

    public int LabelCount => _ensembles.Length;

    public bool Covers(int label) => _ensembles[label] is not null;

    /// <summary>Trains one FastTree per label in <paramref name="labelsToTrain"/> (all when null), labels in parallel.</summary>
    /// <param name="features">One row of <see cref="FeatureCount"/> stage features per training post.</param>
    public static FastTreeStage Train(
        IReadOnlyList<float[]> features,
        LabelMatrix truth,
        FastTreeStageOptions options,
        IReadOnlyList<bool>? labelsToTrain = null,
        int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features.Count != truth.Rows || features.Count == 0)
        {
            throw new ArgumentException($"{features.Count} feature rows but {truth.Rows} label rows", nameof(features));
        }

        var featureCount = features[0].Length;
        if (featureCount == 0 || features.Any(f => f.Length != featureCount))
        {
            throw new ArgumentException("every row needs the same, non-zero number of stage features", nameof(features));
        }

        var models = new byte[]?[truth.Labels];
        Parallel.For(
            0,
            truth.Labels,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount, CancellationToken = cancellationToken },
            l =>
            {
                if (labelsToTrain is null || labelsToTrain[l])
                {
                    models[l] = TrainLabel(features, truth, l, featureCount, options);
                }
            });
        return Load(featureCount, models);
    }

    /// <summary>A stage from saved ML.NET models; throws <see cref="InvalidDataException"/> when one is not a
    /// FastTree binary model over <paramref name="featureCount"/> features.</summary>
    public static FastTreeStage Load(int featureCount, IReadOnlyList<byte[]?> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var ensembles = new TreeEnsemble?[models.Count];
        for (var l = 0; l < models.Count; l++)
        {
            ensembles[l] = models[l] is { } bytes ? TreeEnsemble.FromMlNet(bytes, featureCount, l) : null;
        }

        return new FastTreeStage(featureCount, [.. models], ensembles);
    }

    /// <summary>The stage as a model-file section: the feature count, then per label a presence flag and its
    /// ML.NET model bytes (length-prefixed).</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(FeatureCount);
        writer.Write7BitEncodedInt(Models.Count);
        foreach (var model in Models)
        {
            writer.Write(model is not null);
            if (model is not null)
            {
                writer.Write7BitEncodedInt(model.Length);
                writer.Write(model);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a section that is cut short or holds a model ML.NET
    /// cannot read is an <see cref="InvalidDataException"/> naming the label.</summary>
    public static FastTreeStage Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var featureCount = reader.Read7BitEncodedInt();
            var labels = reader.Read7BitEncodedInt();
            if (featureCount < 1 || labels < 1)
            {
                throw new InvalidDataException($"the second stage declares {featureCount} features and {labels} labels");
            }

            var models = new byte[]?[labels];
            for (var l = 0; l < labels; l++)
            {
                if (reader.ReadBoolean())
                {
                    var length = reader.Read7BitEncodedInt();
                    models[l] = length > 0 ? reader.ReadBytes(length) : throw new InvalidDataException($"the second stage's model of label {l} is empty");
                    if (models[l]!.Length != length)
                    {
                        throw new InvalidDataException($"the second stage's model of label {l} is cut short");
                    }
                }
            }

            return Load(featureCount, models);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"the second stage's section is cut short or malformed ({e.Message})", e);
        }
    }

    /// <summary>The same stage without the labels not in <paramref name="keep"/>.</summary>
    public FastTreeStage Restrict(IReadOnlyList<bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var models = Models.Select((m, l) => keep[l] ? m : null).ToArray();
        var ensembles = _ensembles.Select((e, l) => keep[l] ? e : null).ToArray();
        return new FastTreeStage(FeatureCount, models, ensembles);
    }

    /// <summary>The stage's raw score (log-odds) for a label the stage covers.</summary>
    public double Score(int label, ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} stage features, got {features.Length}", nameof(features));
        }

        return (_ensembles[label] ?? throw new InvalidOperationException($"the stage does not cover label {label}")).Score(features);
    }

    private static byte[] TrainLabel(IReadOnlyList<float[]> features, LabelMatrix truth, int label, int featureCount, FastTreeStageOptions options)
    {
        var context = new MLContext(options.Seed);
        var schema = SchemaDefinition.Create(typeof(StageRow));
        schema[nameof(StageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var rows = features.Select((f, r) => new StageRow { Label = truth[r, label], Features = f });
        var data = context.Data.LoadFromEnumerable(rows, schema);
        var trainer = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(StageRow.Label),
            FeatureColumnName = nameof(StageRow.Features),
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinLeafRows,
            LearningRate = options.LearningRate,

            // one thread per label (labels run in parallel), which also makes the trees reproducible
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    /// <summary>One training row as ML.NET reads it.</summary>
    private sealed class StageRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    /// <summary>
    /// One label's boosted trees, <c>bias + sum of weight(t) * leaf(t, x)</c>, scored the QuickScorer way (Lucchese
    /// et al., SIGIR 2015) rather than by walking each tree: a tree's leaves are numbered left to right, and each
    /// split owns a mask that clears the leaves of its left side. For every feature, the splits on it are sorted by
    /// threshold, so the splits a post goes right at (<c>x &gt; threshold</c>) are a prefix of that list; clearing their
    /// masks from each tree's bits leaves the post's leaf as the tree's lowest bit still set. That costs a pass over
    /// the splits a post fails, with no walk down a tree (the shipped stage, 9 labels x 100
    /// trees: about 12 µs a post, walking them took 20 µs).
    /// </summary>
    private sealed class TreeEnsemble
    {
        /// <summary>One split as scoring reads it: its tree, and the mask that clears the leaves of its left side.</summary>
        private readonly record struct Split(float Threshold, int Tree, ulong Mask);

        /// <summary>Leaves a tree may have: one bit each in a 64-bit mask.</summary>
        public const int MaxLeaves = 64;

        /// <summary>The features some split reads, each with its range in <see cref="_splits"/>.</summary>
        private readonly (int Feature, int Start, int End)[] _features;
        private readonly Split[] _splits;
        private readonly int[] _leafStart;

        /// <summary>Each leaf's value times its tree's weight: the product the sum adds, computed once.</summary>
        private readonly double[] _weightedLeafValue;
        private readonly double _bias;

        private TreeEnsemble(RegressionTreeEnsemble ensemble, int featureCount)
        {
            var trees = ensemble.Trees;
            var splits = new List<(int Feature, float Threshold, int Tree, ulong Mask)>();
            _leafStart = new int[trees.Count + 1];
            for (var t = 0; t < trees.Count; t++)
            {
                _leafStart[t + 1] = _leafStart[t] + trees[t].NumberOfLeaves;
            }

            _weightedLeafValue = new double[_leafStart[^1]];
            for (var t = 0; t < trees.Count; t++)
            {
                var tree = trees[t];
                var weight = ensemble.TreeWeights[t];
                if (tree.CategoricalSplitFlags.Any(c => c))
                {
                    throw new InvalidDataException("the stage's trees split on categories, which TagOlym does not score");
                }

                if (tree.NumberOfLeaves > MaxLeaves)
                {
                    throw new InvalidDataException($"a tree of the stage has {tree.NumberOfLeaves} leaves, more than the {MaxLeaves} TagOlym scores");
                }

                if (tree.NumberOfNodes == 0)
                {
                    _weightedLeafValue[_leafStart[t]] = weight * tree.LeafValues[0];
                    continue;
                }

                var nextLeaf = 0;

                // numbers the leaves under a node left to right (ML.NET numbers a leaf ~child), records each split's
                // mask, and returns the range of leaf numbers under the node
                (int First, int End) Number(int node)
                {
                    if (node < 0)
                    {
                        _weightedLeafValue[_leafStart[t] + nextLeaf] = weight * tree.LeafValues[~node];
                        return (nextLeaf, ++nextLeaf);
                    }

                    var left = Number(tree.LeftChild[node]);
                    var right = Number(tree.RightChild[node]);
                    var leftLeaves = ((1UL << (left.End - left.First)) - 1) << left.First; // at most 63 leaves on one side
                    splits.Add((tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node], t, ~leftLeaves));
                    return (left.First, right.End);
                }

                Number(0);
            }

            if (splits.Any(s => s.Feature < 0 || s.Feature >= featureCount))
            {
                throw new InvalidDataException($"it reads features beyond the {featureCount} it is given");
            }

            // by feature, then threshold; ties keep tree order, which does not matter (the masks commute)
            var ordered = splits.OrderBy(s => s.Feature).ThenBy(s => s.Threshold).ToArray();
            _splits = [.. ordered.Select(s => new Split(s.Threshold, s.Tree, s.Mask))];
            _features = [.. ordered.Select((s, i) => (s.Feature, i)).GroupBy(s => s.Feature).Select(g => (g.Key, g.First().i, g.Last().i + 1))];
            _bias = ensemble.Bias;
        }

        /// <summary>How many trees the ensemble adds.</summary>
        private int TreeCount => _leafStart.Length - 1;

        public static TreeEnsemble FromMlNet(byte[] zip, int featureCount, int label)
        {
            try
            {
                using var stream = new MemoryStream(zip, writable: false);
                var transformer = new MLContext().Model.Load(stream, out _);
                var parameters = (transformer as ISingleFeaturePredictionTransformer<object>)?.Model;
                var trees = parameters switch
                {
                    CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated => calibrated.SubModel.TrainedTreeEnsemble,
                    FastTreeBinaryModelParameters plain => plain.TrainedTreeEnsemble,
                    _ => throw new InvalidDataException($"it holds a {parameters?.GetType().Name ?? "transformer"}, not a FastTree binary model"),
                };
                return new TreeEnsemble(trees, featureCount);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"the second stage's model of label {label} is unusable: {e.Message}", e);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"the second stage's model of label {label} is not a readable ML.NET model ({e.Message})", e);
            }
        }

        /// <summary>The trees' leaves added in tree order, as walking them one by one would add them.</summary>
        public double Score(ReadOnlySpan<float> features)
        {
            var trees = TreeCount;
            var rented = trees > 256 ? ArrayPool<ulong>.Shared.Rent(trees) : null;
            var leaves = rented is null ? stackalloc ulong[trees] : rented.AsSpan(0, trees);
            leaves.Fill(ulong.MaxValue);
            ref var leaf = ref MemoryMarshal.GetReference(leaves);
            ref var split = ref MemoryMarshal.GetArrayDataReference(_splits);
            foreach (var (feature, start, end) in _features)
            {
                var x = features[feature];

                // a split sends the post right unless x <= threshold (so NaN goes right at every split, as in ML.NET);
                // the indices come from the constructor, which checked them, hence no bounds checks here
                for (var i = start; i < end; i++)
                {
                    ref readonly var s = ref Unsafe.Add(ref split, i);
                    if (x <= s.Threshold)
                    {
                        break;
                    }

                    Unsafe.Add(ref leaf, s.Tree) &= s.Mask;
                }
            }

            var sum = _bias;
            ref var value = ref MemoryMarshal.GetArrayDataReference(_weightedLeafValue);
            for (var t = 0; t < trees; t++)
            {
                sum += Unsafe.Add(ref value, _leafStart[t] + BitOperations.TrailingZeroCount(Unsafe.Add(ref leaf, t)));
            }

            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }

            return sum;
        }
    }
}
