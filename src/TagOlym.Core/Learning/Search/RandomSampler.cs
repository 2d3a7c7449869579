using System.Text.Json.Nodes;

namespace TagOlym.Core.Learning.Search;

/// <summary>Independent draws from each parameter's prior: uniform, log-uniform, uniform over integers or choices.</summary>
public sealed class RandomSampler(int seed) : ISampler
{
    public int Seed { get; } = seed;

    public IReadOnlyDictionary<string, double> Sample(SearchSpace space, IReadOnlyList<Observation> history, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Draw(space, TrialRandom.For(Seed, trialNumber));
    }

    public JsonObject Describe() => new() { ["kind"] = "random", ["seed"] = Seed };

    internal static Dictionary<string, double> Draw(SearchSpace space, Random random)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var parameter in space.Parameters)
        {
            if (space.IsActive(parameter, values))
            {
                values[parameter.Name] = Draw(parameter, random);
            }
        }

        return values;
    }

    internal static double Draw(SearchParameter parameter, Random random) => parameter switch
    {
        CategoricalParameter c => random.Next(c.Choices.Count),
        IntParameter i => random.Next(i.Low, i.High + 1),
        FloatParameter { Log: true } f => Math.Clamp(Math.Exp(Math.Log(f.Low) + (random.NextDouble() * (Math.Log(f.High) - Math.Log(f.Low)))), f.Low, f.High),
        FloatParameter f => f.Low + (random.NextDouble() * (f.High - f.Low)),
        _ => throw new NotSupportedException(parameter.GetType().Name),
    };
}
