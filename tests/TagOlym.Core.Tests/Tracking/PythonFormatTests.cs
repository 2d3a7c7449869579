using System.Globalization;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Tracking;

public sealed class PythonFormatTests
{
    [Fact]
    public void Doubles_are_written_as_pythons_repr_writes_them()
    {
        var expected = File.ReadAllLines(TestData.Path("python_floats.txt")).Where(l => l.Length > 0).ToList();
        expected.Should().HaveCountGreaterThan(600);

        var written = expected.Select(text => PythonFormat.Repr(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));

        written.Should().Equal(expected);
    }

    [Theory]
    [InlineData(3e-06, "3e-06")]
    [InlineData(0.0, "0.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Known_answers(double value, string python) => PythonFormat.Repr(value).Should().Be(python);
}
