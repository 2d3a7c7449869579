using System.Runtime.InteropServices;

namespace TagOlym.Core.Features;

/// <summary>
/// An open-addressing hash table from a non-zero 64-bit key to a node number, with linear probing.
/// An n-gram is the pair (node of its first n-1 tokens, id of its last token), so every n-gram is one
/// 64-bit key and no string is ever built for it. Slots hold key and value side by side (12 bytes),
/// so a probe costs one cache miss; the table fills to 60 % before it doubles, because linear probing's
/// clusters (and so the cost of adding a new n-gram, the common case in fitting) grow fast beyond that.
/// </summary>
internal sealed class NGramTable
{
    private const double MaxLoad = 0.6;

    private Slot[] _slots;
    private int _mask;
    private int _growAt;

    public NGramTable(int expectedCount = 1 << 16)
    {
        var capacity = CapacityFor(expectedCount);
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _growAt = (int)(capacity * MaxLoad);
    }

    public int Count { get; private set; }

    /// <summary>The key of the n-gram that extends the node <paramref name="prefixNode"/> (-1 for none) by a token.</summary>
    public static ulong KeyOf(int prefixNode, int tokenId) => ((ulong)(uint)(prefixNode + 1) << 32) | (uint)(tokenId + 1);

    public static (int PrefixNode, int TokenId) Split(ulong key) => ((int)(key >> 32) - 1, (int)(uint)key - 1);

    public bool TryGetValue(ulong key, out int value)
    {
        var slots = _slots;
        var i = Home(key, _mask);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Key == key)
            {
                value = slot.Value;
                return true;
            }

            if (slot.Key == 0)
            {
                value = -1;
                return false;
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>The value stored for <paramref name="key"/>, or <paramref name="valueIfNew"/> after adding it.</summary>
    public int GetOrAdd(ulong key, int valueIfNew, out bool added)
    {
        var i = Home(key, _mask);
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.Key == key)
            {
                added = false;
                return slot.Value;
            }

            if (slot.Key == 0)
            {
                slot.Key = key;
                slot.Value = valueIfNew;
                added = true;
                if (++Count > _growAt)
                {
                    Grow();
                }

                return valueIfNew;
            }

            i = (i + 1) & _mask;
        }
    }

    private static int CapacityFor(int count)
    {
        var capacity = 16;
        while (capacity * MaxLoad < count)
        {
            capacity = checked(capacity * 2);
        }

        return capacity;
    }

    private static int Home(ulong key, int mask)
    {
        // murmur3's 64-bit finalizer: the keys are structured (small node and token numbers), so mix them well
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdUL;
        key ^= key >> 33;
        key *= 0xc4ceb9fe1a85ec53UL;
        key ^= key >> 33;
        return (int)key & mask;
    }

    private void Grow()
    {
        var old = _slots;
        var capacity = checked(old.Length * 2);
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _growAt = (int)(capacity * MaxLoad);
        foreach (var slot in old)
        {
            if (slot.Key == 0)
            {
                continue;
            }

            var i = Home(slot.Key, _mask);
            while (_slots[i].Key != 0)
            {
                i = (i + 1) & _mask;
            }

            _slots[i] = slot;
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong Key;
        public int Value;
    }
}
