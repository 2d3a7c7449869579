using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

namespace TagOlym.Core.Features;

/// <summary>
/// An open-addressing hash table from a non-zero 64-bit key to a node number, with linear probing.
/// An n-gram is the pair (node of its first n-1 tokens, id of its last token), so every n-gram is one
/// 64-bit key and no string is ever built for it. Slots hold key and value side by side (12 bytes),
/// so a probe costs one cache miss. The capacity need not be a power of two (a key's home slot is its hash
/// scaled to the capacity), so a table built for a known count is sized to it: 13.6 million n-grams take 230 MB.
/// It fills to 70 % before it doubles: linear probing's clusters grow fast beyond that.
/// </summary>
internal sealed class NGramTable
{
    private const double MaxLoad = 0.7;

    private Slot[] _slots;
    private int _growAt;

    public NGramTable(int expectedCount = 1 << 16)
    {
        _slots = new Slot[CapacityFor(expectedCount)];
        _growAt = (int)(_slots.Length * MaxLoad);
    }

    public int Count { get; private set; }

    /// <summary>The key of the n-gram that extends the node <paramref name="prefixNode"/> (-1 for none) by a token.</summary>
    public static ulong KeyOf(int prefixNode, int tokenId) => ((ulong)(uint)(prefixNode + 1) << 32) | (uint)(tokenId + 1);

    public static (int PrefixNode, int TokenId) Split(ulong key) => ((int)(key >> 32) - 1, (int)(uint)key - 1);

    public bool TryGetValue(ulong key, out int value)
    {
        var slots = _slots;
        var i = Home(key, slots.Length);
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

            i = i + 1 == slots.Length ? 0 : i + 1;
        }
    }

    /// <summary>A hint to start loading the key's home slot, which a lookup soon after will need.</summary>
    public unsafe void Prefetch(ulong key)
    {
        if (Sse.IsSupported)
        {
            // a hint only: it cannot fault, and if the collector moves the table meanwhile it is merely wasted
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[Home(key, _slots.Length)]));
        }
    }

    /// <summary>The value stored for <paramref name="key"/>, or <paramref name="valueIfNew"/> after adding it.</summary>
    public int GetOrAdd(ulong key, int valueIfNew, out bool added)
    {
        var i = Home(key, _slots.Length);
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

            i = i + 1 == _slots.Length ? 0 : i + 1;
        }
    }

    private static int CapacityFor(int count) => checked((int)Math.Max(16, Math.Ceiling(count / MaxLoad) + 1));

    /// <summary>The key's hash scaled to 0..capacity-1 (Lemire's multiply-shift instead of a modulo).</summary>
    private static int Home(ulong key, int capacity)
    {
        // murmur3's 64-bit finalizer: the keys are structured (small node and token numbers), so mix them well
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdUL;
        key ^= key >> 33;
        key *= 0xc4ceb9fe1a85ec53UL;
        key ^= key >> 33;
        return (int)(((key >> 32) * (ulong)(uint)capacity) >> 32);
    }

    /// <summary>Makes room for <paramref name="count"/> keys in one step, instead of doubling repeatedly.</summary>
    public void EnsureCapacity(int count)
    {
        if (count > _growAt)
        {
            Resize(CapacityFor(count));
        }
    }

    private void Grow() => Resize(checked(_slots.Length * 2));

    private void Resize(int capacity)
    {
        var old = _slots;
        _slots = new Slot[capacity];
        _growAt = (int)(_slots.Length * MaxLoad);
        foreach (var slot in old)
        {
            if (slot.Key == 0)
            {
                continue;
            }

            var i = Home(slot.Key, _slots.Length);
            while (_slots[i].Key != 0)
            {
                i = i + 1 == _slots.Length ? 0 : i + 1;
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
