using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace TagOlym.Core.Features;

/// <summary>
/// Builds the n-gram trie and the document frequencies in one sequential pass over the training documents
/// (so node numbers are deterministic), keeping each document's distinct nodes and counts, which become its
/// TF-IDF row once the idf is known: the training documents are never tokenized twice.
/// </summary>
internal sealed class TfidfFitter(TfidfOptions options)
{
    private readonly Dictionary<string, int> _tokenIds = new(StringComparer.Ordinal);
    private readonly List<string> _tokens = [];
    private const int SampleDocuments = 4096;

    private NGramTable? _table = new();

    private ulong[] _nodeKeys = new ulong[1 << 16];
    private NodeStats[] _stats = new NodeStats[1 << 16];
    private int _nodeCount;

    public (TfidfVectorizer Vectorizer, SparseRow[] Rows) Fit(IReadOnlyList<string> documents)
    {
        var counts = new SparseRow[documents.Count];
        var lookup = _tokenIds.GetAlternateLookup<ReadOnlySpan<char>>();
        var tokenIds = new List<int>();
        var nodes = new List<int>();
        var keys = new ulong[256];
        var found = new int[256];
        for (var d = 0; d < documents.Count; d++)
        {
            var document = documents[d].AsSpan();
            tokenIds.Clear();
            foreach (var range in Tokenizer.Tokens(document))
            {
                var token = document[range];
                if (!lookup.TryGetValue(token, out var id))
                {
                    id = _tokens.Count;
                    var text = token.ToString();
                    _tokens.Add(text);
                    _tokenIds.Add(text, id);
                }

                tokenIds.Add(id);
            }

            nodes.Clear();
            AddNgrams(CollectionsMarshal.AsSpan(tokenIds), d, nodes, ref keys, ref found);
            counts[d] = CountDistinct(nodes);
            if (d + 1 == SampleDocuments && documents.Count > 2 * SampleDocuments)
            {
                ReserveFor(documents.Count, d + 1);
            }
        }

        var nodeColumns = AssignColumns(counts);
        var idf = InverseDocumentFrequencies(nodeColumns, documents.Count);
        _stats = [];
        for (var d = 0; d < counts.Length; d++)
        {
            counts[d] = ToColumns(counts[d], nodeColumns, idf);
        }

        TfidfVectorizer vectorizer;
        if (nodeColumns is null)
        {
            // every n-gram is a feature, and the fitting table already maps each to its node: hand it over
            vectorizer = new TfidfVectorizer(options, [.. _tokens], _nodeKeys[.._nodeCount], nodeColumns, idf, _table);
        }
        else
        {
            _table = null;
            var (prunedKeys, prunedColumns) = Prune(nodeColumns);
            vectorizer = new TfidfVectorizer(options, [.. _tokens], prunedKeys, prunedColumns, idf);
        }

        _table = null;
        _nodeKeys = [];
        return (vectorizer, counts);
    }

    /// <summary>
    /// Drops the n-grams that are neither features nor prefixes of one (after <c>min_df</c>, most of them): a
    /// lookup stops at them anyway, since nothing longer starting with them is known. A node's prefix is always
    /// an earlier node, so one backward pass marks what is needed and one forward pass renumbers it.
    /// </summary>
    private (ulong[] Keys, int[] Columns) Prune(int[] nodeColumns)
    {
        var needed = new bool[_nodeCount];
        for (var node = _nodeCount - 1; node >= 0; node--)
        {
            needed[node] |= nodeColumns[node] >= 0;
            var (prefix, _) = NGramTable.Split(_nodeKeys[node]);
            if (needed[node] && prefix >= 0)
            {
                needed[prefix] = true;
            }
        }

        var renumbered = new int[_nodeCount];
        var keys = new List<ulong>();
        var columns = new List<int>();
        for (var node = 0; node < _nodeCount; node++)
        {
            if (!needed[node])
            {
                renumbered[node] = -1;
                continue;
            }

            var (prefix, token) = NGramTable.Split(_nodeKeys[node]);
            renumbered[node] = keys.Count;
            keys.Add(NGramTable.KeyOf(prefix < 0 ? -1 : renumbered[prefix], token));
            columns.Add(nodeColumns[node]);
        }

        return ([.. keys], [.. columns]);
    }

    /// <summary>
    /// New n-grams keep coming at a roughly steady rate per document (most long n-grams are seen once), so the
    /// count after a sample extrapolates to the whole corpus: reserving it once spares the table the repeated
    /// doubling, whose rehashing would otherwise cost more random writes than the inserts themselves.
    /// </summary>
    private void ReserveFor(int documentCount, int seen)
    {
        var expected = (int)Math.Min(int.MaxValue / 2, 1.1 * _nodeCount * documentCount / seen);
        _table!.EnsureCapacity(expected);
        if (expected > _nodeKeys.Length)
        {
            Array.Resize(ref _nodeKeys, expected);
            Array.Resize(ref _stats, expected);
        }
    }

    /// <summary>
    /// Finds or adds every n-gram of one document, level by level: the n-grams of length n extend those of length
    /// n-1 at the same start, so all keys of a level are known at once. Their table slots, and then their nodes'
    /// statistics, are requested from memory together before any is used, so the cache misses (the cost of
    /// fitting, with a table of hundreds of megabytes) overlap instead of following one another.
    /// </summary>
    private void AddNgrams(ReadOnlySpan<int> tokenIds, int document, List<int> nodes, ref ulong[] keys, ref int[] found)
    {
        if (keys.Length < tokenIds.Length)
        {
            keys = new ulong[tokenIds.Length * 2];
            found = new int[tokenIds.Length * 2];
        }

        var table = _table!;
        for (var n = 1; n <= options.NgramMax && n <= tokenIds.Length; n++)
        {
            var starts = tokenIds.Length - n + 1;
            for (var p = 0; p < starts; p++)
            {
                keys[p] = NGramTable.KeyOf(n == 1 ? -1 : found[p], tokenIds[p + n - 1]);
                table.Prefetch(keys[p]);
            }

            for (var p = 0; p < starts; p++)
            {
                found[p] = NodeOf(keys[p]);
                PrefetchStats(found[p]);
            }

            for (var p = 0; p < starts; p++)
            {
                ref var stats = ref _stats[found[p]];
                if (stats.LastDocument != document)
                {
                    stats.LastDocument = document;
                    stats.DocumentFrequency++;
                }

                nodes.Add(found[p]);
            }
        }
    }

    private unsafe void PrefetchStats(int node)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _stats[node]));
        }
    }

    private int NodeOf(ulong key)
    {
        var node = _table!.GetOrAdd(key, _nodeCount, out var added);
        if (added)
        {
            if (_nodeCount == _nodeKeys.Length)
            {
                var size = checked(_nodeKeys.Length * 2);
                Array.Resize(ref _nodeKeys, size);
                Array.Resize(ref _stats, size);
            }

            _nodeKeys[_nodeCount] = key;
            _stats[_nodeCount].LastDocument = -1;
            _nodeCount++;
        }

        return node;
    }

    /// <summary>The distinct nodes of a document (ascending) with how often each occurs.</summary>
    private static SparseRow CountDistinct(List<int> nodes)
    {
        if (nodes.Count == 0)
        {
            return SparseRow.Empty;
        }

        var sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes);
        sorted.Sort();
        var distinct = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            distinct += sorted[i] != sorted[i - 1] ? 1 : 0;
        }

        var indices = new int[distinct];
        var values = new float[distinct];
        var d = -1;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                indices[++d] = sorted[i];
            }

            values[d]++;
        }

        return new SparseRow(indices, values);
    }

    /// <summary>
    /// The column of each node: null when nothing is filtered (column = node), otherwise the nodes that pass
    /// <c>min_df</c> and, of those, the <c>max_features</c> most frequent over the corpus (ties: earlier node first).
    /// </summary>
    private int[]? AssignColumns(SparseRow[] counts)
    {
        if (options.MinDf <= 1 && (options.MaxFeatures is null || options.MaxFeatures >= _nodeCount))
        {
            return null;
        }

        var columns = new int[_nodeCount];

        var kept = Enumerable.Range(0, _nodeCount).Where(node => _stats[node].DocumentFrequency >= options.MinDf);
        if (options.MaxFeatures is { } max && max < _nodeCount)
        {
            var termFrequency = new long[_nodeCount];
            foreach (var row in counts)
            {
                for (var i = 0; i < row.Count; i++)
                {
                    termFrequency[row.Indices[i]] += (long)row.Values[i];
                }
            }

            kept = kept.OrderByDescending(node => termFrequency[node]).ThenBy(node => node).Take(max).Order();
        }

        Array.Fill(columns, -1);
        var column = 0;
        foreach (var node in kept)
        {
            columns[node] = column++;
        }

        return columns;
    }

    private float[] InverseDocumentFrequencies(int[]? nodeColumns, int documentCount)
    {
        var idf = new float[nodeColumns is null ? _nodeCount : nodeColumns.Length == 0 ? 0 : nodeColumns.Max() + 1];
        for (var node = 0; node < _nodeCount; node++)
        {
            var column = nodeColumns is null ? node : nodeColumns[node];
            if (column >= 0)
            {
                idf[column] = (float)(Math.Log((1.0 + documentCount) / (1.0 + _stats[node].DocumentFrequency)) + 1.0);
            }
        }

        return idf;
    }

    /// <summary>Maps a document's node counts to columns, drops filtered nodes, and weighs them.</summary>
    private SparseRow ToColumns(SparseRow nodeCounts, int[]? nodeColumns, float[] idf)
    {
        if (nodeColumns is null)
        {
            TfidfVectorizer.Weigh(nodeCounts.Indices, nodeCounts.Values, options.SublinearTf, idf);
            return nodeCounts;
        }

        var kept = 0;
        for (var i = 0; i < nodeCounts.Count; i++)
        {
            kept += nodeColumns[nodeCounts.Indices[i]] >= 0 ? 1 : 0;
        }

        // node order is column order (columns are assigned in node order), so the row stays sorted
        var indices = kept == nodeCounts.Count ? nodeCounts.Indices : new int[kept];
        var values = kept == nodeCounts.Count ? nodeCounts.Values : new float[kept];
        var k = 0;
        for (var i = 0; i < nodeCounts.Count; i++)
        {
            var column = nodeColumns[nodeCounts.Indices[i]];
            if (column >= 0)
            {
                indices[k] = column;
                values[k] = nodeCounts.Values[i];
                k++;
            }
        }

        TfidfVectorizer.Weigh(indices, values, options.SublinearTf, idf);
        return new SparseRow(indices, values);
    }

    /// <summary>Side by side, so counting a node's document frequency touches one cache line.</summary>
    private struct NodeStats
    {
        public int DocumentFrequency;
        public int LastDocument;
    }
}
