using System.Diagnostics;

namespace TagOlym.Core.Learning.Search;

/// <summary>What the objective gives for one trial.</summary>
/// <param name="Metrics">Figures kept beside the value in the study file.</param>
/// <param name="RunId">The tracking run that recorded the trial, if any.</param>
/// <param name="Error">Set when the trial failed in a way the objective reports rather than throws (the value is then ignored).</param>
public sealed record TrialOutcome(double Value, IReadOnlyDictionary<string, double>? Metrics = null, string? RunId = null, string? Error = null);

/// <summary>A trial to evaluate: its number and parameters (internal numbers, see <see cref="SearchSpace.ToJson"/>).</summary>
public sealed record TrialRequest(int Number, IReadOnlyDictionary<string, double> Params);

/// <summary>Runs a study's trials, one or several at a time.</summary>
public static class StudyRunner
{
    /// <summary>
    /// Runs trials until the study has <paramref name="totalTrials"/>, up to <paramref name="parallelism"/> at once.
    /// A trial whose objective throws is recorded as failed and the study goes on. When <paramref name="stop"/> is
    /// cancelled, no new trial starts and the running ones finish and are recorded (Ctrl+C ends after the current
    /// trial). <paramref name="trialDone"/> is called after each trial is told to the study, one call at a time: the
    /// place to save the study file and report progress.
    /// </summary>
    public static async Task RunAsync(
        Study study,
        int totalTrials,
        Func<TrialRequest, Task<TrialOutcome>> objective,
        int parallelism = 1,
        Action<Trial>? trialDone = null,
        CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var reporting = new SemaphoreSlim(1, 1);
        var running = new Dictionary<int, Task>();
        for (var number = study.NextNumber; number < totalTrials && !stop.IsCancellationRequested; number++)
        {
            // trial k is proposed from trials up to k - parallelism: wait for them, and for a free slot
            while (running.Count >= parallelism || running.Keys.Any(n => n <= number - parallelism))
            {
                await Task.WhenAny(running.Values).ConfigureAwait(false);
                foreach (var finished in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                {
                    running.Remove(finished);
                }
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            var request = new TrialRequest(number, study.Ask(number, parallelism));
            running[number] = Task.Run(() => RunOneAsync(study, request, objective, reporting, trialDone), CancellationToken.None);
        }

        await Task.WhenAll(running.Values).ConfigureAwait(false);
    }

    private static async Task RunOneAsync(Study study, TrialRequest request, Func<TrialRequest, Task<TrialOutcome>> objective, SemaphoreSlim reporting, Action<Trial>? trialDone)
    {
        var clock = Stopwatch.StartNew();
        Trial trial;
        try
        {
            var outcome = await objective(request).ConfigureAwait(false);
            trial = outcome.Error is null && double.IsFinite(outcome.Value)
                ? new Trial(request.Number, request.Params, TrialState.Complete, outcome.Value, clock.Elapsed, outcome.Metrics, outcome.RunId)
                : new Trial(request.Number, request.Params, TrialState.Failed, null, clock.Elapsed, outcome.Metrics, outcome.RunId, outcome.Error ?? $"the objective gave {outcome.Value}");
        }
#pragma warning disable CA1031 // a failing trial is recorded, and the study goes on to the next
        catch (Exception e)
#pragma warning restore CA1031
        {
            trial = new Trial(request.Number, request.Params, TrialState.Failed, null, clock.Elapsed, Error: e.Message);
        }

        await reporting.WaitAsync().ConfigureAwait(false);
        try
        {
            study.Tell(trial);
            trialDone?.Invoke(trial);
        }
        finally
        {
            reporting.Release();
        }
    }
}
