using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The evaluation report: one self-contained HTML file (inline CSS and SVG, no script, no font, no request) that shows
/// the model's precision/recall/F1 per split beside the baselines, ranking metrics, a bar per label, per-label
/// precision-recall curves and F1 against the threshold with the chosen threshold marked, the slices, support counts,
/// label co-occurrence (true and predicted), and the model's arguments and data fingerprint.
/// </summary>
public static class HtmlReport
{
    private const string NoSupport = "no support";
    private const double ChartWidth = 272, ChartHeight = 230;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] SplitColors = ["#1f6fd1", "#e07b00", "#7b5cc4", "#8a949e", "#2a9d8f"];
    private static readonly string[] BaselineColors = ["#c0392b", "#2e8b57", "#8e44ad"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly double[] BarTicks = [0, 0.25, 0.5, 0.75, 1];

    /// <summary>Writes the report atomically (a temporary file renamed over <paramref name="path"/>).</summary>
    public static void Write(string path, ReportInput input) => AtomicFile.WriteAllText(path, Render(input));

    /// <summary>The report's HTML.</summary>
    public static string Render(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.Check();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Append("<link rel=\"icon\" href=\"data:,\"/>")
            .Append(Invariant, $"<title>{E(input.Title)}</title><style>{Style}</style></head><body>");
        html.Append(Invariant, $"<header><h1>{E(input.Title)}</h1><p class=\"meta\">written {input.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {input.Labels.Count} labels · ")
            .Append(string.Join(", ", input.Splits.Select(s => string.Create(Invariant, $"{E(s.Name)} {s.Truth.Rows:N0} posts"))))
            .Append(Invariant, $" · pictures for <b>{E(input.HeldOut.Name)}</b></p>")
            .Append("<nav><a href=\"#overall\">overall</a><a href=\"#ranking\">ranking</a><a href=\"#labels\">per label</a>")
            .Append("<a href=\"#curves\">precision-recall</a><a href=\"#f1\">F1 vs threshold</a><a href=\"#slices\">slices</a>")
            .Append("<a href=\"#support\">support</a><a href=\"#cooccurrence\">co-occurrence</a><a href=\"#model\">model</a></nav></header>");

        Overall(html, input);
        Ranking(html, input);
        PerLabel(html, input);
        var curves = input.Splits.Select(s => Enumerable.Range(0, input.Labels.Count).Select(l => CurveOf(s, l)).ToArray()).ToArray();
        PrecisionRecall(html, input, curves);
        F1AgainstThreshold(html, input, curves);
        Slices(html, input);
        Support(html, input);
        Cooccurrence(html, input);
        Model(html, input);
        return html.Append("</body></html>").ToString();
    }

    private static void Overall(StringBuilder html, ReportInput input)
    {
        html.Append("<section id=\"overall\"><h2>Overall</h2>")
            .Append("<p>Precision, recall and F1 of the suggested tags (a tag is suggested when its score is above its label's threshold): ")
            .Append("weighted = per-label values averaged by support; micro = all label decisions pooled. The baselines show what no learning gives: ")
            .Append("<i>random</i> draws each label at its share of the posts (the training split's after a training, the file's in an evaluation), <i>rules</i> tags a post with a label whose name it contains.</p>")
            .Append("<table><thead><tr><th>system</th><th>split</th><th>posts</th><th>weighted P</th><th>weighted R</th><th>weighted F1</th>")
            .Append("<th>micro P</th><th>micro R</th><th>micro F1</th></tr></thead><tbody>");
        foreach (var split in input.Splits)
        {
            OverallRow(html, "model", "model", split.Name, split.Metrics);
            foreach (var baseline in input.Baselines.Where(b => b.Split == split.Name))
            {
                OverallRow(html, "baseline", baseline.Name, baseline.Split, baseline.Metrics);
            }
        }

        html.Append("</tbody></table></section>");
    }

    private static void OverallRow(StringBuilder html, string kind, string system, string split, EvaluationReport metrics)
    {
        var (w, m) = (metrics.Overall, metrics.Micro);
        html.Append(Invariant, $"<tr class=\"{kind}\"><td>{E(system)}</td><td>{E(split)}</td><td>{w.NumSamples:N0}</td>")
            .Append(Invariant, $"<td>{w.Precision:0.000}</td><td>{w.Recall:0.000}</td><td><b>{w.F1:0.000}</b></td>")
            .Append(Invariant, $"<td>{m.Precision:0.000}</td><td>{m.Recall:0.000}</td><td>{m.F1:0.000}</td></tr>");
    }

    private static void Ranking(StringBuilder html, ReportInput input)
    {
        html.Append("<section id=\"ranking\"><h2>Ranking</h2>")
            .Append("<p>How well the scores order a post's labels, whatever the thresholds (as Annif and extreme multi-label classification report suggestions). ")
            .Append("Precision@k and nDCG@k average over the posts that have a true label; LRAP (scikit-learn's label ranking average precision) over all posts.</p>")
            .Append("<table><thead><tr><th>split</th><th>precision@1</th><th>precision@3</th><th>nDCG@3</th><th>LRAP</th><th>posts with a label</th><th>posts</th></tr></thead><tbody>");
        foreach (var split in input.Splits)
        {
            var r = RankingMetrics.Of(split.Truth, split.Scores);
            html.Append(Invariant, $"<tr><td>{E(split.Name)}</td><td>{r.PrecisionAt1:0.000}</td><td>{r.PrecisionAt3:0.000}</td><td>{r.NdcgAt3:0.000}</td>")
                .Append(Invariant, $"<td>{r.Lrap:0.000}</td><td>{r.RankedPosts:N0}</td><td>{r.Posts:N0}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void PerLabel(StringBuilder html, ReportInput input)
    {
        var heldOut = input.HeldOut;
        var baselines = input.Baselines.Where(b => b.Split == heldOut.Name).ToArray();
        html.Append(Invariant, $"<section id=\"labels\"><h2>Per label ({E(heldOut.Name)})</h2>")
            .Append("<p>The model's F1 for each label; the ticks are the baselines' F1 on the same posts. A label no post carries has no support: nothing to measure.</p>");
        html.Append(Bars(input, heldOut, SplitColor(input, heldOut), baselines));
        html.Append("<table><thead><tr><th>label</th><th>threshold</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>");
        foreach (var baseline in baselines)
        {
            html.Append(Invariant, $"<th>{E(baseline.Name)} F1</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (var l = 0; l < input.Labels.Count; l++)
        {
            var name = input.Labels[l];
            var m = heldOut.Metrics.Class[name];
            html.Append(Invariant, $"<tr><td>{E(name)}</td><td>{input.Thresholds[l]:0.####}</td>");
            if (m.NumSamples == 0)
            {
                html.Append(Invariant, $"<td colspan=\"3\" class=\"none\">{NoSupport}</td><td>0</td>");
                html.Append(string.Concat(baselines.Select(_ => "<td class=\"none\">-</td>")));
            }
            else
            {
                html.Append(Invariant, $"<td>{m.Precision:0.000}</td><td>{m.Recall:0.000}</td><td><b>{m.F1:0.000}</b></td><td>{m.NumSamples:N0}</td>");
                html.Append(string.Concat(baselines.Select(b => string.Create(Invariant, $"<td>{b.Metrics.Class[name].F1:0.000}</td>"))));
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    /// <summary>A horizontal bar of F1 per label, with the baselines' F1 as ticks and the support written beside.</summary>
    private static string Bars(ReportInput input, ReportSplit split, string color, ReportBaseline[] baselines)
    {
        const double NameWidth = 170, BarWidth = 420, RowHeight = 26, Top = 24, TextWidth = 190;
        var width = NameWidth + BarWidth + TextWidth;
        var height = Top + (RowHeight * input.Labels.Count) + 8;
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg class=\"plot\" id=\"bars\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>F1 per label on {E(split.Name)}</title>");
        foreach (var tick in BarTicks)
        {
            var x = NameWidth + (tick * BarWidth);
            svg.Append(Invariant, $"<line class=\"grid\" x1=\"{x}\" x2=\"{x}\" y1=\"{Top - 4}\" y2=\"{height - 8}\"/><text class=\"tick\" x=\"{x}\" y=\"{Top - 8}\" text-anchor=\"middle\">{tick}</text>");
        }

        for (var l = 0; l < input.Labels.Count; l++)
        {
            var name = input.Labels[l];
            var y = Top + (l * RowHeight);
            var m = split.Metrics.Class[name];
            svg.Append(Invariant, $"<text class=\"name\" x=\"{NameWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{E(name)}</text>");
            if (m.NumSamples == 0)
            {
                svg.Append(Invariant, $"<text class=\"none\" x=\"{NameWidth + 6}\" y=\"{y + 16}\">{NoSupport}</text>");
                continue;
            }

            svg.Append(Invariant, $"<rect class=\"mark bar\" x=\"{NameWidth}\" y=\"{y + 4}\" width=\"{Math.Max(m.F1 * BarWidth, 0.5):0.#}\" height=\"{RowHeight - 8}\" fill=\"{color}\"><title>{E(name)}: F1 {m.F1:0.000}, precision {m.Precision:0.000}, recall {m.Recall:0.000}</title></rect>");
            for (var b = 0; b < baselines.Length; b++)
            {
                var f1 = baselines[b].Metrics.Class[name].F1;
                var x = NameWidth + (f1 * BarWidth);
                svg.Append(Invariant, $"<line class=\"mark tickmark\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{y + 1}\" y2=\"{y + RowHeight - 1}\" stroke=\"{BaselineColors[b % BaselineColors.Length]}\"><title>{E(baselines[b].Name)}: F1 {f1:0.000}</title></line>");
            }

            svg.Append(Invariant, $"<text class=\"value\" x=\"{NameWidth + BarWidth + 8}\" y=\"{y + 16}\">F1 {m.F1:0.000} · support {m.NumSamples:N0}</text>");
        }

        svg.Append("</svg>");
        var legend = new StringBuilder("<p class=\"legend\">");
        legend.Append(Invariant, $"<span><i style=\"background:{color}\"></i>model</span>");
        for (var b = 0; b < baselines.Length; b++)
        {
            legend.Append(Invariant, $"<span><i class=\"tick\" style=\"background:{BaselineColors[b % BaselineColors.Length]}\"></i>{E(baselines[b].Name)}</span>");
        }

        return svg.Append(legend).Append("</p>").ToString();
    }

    private static PrecisionRecallCurve CurveOf(ReportSplit split, int label)
    {
        var scores = new double[split.Truth.Rows];
        var truth = new bool[split.Truth.Rows];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = split.Scores[i][label];
            truth[i] = split.Truth[i, label];
        }

        return PrecisionRecallCurve.Of(scores, truth);
    }

    private static void PrecisionRecall(StringBuilder html, ReportInput input, PrecisionRecallCurve[][] curves)
    {
        html.Append("<section id=\"curves\"><h2>Precision-recall curves</h2>")
            .Append("<p>Each label's precision against recall as its threshold sweeps over the scores, one line per split; the dot is the threshold the model uses.</p>")
            .Append(SplitLegend(input)).Append("<div class=\"grid\">");
        for (var l = 0; l < input.Labels.Count; l++)
        {
            var name = input.Labels[l];
            var chart = new SvgChart($"pr-{l}", $"precision-recall of {name}", ChartWidth, ChartHeight, (0, 1), (0, 1), "recall", "precision");
            var drawn = false;
            for (var s = 0; s < input.Splits.Count; s++)
            {
                var curve = curves[s][l];
                if (curve.Positives == 0)
                {
                    continue;
                }

                var color = SplitColors[s % SplitColors.Length];
                chart.Line(curve.Points.Select(p => (p.Recall, p.Precision)), color, $"{input.Splits[s].Name}: precision-recall");
                var chosen = curve.At(input.Thresholds[l]);
                chart.Dot(chosen.Recall, chosen.Precision, color, string.Create(Invariant, $"{input.Splits[s].Name} at threshold {input.Thresholds[l]:0.####}: precision {chosen.Precision:0.000}, recall {chosen.Recall:0.000}, F1 {chosen.F1:0.000}"));
                drawn = true;
            }

            html.Append(Invariant, $"<figure><figcaption>{E(name)}</figcaption>{(drawn ? chart.ToString() : NoSupportNote())}</figure>");
        }

        html.Append("</div></section>");
    }

    private static void F1AgainstThreshold(StringBuilder html, ReportInput input, PrecisionRecallCurve[][] curves)
    {
        html.Append("<section id=\"f1\"><h2>F1 against the threshold</h2>")
            .Append("<p>Each label's F1 for every threshold (a tag is suggested when its score is above it), one line per split; the vertical rule is the chosen threshold.</p>")
            .Append(SplitLegend(input)).Append("<div class=\"grid\">");
        for (var l = 0; l < input.Labels.Count; l++)
        {
            var name = input.Labels[l];
            var withSupport = Enumerable.Range(0, input.Splits.Count).Where(s => curves[s][l].Positives > 0).ToArray();
            if (withSupport.Length == 0)
            {
                html.Append(Invariant, $"<figure><figcaption>{E(name)}</figcaption>{NoSupportNote()}</figure>");
                continue;
            }

            var scores = withSupport.SelectMany(s => curves[s][l].Points.Select(p => p.Score)).Append(input.Thresholds[l]).ToArray();
            var (low, high) = (scores.Min(), scores.Max());
            var chart = new SvgChart($"f1-{l}", $"F1 against the threshold of {name}", ChartWidth, ChartHeight, (low, high), (0, 1), "threshold", "F1");
            foreach (var s in withSupport)
            {
                var points = curves[s][l].Points;

                // F1 of "score > t" is the F1 of point k for t in [score of point k+1, score of point k): a step
                var steps = new List<(double, double)>(2 * points.Count);
                for (var k = 0; k < points.Count; k++)
                {
                    steps.Add((k + 1 < points.Count ? points[k + 1].Score : low, points[k].F1));
                    steps.Add((points[k].Score, points[k].F1));
                }

                steps.Reverse();
                chart.Line(steps, SplitColors[s % SplitColors.Length], $"{input.Splits[s].Name}: F1 against the threshold");
                var chosen = curves[s][l].At(input.Thresholds[l]);
                chart.Dot(input.Thresholds[l], chosen.F1, SplitColors[s % SplitColors.Length], string.Create(Invariant, $"{input.Splits[s].Name}: F1 {chosen.F1:0.000} at the threshold"));
            }

            chart.Rule(input.Thresholds[l], string.Create(Invariant, $"threshold {input.Thresholds[l]:0.####}"));
            html.Append(Invariant, $"<figure><figcaption>{E(name)}</figcaption>{chart}</figure>");
        }

        html.Append("</div></section>");
    }

    private static void Slices(StringBuilder html, ReportInput input)
    {
        html.Append("<section id=\"slices\"><h2>Slices</h2>")
            .Append("<p>Micro precision, recall and F1 on groups of posts that are hard for a reason: short posts, a sub-topic without its parent, no frequent word.</p>");
        var names = input.Splits.SelectMany(s => s.Metrics.Slices?.Keys ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            html.Append("<p class=\"none\">no slices were measured</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>slice</th>");
        foreach (var split in input.Splits)
        {
            html.Append(Invariant, $"<th colspan=\"4\">{E(split.Name)}</th>");
        }

        html.Append("</tr><tr><th></th>").Append(string.Concat(input.Splits.Select(_ => "<th>P</th><th>R</th><th>F1</th><th>posts</th>"))).Append("</tr></thead><tbody>");
        foreach (var name in names)
        {
            html.Append(Invariant, $"<tr><td>{E(name)}</td>");
            foreach (var split in input.Splits)
            {
                html.Append(split.Metrics.Slices is { } slices && slices.TryGetValue(name, out var m)
                    ? string.Create(Invariant, $"<td>{m.Precision:0.000}</td><td>{m.Recall:0.000}</td><td><b>{m.F1:0.000}</b></td><td>{m.NumSamples:N0}</td>")
                    : "<td colspan=\"4\" class=\"none\">no post</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Support(StringBuilder html, ReportInput input)
    {
        html.Append("<section id=\"support\"><h2>Support</h2><p>Posts that carry each label, per split, and the share of the split's posts.</p>")
            .Append("<table><thead><tr><th>label</th>").Append(string.Concat(input.Splits.Select(s => $"<th>{E(s.Name)}</th>"))).Append("</tr></thead><tbody>");
        var counts = input.Splits.Select(s => s.Truth.ColumnCounts()).ToArray();
        for (var l = 0; l < input.Labels.Count; l++)
        {
            html.Append(Invariant, $"<tr><td>{E(input.Labels[l])}</td>");
            for (var s = 0; s < input.Splits.Count; s++)
            {
                var count = counts[s][l];
                html.Append(count == 0
                    ? $"<td class=\"none\">{NoSupport}</td>"
                    : string.Create(Invariant, $"<td>{count:N0} <span class=\"share\">({100.0 * count / input.Splits[s].Truth.Rows:0.0} %)</span></td>"));
            }

            html.Append("</tr>");
        }

        html.Append("<tr class=\"total\"><td>posts</td>").Append(string.Concat(input.Splits.Select(s => string.Create(Invariant, $"<td>{s.Truth.Rows:N0}</td>")))).Append("</tr>");
        html.Append("</tbody></table></section>");
    }

    private static void Cooccurrence(StringBuilder html, ReportInput input)
    {
        var split = input.HeldOut;
        var predicted = new Labels.LabelMatrix(split.Truth.Rows, input.Labels.Count);
        for (var i = 0; i < split.Truth.Rows; i++)
        {
            for (var l = 0; l < input.Labels.Count; l++)
            {
                predicted[i, l] = split.Scores[i][l] > input.Thresholds[l];
            }
        }

        html.Append(Invariant, $"<section id=\"cooccurrence\"><h2>Label co-occurrence ({E(split.Name)})</h2>")
            .Append("<p>How many posts carry both labels, in the truth and in the model's suggestions; the diagonal counts each label alone. ")
            .Append("Off the diagonal, darker cells are more frequent pairs.</p><div class=\"pair\">")
            .Append(Heatmap("cooccurrence-true", "true labels", input.Labels, split.Truth.Cooccurrence()))
            .Append(Heatmap("cooccurrence-predicted", "suggested labels", input.Labels, predicted.Cooccurrence()))
            .Append("</div></section>");
    }

    private static string Heatmap(string id, string title, IReadOnlyList<string> labels, int[][] counts)
    {
        const double NameWidth = 150, Cell = 34, Top = 150;
        var n = labels.Count;
        // the column names lean right above the grid: room for the last one beside it
        var size = (NameWidth + (Cell * n) + 90, Top + (Cell * n) + 10);
        var offDiagonalMax = Math.Max(1, Enumerable.Range(0, n).SelectMany(a => Enumerable.Range(0, n).Where(b => b != a).Select(b => counts[a][b])).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<figure><figcaption>{E(title)}</figcaption><svg class=\"plot heatmap\" id=\"{id}\" role=\"img\" viewBox=\"0 0 {size.Item1} {size.Item2}\" width=\"{size.Item1}\" height=\"{size.Item2}\"><title>co-occurrence of the {E(title)}</title>");
        for (var a = 0; a < n; a++)
        {
            svg.Append(Invariant, $"<text class=\"name\" x=\"{NameWidth - 6}\" y=\"{Top + (a * Cell) + 21}\" text-anchor=\"end\">{E(labels[a])}</text>");
            svg.Append(Invariant, $"<text class=\"name\" transform=\"translate({NameWidth + (a * Cell) + 21} {Top - 6}) rotate(-60)\">{E(labels[a])}</text>");
            for (var b = 0; b < n; b++)
            {
                var count = counts[a][b];
                var fill = a == b ? "#e4e7eb" : string.Create(Invariant, $"rgba(31,111,209,{Math.Min(1, (double)count / offDiagonalMax):0.###})");
                var (x, y) = (NameWidth + (b * Cell), Top + (a * Cell));
                svg.Append(Invariant, $"<rect class=\"mark cell\" x=\"{x}\" y=\"{y}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" fill=\"{fill}\"><title>{E(labels[a])} and {E(labels[b])}: {count:N0} posts</title></rect>");
                var dark = a != b && count > offDiagonalMax * 0.55;
                svg.Append(Invariant, $"<text class=\"count{(dark ? " light" : string.Empty)}\" x=\"{x + ((Cell - 2) / 2)}\" y=\"{y + 20}\" text-anchor=\"middle\">{Compact(count)}</text>");
            }
        }

        return svg.Append("</svg></figure>").ToString();
    }

    private static void Model(StringBuilder html, ReportInput input)
    {
        html.Append("<section id=\"model\"><h2>Model</h2><dl>");
        foreach (var (key, value) in input.Details)
        {
            html.Append(Invariant, $"<dt>{E(key)}</dt><dd>{E(value)}</dd>");
        }

        html.Append(Invariant, $"<dt>data fingerprint</dt><dd><code>{E(input.DataFingerprint ?? "unknown")}</code></dd>");
        html.Append("<dt>thresholds</dt><dd>")
            .Append(string.Join(", ", input.Labels.Select((name, l) => string.Create(Invariant, $"{E(name)} {input.Thresholds[l]:0.####}"))))
            .Append("</dd></dl><h3>Training arguments</h3>");
        html.Append(input.ArgumentsJson is { } args ? $"<pre>{E(Pretty(args))}</pre>" : "<p class=\"none\">not recorded</p>");
        html.Append("</section>");
    }

    private static string Pretty(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Indented) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string SplitColor(ReportInput input, ReportSplit split) =>
        SplitColors[input.Splits.ToList().IndexOf(split) % SplitColors.Length];

    private static string SplitLegend(ReportInput input) =>
        "<p class=\"legend\">" + string.Concat(input.Splits.Select((s, i) => $"<span><i style=\"background:{SplitColors[i % SplitColors.Length]}\"></i>{E(s.Name)}</span>"))
        + "<span><i class=\"tick\" style=\"background:#333\"></i>chosen threshold</span></p>";

    private static string NoSupportNote() => $"<p class=\"none no-support\">{NoSupport}: no post carries this label</p>";

    private static string Compact(int count) => count switch
    {
        < 10_000 => count.ToString(Invariant),
        < 1_000_000 => (count / 1000.0).ToString("0.#", Invariant) + "k",
        _ => (count / 1_000_000.0).ToString("0.#", Invariant) + "M",
    };

    private static string E(string text) => SvgChart.Encode(text);

    private const string Style = """
        :root{--ink:#1d2430;--muted:#5b6675;--line:#d5dbe2;--soft:#f4f6f8}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1280px;padding:0 24px 48px}
        header{border-bottom:1px solid var(--line);margin-bottom:8px}
        h1{font-size:24px;margin:20px 0 4px}h2{font-size:19px;margin:28px 0 6px}h3{font-size:15px}
        .meta,p{color:var(--muted);max-width:960px}
        nav a{margin-right:14px;color:#1f6fd1;text-decoration:none}nav{margin:6px 0 12px}
        table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
        th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:right}
        th:first-child,td:first-child,#overall td:nth-child(2),#overall th:nth-child(2){text-align:left}thead th{background:var(--soft);font-weight:600}
        tr.baseline td{color:var(--muted)}tr.total td{font-weight:600}
        .none{color:#98a2ad;font-style:italic}.share{color:var(--muted)}
        .grid{display:flex;flex-wrap:wrap;gap:10px}.pair{display:flex;flex-wrap:wrap;gap:24px}
        figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px 8px;background:#fff}
        figcaption{font-weight:600;font-size:13px}
        figure .no-support{width:272px;height:60px;margin:8px 0}
        svg text{font-size:11px;fill:var(--ink)}svg .tick{fill:var(--muted)}svg .axis{fill:var(--muted);font-size:12px}
        svg .name{font-size:12px}svg .none{fill:#98a2ad;font-style:italic}svg .value{fill:var(--muted)}
        svg .frame{fill:none;stroke:var(--line)}svg .grid{stroke:#eef1f4}
        svg .line{fill:none;stroke-width:1.8}svg .dot{stroke:#fff;stroke-width:1.5}
        svg .rule{stroke:#333;stroke-dasharray:4 3;stroke-width:1.2}svg .tickmark{stroke-width:3}
        svg .count{font-size:10px}svg .count.light{fill:#fff}
        .legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:14px;height:10px;margin-right:5px;border-radius:2px}
        .legend i.tick{width:4px;height:14px;vertical-align:-2px}
        pre{background:var(--soft);padding:10px;border-radius:6px;overflow:auto;max-width:960px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:var(--muted)}dd{margin:0}
        code{font-size:12px}
        """;
}
