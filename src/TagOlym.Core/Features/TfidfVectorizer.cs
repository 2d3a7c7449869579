using System.Buffers;

namespace TagOlym.Core.Features;

/// <summary>
/// A fitted TF-IDF featurizer with scikit-learn's <c>TfidfVectorizer</c> semantics: tokens are runs of two or
/// more word characters, features are word n-grams of 1..<c>NgramMax</c> tokens, values are raw counts times
/// the smooth idf <c>ln((1+n)/(1+df)) + 1</c>, and each row is scaled to unit L2 norm.
/// <para>
/// The vocabulary is a trie of n-grams: an n-gram is a node, keyed by (node of its first n-1 tokens, its last
/// token), so transforming a post looks every n-gram up by extending the previous one: no string is built for
/// a token or an n-gram. Every n-gram seen in training is a node; a node has a column unless
/// <c>min_df</c> or <c>max_features</c> dropped it (it is then kept only as a prefix of longer n-grams).
/// </para>
/// Immutable after fitting and safe to use from many threads at once.
/// </summary>
public sealed class TfidfVectorizer
{
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _tokenIds;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _tokenLookup;
    private readonly Lazy<NGramTable> _nodes;

    internal TfidfVectorizer(TfidfOptions options, string[] tokens, ulong[] nodeKeys, int[]? nodeColumns, float[] idf, NGramTable? lookup = null)
    {
        Options = options;
        _tokens = tokens;
        NodeKeys = nodeKeys;
        NodeColumns = nodeColumns;
        Idf = idf;
        _tokenIds = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++)
        {
            _tokenIds.Add(tokens[i], i);
        }

        _tokenLookup = _tokenIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _nodes = lookup is null ? new Lazy<NGramTable>(BuildLookup) : new Lazy<NGramTable>(lookup);
    }

    public TfidfOptions Options { get; }

    /// <summary>The distinct tokens, by token id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The trie: for each node, its key (prefix node, last token); see <see cref="NGramTable.KeyOf"/>.</summary>
    internal ulong[] NodeKeys { get; }

    /// <summary>
    /// For each node, its feature column, or -1 when the n-gram is only a prefix; null when every node is a
    /// column of the same number (nothing filtered), which saves four bytes per n-gram.
    /// </summary>
    internal int[]? NodeColumns { get; }

    internal int ColumnOf(int node) => NodeColumns is null ? node : NodeColumns[node];

    /// <summary>The idf of each feature column.</summary>
    internal float[] Idf { get; }

    public int FeatureCount => Idf.Length;

    /// <summary>Fits the vocabulary and idf on <paramref name="documents"/> and returns their TF-IDF rows too.</summary>
    public static (TfidfVectorizer Vectorizer, SparseRow[] Rows) FitTransform(IReadOnlyList<string> documents, TfidfOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new TfidfFitter(options).Fit(documents);
    }

    /// <summary>The TF-IDF row of one (preprocessed) document.</summary>
    public SparseRow Transform(ReadOnlySpan<char> document)
    {
        // a document of L characters has at most L/3 tokens (two characters and a separator each)
        var tokenIds = ArrayPool<int>.Shared.Rent((document.Length / 3) + 1);
        var found = ArrayPool<int>.Shared.Rent((document.Length / 3) + 1);
        var columns = ArrayPool<int>.Shared.Rent(((document.Length / 3) + 1) * Options.NgramMax);
        try
        {
            var tokenCount = 0;
            foreach (var range in Tokenizer.Tokens(document))
            {
                tokenIds[tokenCount++] = _tokenLookup.TryGetValue(document[range], out var id) ? id : -1;
            }

            var count = CollectColumns(found, tokenIds.AsSpan(0, tokenCount), columns);
            return ToRow(columns.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tokenIds);
            ArrayPool<int>.Shared.Return(found);
            ArrayPool<int>.Shared.Return(columns);
        }
    }

    /// <summary>
    /// The same vectorizer without its n-gram lookup, the largest part of it, which is built again from
    /// <see cref="NodeKeys"/> on the first transform: training, once every split is featurized, lets the lookup go
    /// while the learner needs the memory.
    /// </summary>
    internal TfidfVectorizer WithoutLookup() => new(Options, _tokens, NodeKeys, NodeColumns, Idf);

    /// <summary>Builds the lookup now rather than on the first transform (so the first request is not slow).</summary>
    internal void EnsureLookup() => _ = _nodes.Value;

    private NGramTable BuildLookup()
    {
        // keys in node order land at random slots: request each slot a few inserts ahead so the misses overlap
        const int Ahead = 16;
        var table = new NGramTable(NodeKeys.Length);
        for (var node = 0; node < NodeKeys.Length; node++)
        {
            if (node + Ahead < NodeKeys.Length)
            {
                table.Prefetch(NodeKeys[node + Ahead]);
            }

            table.GetOrAdd(NodeKeys[node], node, out _);
        }

        return table;
    }

    /// <summary>The n-gram text of a feature column (tokens joined by single spaces), for reports.</summary>
    public string FeatureName(int column)
    {
        var node = NodeColumns is null ? (column < NodeKeys.Length ? column : -1) : Array.IndexOf(NodeColumns, column);
        if (node < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, "no such feature column");
        }

        var parts = new List<string>();
        while (node >= 0)
        {
            var (prefix, token) = NGramTable.Split(NodeKeys[node]);
            parts.Add(Tokens[token]);
            node = prefix;
        }

        parts.Reverse();
        return string.Join(' ', parts);
    }

    /// <summary>
    /// The column of every n-gram of the token sequence, repeats included, level by level as in fitting: an
    /// n-gram not seen in training cannot start a longer one, so a start drops out at its first unknown n-gram;
    /// the slots of a level are requested from memory together, so their cache misses overlap.
    /// </summary>
    private int CollectColumns(Span<int> found, ReadOnlySpan<int> tokenIds, Span<int> columns)
    {
        var nodes = _nodes.Value;
        var count = 0;
        found = found[..tokenIds.Length];
        found.Fill(-1);
        for (var n = 1; n <= Options.NgramMax && n <= tokenIds.Length; n++)
        {
            var starts = tokenIds.Length - n + 1;
            for (var p = 0; p < starts; p++)
            {
                if ((n == 1 || found[p] >= 0) && tokenIds[p + n - 1] >= 0)
                {
                    nodes.Prefetch(NGramTable.KeyOf(n == 1 ? -1 : found[p], tokenIds[p + n - 1]));
                }
            }

            for (var p = 0; p < starts; p++)
            {
                var token = tokenIds[p + n - 1];
                if ((n > 1 && found[p] < 0) || token < 0
                    || !nodes.TryGetValue(NGramTable.KeyOf(n == 1 ? -1 : found[p], token), out var node))
                {
                    found[p] = -1;
                    continue;
                }

                found[p] = node;
                var column = ColumnOf(node);
                if (column >= 0)
                {
                    columns[count++] = column;
                }
            }
        }

        return count;
    }

    /// <summary>Counts repeated columns, weights by idf and L2-normalizes.</summary>
    internal SparseRow ToRow(Span<int> columns)
    {
        if (columns.IsEmpty)
        {
            return SparseRow.Empty;
        }

        columns.Sort();
        var distinct = 1;
        for (var i = 1; i < columns.Length; i++)
        {
            if (columns[i] != columns[i - 1])
            {
                distinct++;
            }
        }

        var indices = new int[distinct];
        var values = new float[distinct];
        var d = 0;
        var run = 1;
        for (var i = 1; i <= columns.Length; i++)
        {
            if (i < columns.Length && columns[i] == columns[i - 1])
            {
                run++;
                continue;
            }

            indices[d] = columns[i - 1];
            values[d] = run;
            d++;
            run = 1;
        }

        Weigh(indices, values, Options.SublinearTf, Idf);
        return new SparseRow(indices, values);
    }

    /// <summary>Turns counts into tf-idf values scaled to unit L2 norm, in place.</summary>
    internal static void Weigh(int[] indices, float[] counts, bool sublinearTf, float[] idf)
    {
        double squares = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            double tf = counts[i];
            var value = (sublinearTf ? 1 + Math.Log(tf) : tf) * idf[indices[i]];
            counts[i] = (float)value;
            squares += value * value;
        }

        if (squares > 0)
        {
            var scale = 1 / Math.Sqrt(squares);
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = (float)(counts[i] * scale);
            }
        }
    }
}
