using System.Globalization;
using System.Net;
using System.Text;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// A small x-y chart drawn as inline SVG: axes with round ticks, lines, dots and vertical rules. Everything drawn from
/// data carries the class <c>mark</c> (what a reader, or a test, looks for); lines are thinned to what is visible at
/// the chart's size, so a curve over 25,000 posts stays a few hundred points.
/// </summary>
internal sealed class SvgChart
{
    private const double Left = 46, Right = 12, Top = 14, Bottom = 38;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly double[] StepMultiples = [1, 2, 5, 10];

    private readonly StringBuilder _marks = new();
    private readonly (double Min, double Max) _x;
    private readonly (double Min, double Max) _y;

    public SvgChart(string id, string title, double width, double height, (double Min, double Max) x, (double Min, double Max) y, string xLabel, string yLabel)
    {
        Id = id;
        Title = title;
        Width = width;
        Height = height;
        _x = x.Max > x.Min ? x : (x.Min - 0.5, x.Min + 0.5);
        _y = y.Max > y.Min ? y : (y.Min - 0.5, y.Min + 0.5);
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public string Id { get; }

    public string Title { get; }

    public double Width { get; }

    public double Height { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    public double X(double value) => Left + ((value - _x.Min) / (_x.Max - _x.Min) * (Width - Left - Right));

    public double Y(double value) => Height - Bottom - ((value - _y.Min) / (_y.Max - _y.Min) * (Height - Top - Bottom));

    /// <summary>A polyline through the points, in data coordinates; points closer than a pixel to the last kept one are dropped.</summary>
    public void Line(IEnumerable<(double X, double Y)> points, string color, string title)
    {
        var path = new StringBuilder();
        double lastX = double.NaN, lastY = double.NaN, pendingX = double.NaN, pendingY = double.NaN;
        foreach (var (dataX, dataY) in points)
        {
            var (x, y) = (X(dataX), Y(dataY));
            if (path.Length == 0)
            {
                path.Append(Invariant, $"M{x:0.#},{y:0.#}");
                (lastX, lastY) = (x, y);
            }
            else if (Math.Abs(x - lastX) >= 1 || Math.Abs(y - lastY) >= 1)
            {
                path.Append(Invariant, $"L{x:0.#},{y:0.#}");
                (lastX, lastY) = (x, y);
                pendingX = double.NaN;
                continue;
            }

            (pendingX, pendingY) = (x, y);
        }

        if (!double.IsNaN(pendingX) && (pendingX != lastX || pendingY != lastY))
        {
            path.Append(Invariant, $"L{pendingX:0.#},{pendingY:0.#}");
        }

        if (path.Length > 0)
        {
            _marks.Append(Invariant, $"<path class=\"mark line\" d=\"{path}\" stroke=\"{color}\"><title>{Encode(title)}</title></path>");
        }
    }

    public void Dot(double x, double y, string color, string title) =>
        _marks.Append(Invariant, $"<circle class=\"mark dot\" cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"4\" fill=\"{color}\"><title>{Encode(title)}</title></circle>");

    /// <summary>A vertical rule across the plot at <paramref name="x"/>, e.g. a chosen threshold.</summary>
    public void Rule(double x, string title) =>
        _marks.Append(Invariant, $"<line class=\"mark rule\" x1=\"{X(x):0.#}\" x2=\"{X(x):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom:0.#}\"><title>{Encode(title)}</title></line>");

    public override string ToString()
    {
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg class=\"plot\" id=\"{Encode(Id)}\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\"><title>{Encode(Title)}</title>");
        svg.Append(Invariant, $"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\"/>");
        foreach (var tick in Ticks(_x.Min, _x.Max))
        {
            svg.Append(Invariant, $"<line class=\"grid\" x1=\"{X(tick):0.#}\" x2=\"{X(tick):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom:0.#}\"/>");
            svg.Append(Invariant, $"<text class=\"tick\" x=\"{X(tick):0.#}\" y=\"{Height - Bottom + 13:0.#}\" text-anchor=\"middle\">{Number(tick)}</text>");
        }

        foreach (var tick in Ticks(_y.Min, _y.Max))
        {
            svg.Append(Invariant, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right:0.#}\" y1=\"{Y(tick):0.#}\" y2=\"{Y(tick):0.#}\"/>");
            svg.Append(Invariant, $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{Y(tick) + 3.5:0.#}\" text-anchor=\"end\">{Number(tick)}</text>");
        }

        svg.Append(Invariant, $"<text class=\"axis\" x=\"{(Left + Width - Right) / 2:0.#}\" y=\"{Height - 6:0.#}\" text-anchor=\"middle\">{Encode(XLabel)}</text>");
        svg.Append(Invariant, $"<text class=\"axis\" transform=\"translate(11 {(Top + Height - Bottom) / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">{Encode(YLabel)}</text>");
        svg.Append(_marks).Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Round tick values (steps of 1, 2 or 5 times a power of ten), about five across the range.</summary>
    internal static IEnumerable<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = StepMultiples.Select(m => m * magnitude).First(s => s >= raw);
        for (var tick = Math.Ceiling(min / step) * step; tick <= max + (step * 1e-9); tick += step)
        {
            yield return Math.Abs(tick) < step * 1e-9 ? 0 : tick;
        }
    }

    internal static string Number(double value) => value.ToString("0.###", Invariant);

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);
}
