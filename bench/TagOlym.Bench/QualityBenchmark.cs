using System.Diagnostics;
using System.Globalization;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Text;

namespace TagOlym.Bench;

/// <summary>
/// The quality experiments of the ensemble issue on the fixed split: fits each named member once (on train, and
/// on five folds of train for out-of-fold scores), caches its validation, test and out-of-fold scores, then
/// measures combinations (z-scored average, thresholds on validation) and the FastTree second stage on test.
/// </summary>
internal static class QualityBenchmark
{
    private const int Folds = 5;

    /// <summary>A member: which features it reads and how it learns from them.</summary>
    private sealed record Member(string Features, Func<SparseRow[], LabelMatrix, int, LinearModel> Fit);

    private static readonly TfidfOptions Words = new(NgramMax: 2, MinDf: 2, SublinearTf: true);

    private static readonly SgdOptions Svm = new()
    {
        Loss = SgdLoss.Hinge, Alpha = 2e-5, L1Ratio = 0, BalancedClassWeight = false, EarlyStopping = false, MaxIterations = 50,
    };

    // config/args_best.json's learner
    private static readonly SgdOptions Logistic = new()
    {
        Loss = SgdLoss.LogLoss, Alpha = 3e-6, L1Ratio = 0, BalancedClassWeight = false, EarlyStopping = false, MaxIterations = 25,
        Tolerance = double.NegativeInfinity, AverageFrom = 1,
    };

    private static readonly Dictionary<string, Member> Members = new(StringComparer.Ordinal)
    {
        ["plain"] = new("repeat2", (x, y, f) => OneVsRestSgd.Fit(x, y, f, Logistic)),
        ["log"] = new("block0.5", (x, y, f) => OneVsRestSgd.Fit(x, y, f, Logistic)),
        ["svm"] = new("block0.5", (x, y, f) => OneVsRestSgd.Fit(x, y, f, Svm)),
        ["svm-noblock"] = new("words", (x, y, f) => OneVsRestSgd.Fit(x, y, f, Svm)),
        ["svm-block1"] = new("block1", (x, y, f) => OneVsRestSgd.Fit(x, y, f, Svm)),
        ["nb"] = new("block0.5", (x, y, f) => NbLogisticRegression.Fit(x, y, f, new NbLogisticOptions(C: 4, Epochs: 15))),
        ["nb-c1"] = new("block0.5", (x, y, f) => NbLogisticRegression.Fit(x, y, f, new NbLogisticOptions(C: 1, Epochs: 15))),
        ["nb-e8"] = new("block0.5", (x, y, f) => NbLogisticRegression.Fit(x, y, f, new NbLogisticOptions(C: 4, Epochs: 8))),
    };

    public static int Run(string[] args)
    {
        var data = BenchSupport.Option(args, "--data") ?? BenchSupport.SharedDataFile("mse-questions.jsonl.gz");
        var cache = BenchSupport.Option(args, "--cache") ?? Path.Combine(Path.GetTempPath(), "tagolym-quality");
        var members = (BenchSupport.Option(args, "--members") ?? "plain,svm,nb,log").Split(',');
        var stageMembers = BenchSupport.Option(args, "--stage")?.Split(',');
        var oof = args.Contains("--oof") || stageMembers is not null;
        Directory.CreateDirectory(cache);
        foreach (var name in members.Concat(stageMembers ?? []))
        {
            if (!Members.ContainsKey(name))
            {
                Console.Error.WriteLine($"unknown member '{name}'; known: {string.Join(", ", Members.Keys)}");
                return 2;
            }
        }

        var clock = Stopwatch.StartNew();
        var corpus = Corpus.Load(data);
        Console.WriteLine($"loaded and preprocessed {corpus.Ids.Length} posts in {clock.Elapsed.TotalSeconds:F1} s (train {corpus.Train.Length}, val {corpus.Val.Length}, test {corpus.Test.Length})");

        var scores = new Dictionary<string, MemberScores>(StringComparer.Ordinal);
        foreach (var name in members.Concat(stageMembers ?? []).Distinct())
        {
            scores[name] = MemberScores.LoadOrFit(cache, name, Members[name], corpus, oof && (stageMembers?.Contains(name) ?? true));
        }

        Console.WriteLine();
        Console.WriteLine($"{"members",-28} {"val wF1",8} {"test wF1",8} {"test P",7} {"micro",7}  per-label test F1 ({string.Join(", ", corpus.Labels.Names)})");
        var plain = scores.TryGetValue("plain", out var p) ? Evaluate(corpus, [p], null).Test : null;
        foreach (var subset in Subsets(members))
        {
            var result = Evaluate(corpus, [.. subset.Select(n => scores[n])], null);
            Print(string.Join('+', subset), result, plain);
        }

        if (stageMembers is not null)
        {
            var set = stageMembers.Select(n => scores[n]).ToArray();
            var stageClock = Stopwatch.StartNew();
            var stage = TrainStage(corpus, set);
            Console.WriteLine($"stage trained in {stageClock.Elapsed.TotalSeconds:F1} s");
            foreach (var mode in new[] { "member", "choose" })
            {
                var result = Evaluate(corpus, set, (stage, mode));
                Print($"{string.Join('+', stageMembers)}+stage:{mode}", result, plain);
            }
        }

        return 0;
    }

    private static IEnumerable<string[]> Subsets(string[] members)
    {
        for (var mask = 1; mask < 1 << members.Length; mask++)
        {
            yield return [.. members.Where((_, i) => (mask & (1 << i)) != 0)];
        }
    }

    private static void Print(string name, (EvaluationReport Val, EvaluationReport Test) result, EvaluationReport? plain)
    {
        var perLabel = string.Join(" ", result.Test.Class.Select(c =>
        {
            var delta = plain is null ? "" : (c.Value.F1 - plain.Class[c.Key].F1 < -0.01 ? "!" : "");
            return string.Create(CultureInfo.InvariantCulture, $"{c.Value.F1:F3}{delta}");
        }));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-28} {result.Val.Overall.F1,8:F4} {result.Test.Overall.F1,8:F4} {result.Test.Overall.Precision,7:F3} {result.Test.Micro.F1,7:F4}  {perLabel}"));
    }

    /// <summary>Combined scores -> thresholds on validation -> metrics on validation and test.</summary>
    private static (EvaluationReport Val, EvaluationReport Test) Evaluate(Corpus corpus, MemberScores[] set, (StageScores Stage, string Mode)? stage)
    {
        var combiner = ZScoreCombiner.Fit([.. set.Select(s => s.Val)]);
        var val = Combine(combiner, set, s => s.Val);
        var test = Combine(combiner, set, s => s.Test);
        if (stage is { } st)
        {
            (val, test) = st.Stage.Apply(val, test, corpus.TruthOf(corpus.Val), st.Mode);
        }

        var thresholds = Thresholds(val, corpus.TruthOf(corpus.Val));
        return (
            Evaluator.Evaluate(corpus.TruthOf(corpus.Val), Decide(val, thresholds), corpus.Labels),
            Evaluator.Evaluate(corpus.TruthOf(corpus.Test), Decide(test, thresholds), corpus.TextsOf(corpus.Test), corpus.Labels));
    }

    private static double[][] Combine(ZScoreCombiner combiner, MemberScores[] set, Func<MemberScores, double[][]> part)
    {
        var rows = part(set[0]).Length;
        var labels = combiner.LabelCount;
        var combined = new double[rows][];
        var all = new double[set.Length * labels];
        for (var r = 0; r < rows; r++)
        {
            for (var m = 0; m < set.Length; m++)
            {
                part(set[m])[r].CopyTo(all, m * labels);
            }

            combined[r] = new double[labels];
            combiner.Combine(all, combined[r]);
        }

        return combined;
    }

    internal static double[] Thresholds(double[][] scores, LabelMatrix truth)
    {
        var thresholds = new double[truth.Labels];
        for (var l = 0; l < thresholds.Length; l++)
        {
            var labelScores = scores.Select(s => s[l]).ToArray();
            var labelTruth = Enumerable.Range(0, truth.Rows).Select(r => truth[r, l]).ToArray();
            thresholds[l] = ThresholdTuner.Tune(labelScores, labelTruth, SgdLoss.Hinge, new ThresholdOptions());
        }

        return thresholds;
    }

    internal static LabelMatrix Decide(double[][] scores, double[] thresholds)
    {
        var predicted = new LabelMatrix(scores.Length, thresholds.Length);
        for (var r = 0; r < scores.Length; r++)
        {
            for (var l = 0; l < thresholds.Length; l++)
            {
                predicted[r, l] = scores[r][l] > thresholds[l];
            }
        }

        return predicted;
    }

    /// <summary>
    /// Stage features of a post: each member's z-scored score of every label, then the members' mean z-score of
    /// every label. Out-of-fold scores are z-scored with their own statistics, validation and test scores with the
    /// validation statistics (what the combiner serves with).
    /// </summary>
    private static StageScores TrainStage(Corpus corpus, MemberScores[] set)
    {
        var labels = corpus.Labels.Count;
        var oofCombiner = ZScoreCombiner.Fit([.. set.Select(s => s.Oof!)]);
        var valCombiner = ZScoreCombiner.Fit([.. set.Select(s => s.Val)]);
        float[][] Features(ZScoreCombiner combiner, Func<MemberScores, double[][]> part)
        {
            var rows = part(set[0]).Length;
            var features = new float[rows][];
            var z = new double[labels];
            for (var r = 0; r < rows; r++)
            {
                features[r] = new float[(set.Length + 1) * labels];
                for (var m = 0; m < set.Length; m++)
                {
                    combiner.Standardize(m, part(set[m])[r], z);
                    for (var l = 0; l < labels; l++)
                    {
                        features[r][(m * labels) + l] = (float)z[l];
                        features[r][(set.Length * labels) + l] += (float)(z[l] / set.Length);
                    }
                }
            }

            return features;
        }

        var trainFeatures = Features(oofCombiner, s => s.Oof!);
        var stage = FastTreeStage.Train(trainFeatures, corpus.TruthOf(corpus.Train), new FastTreeStageOptions());
        double[][] Score(float[][] features) => [.. features.Select(f => Enumerable.Range(0, labels).Select(l => stage.Score(l, f)).ToArray())];
        return new StageScores(Score(Features(valCombiner, s => s.Val)), Score(Features(valCombiner, s => s.Test)));
    }

    private sealed record StageScores(double[][] Val, double[][] Test)
    {
        /// <summary>
        /// "member": the stage's z-score averaged with the members' combined z-score (equal weight, for every
        /// label); "choose": per label, whichever of members / members+stage / stage alone has the best
        /// validation F1 at its own tuned threshold.
        /// </summary>
        public (double[][] Val, double[][] Test) Apply(double[][] val, double[][] test, LabelMatrix valTruth, string mode)
        {
            var labels = valTruth.Labels;
            var stageCombiner = ZScoreCombiner.Fit([Val]);
            var baseCombiner = ZScoreCombiner.Fit([val]);
            double[][] Mix(double[][] baseScores, double[][] stageScores, double wBase, double wStage) =>
                [.. baseScores.Select((b, r) =>
                {
                    var mixed = new double[labels];
                    var zb = new double[labels];
                    var zs = new double[labels];
                    baseCombiner.Standardize(0, b, zb);
                    stageCombiner.Standardize(0, stageScores[r], zs);
                    for (var l = 0; l < labels; l++)
                    {
                        mixed[l] = ((wBase * zb[l]) + (wStage * zs[l])) / (wBase + wStage);
                    }

                    return mixed;
                })];
            var half = (Mix(val, Val, 1, 1), Mix(test, Test, 1, 1));
            if (mode == "member")
            {
                return half;
            }

            var alone = (Mix(val, Val, 0, 1), Mix(test, Test, 0, 1));
            var candidates = new[] { (val, test), half, alone };
            var chosenVal = val.Select(r => (double[])r.Clone()).ToArray();
            var chosenTest = test.Select(r => (double[])r.Clone()).ToArray();
            var choices = new List<string>();
            for (var l = 0; l < labels; l++)
            {
                var best = 0;
                var bestF1 = -1.0;
                for (var c = 0; c < candidates.Length; c++)
                {
                    var s = candidates[c].Item1.Select(r => r[l]).ToArray();
                    var truth = Enumerable.Range(0, valTruth.Rows).Select(r => valTruth[r, l]).ToArray();
                    var t = ThresholdTuner.Tune(s, truth, SgdLoss.Hinge, new ThresholdOptions());
                    var tp = s.Where((v, r) => v > t && truth[r]).Count();
                    var predictedCount = s.Count(v => v > t);
                    var f1 = 2.0 * tp / (predictedCount + truth.Count(x => x));
                    if (f1 > bestF1 + 1e-9)
                    {
                        (best, bestF1) = (c, f1);
                    }
                }

                choices.Add(best switch { 0 => "m", 1 => "h", _ => "s" });
                for (var r = 0; r < val.Length; r++)
                {
                    chosenVal[r][l] = candidates[best].Item1[r][l];
                }

                for (var r = 0; r < test.Length; r++)
                {
                    chosenTest[r][l] = candidates[best].Item2[r][l];
                }
            }

            Console.WriteLine($"stage choice per label (m members, h members+stage, s stage): {string.Join(' ', choices)}");
            return (chosenVal, chosenTest);
        }
    }

    /// <summary>A member's scores: validation and test from the model fitted on train; out-of-fold on train.</summary>
    private sealed record MemberScores(double[][] Val, double[][] Test, double[][]? Oof)
    {
        public static MemberScores LoadOrFit(string cache, string name, Member member, Corpus corpus, bool oof)
        {
            var path = Path.Combine(cache, name + ".scores");
            if (File.Exists(path))
            {
                var cached = Read(path);
                if (cached.Oof is not null || !oof)
                {
                    Console.WriteLine($"{name}: cached scores");
                    return cached;
                }
            }

            var clock = Stopwatch.StartNew();
            var (trainRows, valRows, testRows, featureCount) = corpus.Featurize(member.Features);
            var featurizeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var trainTruth = corpus.TruthOf(corpus.Train);
            var model = member.Fit(trainRows, trainTruth, featureCount);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            var scores = new MemberScores(Margins(model, valRows), Margins(model, testRows), null);
            double[][]? oofScores = null;
            clock.Restart();
            if (oof)
            {
                var folds = KFold.Assign(trainRows.Length, Folds, seed: 42);
                oofScores = new double[trainRows.Length][];
                for (var k = 0; k < Folds; k++)
                {
                    var inFold = Enumerable.Range(0, trainRows.Length).Where(r => folds[r] != k).ToArray();
                    var outFold = Enumerable.Range(0, trainRows.Length).Where(r => folds[r] == k).ToArray();
                    var foldModel = member.Fit([.. inFold.Select(r => trainRows[r])], trainTruth.SelectRows(inFold), featureCount);
                    var foldScores = Margins(foldModel, [.. outFold.Select(r => trainRows[r])]);
                    for (var i = 0; i < outFold.Length; i++)
                    {
                        oofScores[outFold[i]] = foldScores[i];
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: featurized ({featureCount:N0} features) in {featurizeSeconds:F1} s, fitted in {fitSeconds:F1} s, {model.StoredFeatureCount:N0} stored features{(oof ? $", out-of-fold in {clock.Elapsed.TotalSeconds:F1} s" : "")}"));
            scores = scores with { Oof = oofScores };
            scores.Write(path);
            return scores;
        }

        private static double[][] Margins(LinearModel model, SparseRow[] rows)
        {
            var margins = new double[rows.Length][];
            Parallel.For(0, rows.Length, r =>
            {
                margins[r] = new double[model.LabelCount];
                model.Margins(rows[r], margins[r]);
            });
            return margins;
        }

        private void Write(string path)
        {
            using var writer = new BinaryWriter(File.Create(path + ".tmp"));
            foreach (var part in new[] { Val, Test, Oof ?? [] })
            {
                writer.Write(part.Length);
                writer.Write(part.Length == 0 ? 0 : part[0].Length);
                foreach (var row in part)
                {
                    foreach (var v in row)
                    {
                        writer.Write(v);
                    }
                }
            }

            writer.Close();
            File.Move(path + ".tmp", path, overwrite: true);
        }

        private static MemberScores Read(string path)
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            double[][] Part()
            {
                var rows = reader.ReadInt32();
                var columns = reader.ReadInt32();
                return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => reader.ReadDouble()).ToArray())];
            }

            var val = Part();
            var test = Part();
            var oof = Part();
            return new MemberScores(val, test, oof.Length == 0 ? null : oof);
        }
    }

    /// <summary>The corpus preprocessed three ways (whole post; title; the anchor's text with the title repeated).</summary>
    private sealed class Corpus
    {
        private LabelMatrix _truth = null!;
        private string[] _bodies = [];
        private string[] _titles = [];
        private string[] _repeated = [];

        public PostId[] Ids { get; private set; } = [];

        public LabelIndex Labels { get; private set; } = null!;

        public int[] Train { get; private set; } = [];

        public int[] Val { get; private set; } = [];

        public int[] Test { get; private set; } = [];

        public LabelMatrix TruthOf(int[] rows) => _truth.SelectRows(rows);

        public string[] TextsOf(int[] rows) => [.. rows.Select(r => _bodies[r])];

        public static Corpus Load(string path)
        {
            var dataset = Core.Training.ValidateStage.Run(path, Taxonomy.Default).Dataset;
            var plain = new PreprocessOptions(NoCommand: false, Stem: true);
            var n = dataset.Count;
            var bodies = new string[n];
            var titles = new string[n];
            var repeated = new string[n];
            Parallel.For(0, n, i =>
            {
                bodies[i] = PostPreprocessor.Preprocess(dataset.Posts[i], plain);
                titles[i] = PostPreprocessor.Preprocess(PostTitle.Of(dataset.Posts[i]), plain);
                repeated[i] = PostPreprocessor.Preprocess(dataset.Posts[i], plain with { TitleWeight = 2 });
            });
            var kept = Enumerable.Range(0, n).Where(i => bodies[i].Length > 0).ToArray();
            var corpus = new Corpus
            {
                Ids = [.. kept.Select(i => dataset.Ids[i])],
                Labels = dataset.LabelIndex,
                _truth = dataset.Labels.SelectRows(kept),
                _bodies = [.. kept.Select(i => bodies[i])],
                _titles = [.. kept.Select(i => titles[i])],
                _repeated = [.. kept.Select(i => repeated[i])],
            };
            var split = BenchmarkSplit.Split(corpus.Ids);
            corpus.Train = split.RowsOf(SplitPart.Train);
            corpus.Val = split.RowsOf(SplitPart.Validation);
            corpus.Test = split.RowsOf(SplitPart.Test);
            return corpus;
        }

        public (SparseRow[] Train, SparseRow[] Val, SparseRow[] Test, int FeatureCount) Featurize(string kind)
        {
            if (kind.StartsWith("block", StringComparison.Ordinal))
            {
                var weight = double.Parse(kind["block".Length..], CultureInfo.InvariantCulture);
                var (vectorizer, train) = TitledVectorizer.FitTransform(TextsOf(Train), [.. Train.Select(r => _titles[r])], Words, weight);
                SparseRow[] Transform(int[] rows) => [.. rows.AsParallel().AsOrdered().Select(r => vectorizer.Transform(_bodies[r], _titles[r]))];
                return (train, Transform(Val), Transform(Test), vectorizer.FeatureCount);
            }

            var texts = kind == "repeat2" ? _repeated : _bodies;
            var (words, rows) = TfidfVectorizer.FitTransform([.. Train.Select(r => texts[r])], Words);
            SparseRow[] Words1(int[] part) => [.. part.AsParallel().AsOrdered().Select(r => words.Transform(texts[r]))];
            return (rows, Words1(Val), Words1(Test), words.FeatureCount);
        }
    }
}
