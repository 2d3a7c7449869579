using Spectre.Console;
using TagOlym.Core.Training;

namespace TagOlym.Cli.Commands;

/// <summary>Shows each pipeline stage, and each label while it learns, as a progress bar.</summary>
internal sealed class TrainingProgressView(ProgressContext context) : IProgress<TrainingProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private readonly Lock _gate = new();

    public static T Run<T>(bool quiet, Func<IProgress<TrainingProgress>?, T> work)
    {
        if (quiet)
        {
            return work(null);
        }

        var result = default(T)!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = work(new TrainingProgressView(context)));
        return result;
    }

    public void Report(TrainingProgress value)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(value.Stage, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Stage), maxValue: 1);
                _tasks[value.Stage] = task;
            }

            task.Value = Math.Max(task.Value, value.Fraction);
            if (value.Detail is not null)
            {
                task.Description = Markup.Escape($"{value.Stage} ({value.Detail})");
            }
        }
    }
}
