using System.Buffers;

namespace TagOlym.Core.Text;

/// <summary>
/// The Porter stemmer exactly as NLTK 3.8's <c>PorterStemmer()</c> in its default mode
/// (<c>NLTK_EXTENSIONS</c>): the irregular-forms table, words of at most two characters returned
/// unchanged, and NLTK's departures from the 1980 paper (steps 1a, 1b, 1c and 2).
/// </summary>
/// <remarks>
/// Stateless and thread-safe. The work is done in place on a character buffer: a stem is never
/// longer than its word, so <see cref="Stem(ReadOnlySpan{char}, Span{char})"/> needs a destination
/// only as long as the word and allocates nothing. Lowercasing (NLTK's <c>to_lowercase=True</c>)
/// is per UTF-16 code unit and culture-invariant, which is Python's <c>str.lower()</c> for ASCII
/// (the preprocessor only ever passes lowercase ASCII words).
/// </remarks>
public static class PorterStemmer
{
    private const int StackLimit = 256;

    /// <summary>The stem of <paramref name="word"/>; the same instance when the stem equals the word.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0)
        {
            return word;
        }

        char[]? rented = null;
        var buffer = word.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            var length = Stem(word, buffer);
            var stem = buffer[..length];
            return stem.SequenceEqual(word) ? word : new string(stem);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes the stem of <paramref name="word"/> to <paramref name="destination"/>, which must hold at
    /// least <c>word.Length</c> characters, and returns the stem's length.
    /// </summary>
    public static int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the word.", nameof(destination));
        }

        var irregular = Irregular(word);
        for (var i = 0; i < word.Length; i++)
        {
            destination[i] = char.ToLowerInvariant(word[i]);
        }

        if (irregular is not null)
        {
            // NLTK looks the word up before lowercasing; every key of the table is lowercase.
            irregular.CopyTo(destination);
            return irregular.Length;
        }

        return StemSteps(destination[..word.Length]);
    }

    /// <summary>
    /// Stems a lowercase word in place and returns the stem's length (the stem is a prefix-edit of the
    /// buffer). The preprocessor's hot path: no copy, no allocation.
    /// </summary>
    internal static int StemInPlace(Span<char> word)
    {
        var irregular = Irregular(word);
        if (irregular is not null)
        {
            irregular.CopyTo(word);
            return irregular.Length;
        }

        return StemSteps(word);
    }

    private static string? Irregular(ReadOnlySpan<char> word) => word switch
    {
        "sky" or "skies" => "sky",
        "dying" => "die",
        "lying" => "lie",
        "tying" => "tie",
        "news" => "news",
        "innings" or "inning" => "inning",
        "outings" or "outing" => "outing",
        "cannings" or "canning" => "canning",
        "howe" => "howe",
        "proceed" => "proceed",
        "exceed" => "exceed",
        "succeed" => "succeed",
        _ => null,
    };

    private static int StemSteps(Span<char> w)
    {
        if (w.Length <= 2)
        {
            return w.Length;
        }

        var n = w.Length;
        n = Step1A(w, n);
        n = Step1B(w, n);
        n = Step1C(w, n);
        n = Step2(w, n);
        n = Step3(w, n);
        n = Step4(w, n);
        n = Step5A(w, n);
        n = Step5B(w, n);
        return n;
    }

    // ---- the paper's definitions --------------------------------------------------------------

    private static bool IsVowelLetter(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>
    /// Whether <c>w[i]</c> is a consonant: not a vowel letter, and a <c>y</c> only when it starts the
    /// word or follows a vowel. Walks back over a run of <c>y</c> instead of recursing.
    /// </summary>
    private static bool IsConsonant(ReadOnlySpan<char> w, int i)
    {
        var c = w[i];
        if (c != 'y')
        {
            return !IsVowelLetter(c);
        }

        var k = i;
        while (k >= 0 && w[k] == 'y')
        {
            k--;
        }

        // w[k + 1] is the first y of the run: a consonant at the start of the word or after a vowel
        // letter (w[k] is not a y, so its status is its letter's); the run then alternates.
        var first = k < 0 || IsVowelLetter(w[k]);
        return ((i - k - 1) & 1) == 0 ? first : !first;
    }

    /// <summary>The measure m of <c>[C](VC){m}[V]</c>: the number of vowel-to-consonant transitions.</summary>
    private static int Measure(ReadOnlySpan<char> stem)
    {
        var m = 0;
        var previousConsonant = true;
        for (var i = 0; i < stem.Length; i++)
        {
            var c = stem[i];
            bool consonant;
            if (IsVowelLetter(c))
            {
                consonant = false;
            }
            else if (c == 'y')
            {
                consonant = i == 0 || !previousConsonant;
            }
            else
            {
                consonant = true;
            }

            if (consonant && i > 0 && !previousConsonant)
            {
                m++;
            }

            previousConsonant = consonant;
        }

        return m;
    }

    private static bool ContainsVowel(ReadOnlySpan<char> stem)
    {
        var previousConsonant = true;
        for (var i = 0; i < stem.Length; i++)
        {
            var c = stem[i];
            var consonant = !IsVowelLetter(c) && (c != 'y' || i == 0 || !previousConsonant);
            if (!consonant)
            {
                return true;
            }

            previousConsonant = consonant;
        }

        return false;
    }

    /// <summary>*d: ends with a double consonant.</summary>
    private static bool EndsDoubleConsonant(ReadOnlySpan<char> w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    /// <summary>*o: ends consonant-vowel-consonant, the last not w, x or y; NLTK adds two-letter vowel-consonant words.</summary>
    private static bool EndsCvc(ReadOnlySpan<char> w)
    {
        var n = w.Length;
        if (n >= 3
            && IsConsonant(w, n - 3)
            && !IsConsonant(w, n - 2)
            && IsConsonant(w, n - 1)
            && w[n - 1] is not ('w' or 'x' or 'y'))
        {
            return true;
        }

        return n == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1);
    }

    private static bool EndsWith(Span<char> w, int n, string suffix) =>
        n >= suffix.Length && w[n - 1] == suffix[^1] && w.Slice(n - suffix.Length, suffix.Length).SequenceEqual(suffix);

    /// <summary>Replaces the last <paramref name="suffixLength"/> characters by <paramref name="replacement"/>.</summary>
    private static int Replace(Span<char> w, int n, int suffixLength, string replacement)
    {
        var stem = n - suffixLength;
        replacement.CopyTo(w[stem..]);
        return stem + replacement.Length;
    }

    // ---- rule lists: the first rule whose suffix matches decides, applied or not ---------------

    private enum Condition
    {
        MeasureAboveZero,
        MeasureAboveOne,
        MeasureAboveOneAndEndsSOrT,
        LogiRule,
    }

    private readonly record struct Rule(string Suffix, string Replacement, Condition Condition);

    private static readonly Rule[] Step2Rules =
    [
        new("ational", "ate", Condition.MeasureAboveZero),
        new("tional", "tion", Condition.MeasureAboveZero),
        new("enci", "ence", Condition.MeasureAboveZero),
        new("anci", "ance", Condition.MeasureAboveZero),
        new("izer", "ize", Condition.MeasureAboveZero),
        new("bli", "ble", Condition.MeasureAboveZero),
        new("alli", "al", Condition.MeasureAboveZero),
        new("entli", "ent", Condition.MeasureAboveZero),
        new("eli", "e", Condition.MeasureAboveZero),
        new("ousli", "ous", Condition.MeasureAboveZero),
        new("ization", "ize", Condition.MeasureAboveZero),
        new("ation", "ate", Condition.MeasureAboveZero),
        new("ator", "ate", Condition.MeasureAboveZero),
        new("alism", "al", Condition.MeasureAboveZero),
        new("iveness", "ive", Condition.MeasureAboveZero),
        new("fulness", "ful", Condition.MeasureAboveZero),
        new("ousness", "ous", Condition.MeasureAboveZero),
        new("aliti", "al", Condition.MeasureAboveZero),
        new("iviti", "ive", Condition.MeasureAboveZero),
        new("biliti", "ble", Condition.MeasureAboveZero),
        new("fulli", "ful", Condition.MeasureAboveZero),
        new("logi", "log", Condition.LogiRule),
    ];

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", Condition.MeasureAboveZero),
        new("ative", "", Condition.MeasureAboveZero),
        new("alize", "al", Condition.MeasureAboveZero),
        new("iciti", "ic", Condition.MeasureAboveZero),
        new("ical", "ic", Condition.MeasureAboveZero),
        new("ful", "", Condition.MeasureAboveZero),
        new("ness", "", Condition.MeasureAboveZero),
    ];

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", Condition.MeasureAboveOne),
        new("ance", "", Condition.MeasureAboveOne),
        new("ence", "", Condition.MeasureAboveOne),
        new("er", "", Condition.MeasureAboveOne),
        new("ic", "", Condition.MeasureAboveOne),
        new("able", "", Condition.MeasureAboveOne),
        new("ible", "", Condition.MeasureAboveOne),
        new("ant", "", Condition.MeasureAboveOne),
        new("ement", "", Condition.MeasureAboveOne),
        new("ment", "", Condition.MeasureAboveOne),
        new("ent", "", Condition.MeasureAboveOne),
        new("ion", "", Condition.MeasureAboveOneAndEndsSOrT),
        new("ou", "", Condition.MeasureAboveOne),
        new("ism", "", Condition.MeasureAboveOne),
        new("ate", "", Condition.MeasureAboveOne),
        new("iti", "", Condition.MeasureAboveOne),
        new("ous", "", Condition.MeasureAboveOne),
        new("ive", "", Condition.MeasureAboveOne),
        new("ize", "", Condition.MeasureAboveOne),
    ];

    private static int ApplyRules(Span<char> w, int n, Rule[] rules)
    {
        foreach (var rule in rules)
        {
            if (!EndsWith(w, n, rule.Suffix))
            {
                continue;
            }

            var stem = w[..(n - rule.Suffix.Length)];
            var holds = rule.Condition switch
            {
                Condition.MeasureAboveZero => Measure(stem) > 0,
                Condition.MeasureAboveOne => Measure(stem) > 1,
                Condition.MeasureAboveOneAndEndsSOrT => Measure(stem) > 1 && stem[^1] is 's' or 't',
                // NLTK: "logi" -> "log" when the word less its last three letters ("...l") has m > 0
                Condition.LogiRule => Measure(w[..(n - 3)]) > 0,
                _ => false,
            };
            return holds ? Replace(w, n, rule.Suffix.Length, rule.Replacement) : n;
        }

        return n;
    }

    // ---- the steps -----------------------------------------------------------------------------

    private static int Step1A(Span<char> w, int n)
    {
        if (n == 4 && EndsWith(w, n, "ies"))
        {
            return n - 1; // NLTK: "ties" -> "tie"
        }

        if (EndsWith(w, n, "sses") || EndsWith(w, n, "ies"))
        {
            return n - 2;
        }

        if (EndsWith(w, n, "ss"))
        {
            return n;
        }

        return EndsWith(w, n, "s") ? n - 1 : n;
    }

    private static int Step1B(Span<char> w, int n)
    {
        if (EndsWith(w, n, "ied"))
        {
            return n == 4 ? n - 1 : n - 2; // NLTK: "died" -> "die", "cried" -> "cri"
        }

        if (EndsWith(w, n, "eed"))
        {
            return Measure(w[..(n - 3)]) > 0 ? n - 1 : n;
        }

        int stem;
        if (EndsWith(w, n, "ed") && ContainsVowel(w[..(n - 2)]))
        {
            stem = n - 2;
        }
        else if (EndsWith(w, n, "ing") && ContainsVowel(w[..(n - 3)]))
        {
            stem = n - 3;
        }
        else
        {
            return n;
        }

        if (EndsWith(w, stem, "at") || EndsWith(w, stem, "bl") || EndsWith(w, stem, "iz"))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        var s = w[..stem];
        if (EndsDoubleConsonant(s))
        {
            return s[^1] is 'l' or 's' or 'z' ? stem : stem - 1;
        }

        if (Measure(s) == 1 && EndsCvc(s))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        return stem;
    }

    private static int Step1C(Span<char> w, int n)
    {
        // NLTK: y -> i only after a consonant that is not the whole stem ("happy" -> "happi", "by" stays)
        if (EndsWith(w, n, "y") && n - 1 > 1 && IsConsonant(w[..(n - 1)], n - 2))
        {
            w[n - 1] = 'i';
        }

        return n;
    }

    private static int Step2(Span<char> w, int n)
    {
        // NLTK: "alli" -> "al" first, then step 2 again on the result
        if (EndsWith(w, n, "alli") && Measure(w[..(n - 4)]) > 0)
        {
            return Step2(w, n - 2);
        }

        return ApplyRules(w, n, Step2Rules);
    }

    private static int Step3(Span<char> w, int n) => ApplyRules(w, n, Step3Rules);

    private static int Step4(Span<char> w, int n) => ApplyRules(w, n, Step4Rules);

    private static int Step5A(Span<char> w, int n)
    {
        if (!EndsWith(w, n, "e"))
        {
            return n;
        }

        var stem = w[..(n - 1)];
        var m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? n - 1 : n;
    }

    private static int Step5B(Span<char> w, int n) =>
        EndsWith(w, n, "ll") && Measure(w[..(n - 1)]) > 1 ? n - 1 : n;
}
