using System.Globalization;

namespace TagOlym.Core.Tracking;

/// <summary>
/// Numbers as MLflow's Python client writes them (<c>str(value)</c>): metric values in a file store, params logged from
/// an arguments dict. Runs logged by TagOlym and by the anchor's Python then compare equal in the MLflow UI.
/// </summary>
public static class PythonFormat
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, <c>0.0</c>, <c>0.01</c>, <c>3e-06</c>,
    /// <c>1e+16</c>, <c>nan</c>, <c>inf</c> (scientific below 1e-4 and from 1e16 on).</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // .NET's shortest round-trip form, taken apart into digits and a decimal exponent: value = 0.DIGITS x 10^point
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        var unsigned = negative ? text[1..] : text;
        var e = unsigned.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? unsigned : unsigned[..e];
        var exponent = e < 0 ? 0 : int.Parse(unsigned[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leadingZeros;
        var sign = negative ? "-" : "";
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        var scientific = point - 1;
        if (scientific < -4 || scientific >= 16)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(scientific < 0 ? '-' : '+')}{Math.Abs(scientific):00}";
        }

        if (point <= 0)
        {
            return $"{sign}0.{new string('0', -point)}{digits}";
        }

        return point >= digits.Length
            ? $"{sign}{digits}{new string('0', point - digits.Length)}.0"
            : $"{sign}{digits[..point]}.{digits[point..]}";
    }
}
