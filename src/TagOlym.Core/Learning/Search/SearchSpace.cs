using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Learning.Search;

/// <summary>
/// A parameter is only searched while its <paramref name="Parameter"/> (an earlier categorical one) takes one of
/// <paramref name="Values"/>: <c>eta0</c> only for the schedules that use it.
/// </summary>
public sealed record SearchCondition(string Parameter, IReadOnlyList<JsonNode> Values);

/// <summary>
/// One dimension of a search space. Samplers work on an internal number (a categorical parameter's choice index,
/// a numeric parameter's value); <see cref="ToJson"/> and <see cref="FromJson"/> convert to the value an arguments
/// file holds.
/// </summary>
public abstract record SearchParameter(string Name)
{
    public SearchCondition? Condition { get; init; }

    /// <summary>The value as it goes into an arguments file.</summary>
    public abstract JsonNode ToJson(double internalValue);

    /// <summary>The internal number of a value from an arguments or study file; null when it is not in the space.</summary>
    public abstract double? FromJson(JsonNode? value);

    /// <summary>A JSON number as a double, whether it was parsed or created from an int; null for anything else.</summary>
    protected static double? Number(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    /// <summary>How the parameter is written in a study file (to check a resumed study searches the same space).</summary>
    public abstract JsonObject Describe();

    protected JsonObject DescribeCondition(JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (Condition is not null)
        {
            description["when"] = new JsonObject
            {
                [Condition.Parameter] = new JsonArray([.. Condition.Values.Select(v => v.DeepClone())]),
            };
        }

        return description;
    }
}

/// <summary>One of a list of values (strings, booleans or numbers); internally the index of the choice.</summary>
public sealed record CategoricalParameter : SearchParameter
{
    public CategoricalParameter(string name, params JsonNode[] choices)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Length == 0)
        {
            throw new ArgumentException($"{name}: a categorical parameter needs at least one choice", nameof(choices));
        }

        Choices = choices;
    }

    public IReadOnlyList<JsonNode> Choices { get; }

    public override JsonNode ToJson(double internalValue) => Choices[(int)internalValue].DeepClone();

    public override double? FromJson(JsonNode? value)
    {
        for (var i = 0; i < Choices.Count; i++)
        {
            if (JsonNode.DeepEquals(Choices[i], value))
            {
                return i;
            }
        }

        return null;
    }

    public override JsonObject Describe() => DescribeCondition(new JsonObject
    {
        ["name"] = Name,
        ["type"] = "categorical",
        ["choices"] = new JsonArray([.. Choices.Select(c => c.DeepClone())]),
    });
}

/// <summary>An integer in [<paramref name="Low"/>, <paramref name="High"/>], every value equally likely a priori.</summary>
public sealed record IntParameter : SearchParameter
{
    public IntParameter(string name, int low, int high)
        : base(name)
    {
        if (low > high)
        {
            throw new ArgumentException($"{name}: low {low} is above high {high}", nameof(low));
        }

        (Low, High) = (low, high);
    }

    public int Low { get; }

    public int High { get; }

    public override JsonNode ToJson(double internalValue) => JsonValue.Create((int)internalValue);

    public override double? FromJson(JsonNode? value) =>
        Number(value) is { } d
            && d == Math.Floor(d) && d >= Low && d <= High ? d : null;

    public override JsonObject Describe() => DescribeCondition(new JsonObject
    {
        ["name"] = Name,
        ["type"] = "int",
        ["low"] = Low,
        ["high"] = High,
    });
}

/// <summary>A real number in [<paramref name="Low"/>, <paramref name="High"/>], uniform, or log-uniform when <paramref name="Log"/>.</summary>
public sealed record FloatParameter : SearchParameter
{
    public FloatParameter(string name, double low, double high, bool log = false)
        : base(name)
    {
        if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high) || (log && low <= 0))
        {
            throw new ArgumentException($"{name}: [{low}, {high}] is not a usable {(log ? "log-uniform" : "uniform")} range", nameof(low));
        }

        (Low, High, Log) = (low, high, log);
    }

    public double Low { get; }

    public double High { get; }

    public bool Log { get; }

    public override JsonNode ToJson(double internalValue) => JsonValue.Create(internalValue);

    public override double? FromJson(JsonNode? value) =>
        Number(value) is { } d
            && d >= Low && d <= High ? d : null;

    public override JsonObject Describe() => DescribeCondition(new JsonObject
    {
        ["name"] = Name,
        ["type"] = Log ? "log-uniform" : "uniform",
        ["low"] = Low,
        ["high"] = High,
    });
}

/// <summary>
/// The parameters a study searches, in order: a conditional parameter names an earlier categorical one, so one pass
/// in order decides which parameters a trial has.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(params SearchParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var seen = new Dictionary<string, SearchParameter>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (!seen.TryAdd(parameter.Name, parameter))
            {
                throw new ArgumentException($"parameter {parameter.Name} appears twice", nameof(parameters));
            }

            if (parameter.Condition is { } condition
                && (!seen.TryGetValue(condition.Parameter, out var parent) || parent is not CategoricalParameter categorical
                    || condition.Values.Any(v => categorical.FromJson(v) is null)))
            {
                throw new ArgumentException(
                    $"{parameter.Name} depends on {condition.Parameter}, which must be an earlier categorical parameter having those values",
                    nameof(parameters));
            }
        }

        Parameters = parameters;
    }

    public IReadOnlyList<SearchParameter> Parameters { get; }

    public SearchParameter this[string name] => Parameters.First(p => p.Name == name);

    /// <summary>Whether <paramref name="parameter"/> belongs to a trial whose earlier parameters are <paramref name="assigned"/>.</summary>
    public bool IsActive(SearchParameter parameter, IReadOnlyDictionary<string, double> assigned)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(assigned);
        if (parameter.Condition is not { } condition)
        {
            return true;
        }

        if (!assigned.TryGetValue(condition.Parameter, out var parentValue))
        {
            return false;
        }

        var parentJson = this[condition.Parameter].ToJson(parentValue);
        return condition.Values.Any(v => JsonNode.DeepEquals(v, parentJson));
    }

    /// <summary>The trial's values as an arguments-file object.</summary>
    public JsonObject ToJson(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var json = new JsonObject();
        foreach (var parameter in Parameters)
        {
            if (values.TryGetValue(parameter.Name, out var value))
            {
                json[parameter.Name] = parameter.ToJson(value);
            }
        }

        return json;
    }

    public JsonArray Describe() => new([.. Parameters.Select(p => (JsonNode)p.Describe())]);
}
