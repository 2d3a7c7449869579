using Spectre.Console;

namespace TagOlym.Cli.Commands;

/// <summary>
/// The two consoles of the command line: results on standard output, progress on standard error. Each is plain
/// (no ANSI codes, no colors) when it is not a terminal, and then wide enough that tables and summaries are not
/// wrapped at 80 columns in a file or a pipe.
/// </summary>
internal static class CliConsole
{
    /// <summary>The width lines may take when the output is redirected: no real line is longer, so none is wrapped.</summary>
    private const int RedirectedWidth = 4096;

    /// <summary>Makes <see cref="AnsiConsole"/> (which commands write their results through) the standard-output console.</summary>
    public static void UseStandardOutput() => AnsiConsole.Console = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>Standard error, for progress.</summary>
    public static IAnsiConsole CreateError() => Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Whether standard error is a terminal (progress bars) or a file or pipe (one plain line per finished stage).</summary>
    public static bool ErrorIsTerminal => !Console.IsErrorRedirected;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
