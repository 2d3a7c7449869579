using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using TagOlym.Core.Training;

namespace TagOlym.Cli.Commands;

/// <summary>
/// Shows training progress on standard error: on a terminal, a bar per stage and per label while it learns; in a
/// file or a pipe, one plain line per finished stage. A stage that reports steps without a known end (a label's
/// epochs: early stopping decides when it ends) shows what it is doing instead of a percentage.
/// </summary>
internal static class TrainingProgressView
{
    public static T Run<T>(bool quiet, Func<IProgress<TrainingProgress>?, T> work)
    {
        if (quiet)
        {
            return work(null);
        }

        if (!CliConsole.ErrorIsTerminal)
        {
            return work(new PlainLines(Console.Error));
        }

        var result = default(T)!;
        CliConsole.CreateError().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentOrRunningColumn(), new ElapsedTimeColumn())
            .Start(context => result = work(new Bars(context)));
        return result;
    }

    /// <summary>Whether a report says the stage is running without a known fraction (it has a detail but no progress yet).</summary>
    private static bool Unmeasured(TrainingProgress value) => value.Fraction <= 0 && value.Detail is not null;

    private sealed class Bars(ProgressContext context) : IProgress<TrainingProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _gate = new();

        public void Report(TrainingProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.Stage), maxValue: 1);
                    _tasks[value.Stage] = task;
                }

                task.IsIndeterminate = Unmeasured(value) && task.Value == 0;
                task.Value = Math.Max(task.Value, value.Fraction);
                if (value.Detail is not null)
                {
                    task.Description = Markup.Escape($"{value.Stage} ({value.Detail})");
                }
            }
        }
    }

    /// <summary>The percentage, or "running" for a stage whose end is not known yet.</summary>
    private sealed class PercentOrRunningColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.IsIndeterminate ? "running" : $"{task.Percentage,3:0} %");

        public override int? GetColumnWidth(RenderOptions options) => 7;
    }

    /// <summary>
    /// One line per stage when it finishes, with its time; nothing that needs a terminal. The pipeline's stages run
    /// one after the other, so a stage's time runs from the end of the one before; a label's from its first epoch.
    /// </summary>
    private sealed class PlainLines(TextWriter output) : IProgress<TrainingProgress>
    {
        private readonly Dictionary<string, TimeSpan> _started = [];
        private readonly HashSet<string> _done = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private TimeSpan _lastStageEnd;

        public void Report(TrainingProgress value)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var isLabel = value.Stage.Contains(':', StringComparison.Ordinal);
                _started.TryAdd(value.Stage, isLabel ? now : _lastStageEnd);
                if (value.Fraction < 1 || !_done.Add(value.Stage))
                {
                    return;
                }

                if (!isLabel)
                {
                    _lastStageEnd = now;
                }

                var detail = value.Detail is null ? string.Empty : $" ({value.Detail})";
                output.WriteLine(FormattableString.Invariant($"{value.Stage}: done{detail} in {(now - _started[value.Stage]).TotalSeconds:0.0} s"));
            }
        }
    }
}
