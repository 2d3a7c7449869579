namespace TagOlym.Web.Tests.Support;

/// <summary>
/// Makes a skipped test say why in <c>dotnet test</c>'s default output, which prints a skipped test's display name
/// but not its skip reason: the name carries the reason.
/// </summary>
public static class SkipReason
{
    public static void Apply(FactAttribute fact, string reason, string test)
    {
        fact.Skip = reason;
        fact.DisplayName = $"{test} (skipped: {reason})";
    }
}
