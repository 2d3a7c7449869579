using System.Text.RegularExpressions;

namespace TagOlym.Cli.Commands;

/// <summary>Rewords System.CommandLine's parse errors that name .NET types ("as expected type 'System.Int32'").</summary>
internal static partial class ParseErrors
{
    public static string Describe(string message)
    {
        var match = ExpectedType().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var expected = type switch
        {
            _ when type.Contains("Int", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration such as 00:05:00",
            _ => "a valid value",
        };
        return $"{match.Groups["option"].Value} must be {expected}; got '{match.Groups["value"].Value}'";
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<option>.*)' as expected type '(?<type>.*)'")]
    private static partial Regex ExpectedType();
}
