using System.Runtime.InteropServices;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// Streaming word counts over whitespace-split texts: one dictionary entry per distinct word, so counting 164k posts
/// costs the vocabulary, not a posts x words table (the anchor's pandas <c>str.split(expand=True).stack()</c> grew to
/// 19 GB there). Words are looked up by span: a word already seen allocates nothing.
/// </summary>
public sealed class TokenCounts
{
    private readonly Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tally>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public TokenCounts()
    {
        _bySpan = _tallies.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many distinct words were seen.</summary>
    public int Distinct => _tallies.Count;

    /// <summary>How many words were seen in all.</summary>
    public long Total { get; private set; }

    /// <summary>Counts a whole corpus.</summary>
    public static TokenCounts Of(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new TokenCounts();
        foreach (var text in texts)
        {
            counts.Add(text);
        }

        return counts;
    }

    /// <summary>Counts every whitespace-separated word of one text.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        foreach (var word in new WhitespaceTokens(text))
        {
            ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_bySpan, word, out var seen);
            if (!seen)
            {
                tally.FirstSeen = _tallies.Count - 1;
            }

            tally.Count++;
            Total++;
        }
    }

    /// <summary>How often <paramref name="word"/> was seen.</summary>
    public long CountOf(ReadOnlySpan<char> word) => _bySpan.TryGetValue(word, out var tally) ? tally.Count : 0;

    /// <summary>
    /// The <paramref name="n"/> most frequent words, most frequent first; equal counts in order of first appearance
    /// (what pandas' <c>value_counts</c> intends; its unstable sort leaves such ties in no defined order).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, long>> MostCommon(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n == 0)
        {
            return [];
        }

        // a bounded heap whose root is the weakest kept word: lower count, or same count but seen later
        var heap = new PriorityQueue<KeyValuePair<string, Tally>, Tally>(n + 1, WeakestFirst.Instance);
        foreach (var entry in _tallies)
        {
            heap.Enqueue(entry, entry.Value);
            if (heap.Count > n)
            {
                heap.Dequeue();
            }
        }

        var top = new KeyValuePair<string, long>[heap.Count];
        for (var i = top.Length - 1; i >= 0; i--)
        {
            var entry = heap.Dequeue();
            top[i] = new KeyValuePair<string, long>(entry.Key, entry.Value.Count);
        }

        return top;
    }

    private struct Tally
    {
        public long Count;
        public int FirstSeen;
    }

    private sealed class WeakestFirst : IComparer<Tally>
    {
        public static readonly WeakestFirst Instance = new();

        public int Compare(Tally x, Tally y) =>
            x.Count != y.Count ? x.Count.CompareTo(y.Count) : y.FirstSeen.CompareTo(x.FirstSeen);
    }
}
