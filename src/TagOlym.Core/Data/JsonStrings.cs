using System.Text;
using System.Text.Json;

namespace TagOlym.Core.Data;

/// <summary>
/// Reads JSON string values that System.Text.Json refuses to decode: a lone UTF-16 surrogate written as an escape
/// (<c>"\ud800"</c>, common in scraped exports) or bytes that are not UTF-8. Each bad code unit or byte sequence
/// becomes U+FFFD, and the caller learns how many were replaced, so the record is kept and the repair is counted.
/// </summary>
internal static class JsonStrings
{
    public const char Replacement = '\uFFFD';

    /// <summary>The current string token's value; <paramref name="replaced"/> counts the characters replaced by U+FFFD.</summary>
    public static string Read(ref Utf8JsonReader reader, out int replaced)
    {
        replaced = 0;
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // the reader has checked the escapes' syntax already; only their meaning or the UTF-8 is wrong
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
            return Decode(raw, out replaced);
        }
    }

    /// <summary>Unescapes a JSON string's raw bytes, replacing invalid UTF-8 and lone surrogates by U+FFFD.</summary>
    internal static string Decode(ReadOnlySpan<byte> raw, out int replaced)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var plain = backslash < 0 ? raw : raw[..backslash];
            text.Append(Encoding.UTF8.GetString(plain)); // invalid UTF-8 becomes U+FFFD here
            if (backslash < 0)
            {
                break;
            }

            raw = raw[backslash..];
            var escape = raw[1];
            if (escape == (byte)'u')
            {
                text.Append((char)Convert.ToUInt16(Encoding.ASCII.GetString(raw.Slice(2, 4)), 16));
                raw = raw[6..];
                continue;
            }

            text.Append(escape switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)escape, // " \ /
            });
            raw = raw[2..];
        }

        replaced = ReplaceLoneSurrogates(text);
        return text.ToString();
    }

    /// <summary>Replaces every surrogate that is not half of a high-low pair; counts them and the U+FFFD already in place of bad UTF-8.</summary>
    private static int ReplaceLoneSurrogates(StringBuilder text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                text[i] = Replacement;
                count++;
            }
            else if (c == Replacement)
            {
                count++;
            }
        }

        return count;
    }
}
