namespace Kiln.Engine;

internal interface ILruEntry
{
    long LastUsed { get; set; }

    void Evict();
}

internal interface ILruOwner
{
    IEnumerable<ILruEntry> EntriesWithValues();
}

/// <summary>
/// Bounds how many values one query kind keeps. Eviction drops a memo's value but keeps its
/// revisions and dependencies, so dependents still verify green without re-running it; the
/// value is recomputed only if someone asks for it again.
/// </summary>
/// <remarks>
/// Use order is a per-kind clock stamped on each fetch (a plain write: a lost race only makes
/// the order approximate). When the count of values passes the capacity, the oldest eighth
/// are evicted in one sort, so the cost per insertion stays amortized O(log n).
/// </remarks>
internal sealed class Lru(int capacity)
{
    private readonly Lock _evicting = new();
    private long _clock;
    private int _live;

    public int Capacity { get; } = capacity;

    public void Touch(ILruEntry entry) => entry.LastUsed = ++_clock;

    public void Added(ILruOwner owner, ILruEntry entry, bool replacedValue)
    {
        Touch(entry);
        if (replacedValue)
        {
            return;
        }

        if (Interlocked.Increment(ref _live) > Capacity)
        {
            EvictOldest(owner);
        }
    }

    private void EvictOldest(ILruOwner owner)
    {
        if (!_evicting.TryEnter())
        {
            return; // another thread is already evicting
        }

        try
        {
            var entries = new List<ILruEntry>(owner.EntriesWithValues());
            var target = Capacity - Capacity / 8;
            var excess = entries.Count - target;
            if (entries.Count > Capacity && excess > 0)
            {
                entries.Sort(static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
                for (var i = 0; i < excess; i++)
                {
                    entries[i].Evict();
                }
            }

            var live = 0;
            foreach (var _ in owner.EntriesWithValues())
            {
                live++;
            }

            Volatile.Write(ref _live, live);
        }
        finally
        {
            _evicting.Exit();
        }
    }
}
