namespace TagOlym.Core.Tests.Support;

/// <summary>Files of <c>tests/TagOlym.Core.Tests/TestData/</c>, copied next to the test assembly.</summary>
public static class TestData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", name);
}
