using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kiln.Engine;

/// <summary>
/// A kind of derived query: a pure function of <c>(context, key)</c> whose results are
/// memoized per key and reused while nothing it read has changed.
/// </summary>
/// <remarks>
/// The fetch is split into a hot path (the memo is already verified in this revision: one
/// dictionary lookup and two reads) and a cold path (claim the slot, verify the memo's
/// dependencies, re-execute if one changed). See <c>docs/engine.md</c> for the algorithm.
/// </remarks>
public sealed class Query<TKey, TValue> : IQueryKind, ILruOwner
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, MemoSlot> _slots;
    private readonly Func<QueryContext, TKey, TValue> _compute;
    private readonly IEqualityComparer<TValue> _comparer;
    private readonly Lru? _lru;

    /// <summary>How many query functions are running on this thread (nested).</summary>
    [ThreadStatic]
    private static int t_executing;

    internal Query(Database database, string name, Func<QueryContext, TKey, TValue> compute, QueryOptions<TValue>? options)
    {
        Database = database;
        Name = name;
        _compute = compute;
        _comparer = options?.Comparer ?? EqualityComparer<TValue>.Default;
        _slots = new ConcurrentDictionary<TKey, MemoSlot>(options?.KeyComparer as IEqualityComparer<TKey>);
        var capacity = options?.LruCapacity ?? 0;
        _lru = capacity > 0 ? new Lru(capacity) : null;
        Statistics = new QueryCounters(name);
    }

    public Database Database { get; }

    public string Name { get; }

    internal QueryCounters Statistics { get; }

    QueryCounters IQueryKind.Counters => Statistics;

    /// <summary>Fetches from outside any query: nothing is recorded.</summary>
    public TValue Get(Database database, TKey key)
    {
        CheckDatabase(database, nameof(database));
        var slot = SlotFor(key);
        var memo = slot.Memo;
        if (memo is not null && memo.HasValue && memo.VerifiedAt == database.Revision)
        {
            Statistics.Hits.Increment();
            _lru?.Touch(slot);
            return memo.Value;
        }

        return FetchCold(RootContext(database, key), slot).Value;
    }

    /// <summary>Fetches from inside a query, recording the dependency.</summary>
    public TValue Get(QueryContext context, TKey key)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckDatabase(context.Database, nameof(context));

        context.ThrowIfCancellationRequested();
        var slot = SlotFor(key);
        var memo = slot.Memo;
        if (memo is null || !memo.HasValue || memo.VerifiedAt != context.Revision)
        {
            memo = FetchCold(context, slot);
        }
        else
        {
            Statistics.Hits.Increment();
            _lru?.Touch(slot);
        }

        context.AddDependency(slot, memo.ChangedAt);
        return memo.Value;
    }

    /// <summary>
    /// The revision in which the value for <paramref name="key"/> last changed, bringing it up to
    /// date first (verifying, or re-running if something it read changed) but without needing
    /// the value itself. A driver that wrote a query's output in revision R asks this to skip
    /// every key whose answer is not newer than R, without holding or recomputing the values.
    /// </summary>
    public long GetChangedAt(Database database, TKey key)
    {
        CheckDatabase(database, nameof(database));
        var slot = SlotFor(key);
        var memo = slot.Memo;
        return memo is not null && memo.VerifiedAt == database.Revision
            ? memo.ChangedAt
            : slot.VerifyChangedAt(RootContext(database, key));
    }

    private void CheckDatabase(Database database, string parameter)
    {
        if (!ReferenceEquals(database, Database))
        {
            throw new ArgumentException($"Query '{Name}' belongs to another database.", parameter);
        }
    }

    /// <summary>The frame of a fetch from outside any query: it starts a new chain and records nothing.</summary>
    private QueryContext RootContext(Database database, TKey key)
    {
        if (t_executing > 0)
        {
            // Waiting here for a slot this thread's own chain holds would never end.
            throw new InvalidOperationException(
                $"{Slot.DescribeKey(Name, key)} was fetched through the Database from inside a running query. " +
                "Fetch through the QueryContext the query function was given, so that the dependency is recorded.");
        }

        return new QueryContext(null, null, new Runner(database, database.Revision));
    }

    /// <summary>
    /// Drops every memoized value of this query kind now, as the LRU would one by one: revisions
    /// and dependencies stay, so each memo still verifies green, and a later fetch that needs the
    /// value computes it again. For a driver that knows a kind's values will not be read again
    /// soon (a workspace's parses once everything is linked). A slot being computed is left alone.
    /// </summary>
    public void EvictValues()
    {
        foreach (var slot in _slots.Values)
        {
            EvictValue(slot);
        }
    }

    /// <summary>The number of keys that currently hold a memoized value (not evicted).</summary>
    public int CountValues()
    {
        var count = 0;
        foreach (var slot in _slots.Values)
        {
            if (slot.Memo is { HasValue: true })
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>How many fetches are waiting for another thread to finish <paramref name="key"/> (for tests).</summary>
    internal int WaitersFor(TKey key) => _slots.TryGetValue(key, out var slot) ? slot.Waiters : 0;

    private MemoSlot SlotFor(TKey key)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            return slot;
        }

        ArgumentNullException.ThrowIfNull(key);
        return _slots.GetOrAdd(key, static (k, query) => new MemoSlot(query, k), this);
    }

    private Memo<TValue> FetchCold(QueryContext requester, MemoSlot slot)
    {
        while (true)
        {
            requester.ThrowIfCancellationRequested();
            var memo = slot.Memo;
            if (memo is not null && memo.HasValue && memo.VerifiedAt == requester.Revision)
            {
                Statistics.Hits.Increment();
                _lru?.Touch(slot);
                return memo;
            }

            var frame = new QueryContext(slot, requester, requester.Runner);
            if (!slot.TryClaim(frame))
            {
                slot.WaitForOwner(frame);
                continue;
            }

            try
            {
                var result = StackGuard.HasRoom
                    ? VerifyOrExecute(frame, needValue: true)
                    : StackGuard.RunOnFreshStack(static f => ((MemoSlot)f.Slot!).Query.VerifyOrExecute(f, needValue: true), frame);
                _lru?.Touch(slot);
                return result;
            }
            finally
            {
                slot.Release();
            }
        }
    }

    /// <summary>
    /// Runs with <paramref name="frame"/>'s slot claimed. Returns a memo verified in the
    /// frame's revision, holding a value if <paramref name="needValue"/>.
    /// </summary>
    private Memo<TValue> VerifyOrExecute(QueryContext frame, bool needValue)
    {
        var slot = (MemoSlot)frame.Slot!;
        var memo = slot.Memo;
        if (memo is not null)
        {
            if (memo.VerifiedAt != frame.Revision)
            {
                if (!DependenciesUnchanged(frame, memo))
                {
                    return Execute(frame, memo);
                }

                memo.VerifiedAt = frame.Revision;
                Statistics.Validations.Increment();
            }

            if (memo.HasValue || !needValue)
            {
                return memo;
            }
        }

        return Execute(frame, memo);
    }

    /// <summary>Red/green: true if no dependency changed after the memo was last verified.</summary>
    private static bool DependenciesUnchanged(QueryContext frame, Memo<TValue> memo)
    {
        var verifiedAt = memo.VerifiedAt;
        foreach (var dependency in memo.Dependencies)
        {
            if (dependency.VerifyChangedAt(frame) > verifiedAt)
            {
                return false;
            }
        }

        return true;
    }

    private Memo<TValue> Execute(QueryContext frame, Memo<TValue>? old)
    {
        var slot = (MemoSlot)frame.Slot!;
        using var activity = EngineTelemetry.StartActivity(Name, slot);
        frame.BeginExecution();
        var start = Stopwatch.GetTimestamp();
        TValue value;
        t_executing++;
        try
        {
            value = _compute(frame, slot.Key);
        }
        finally
        {
            t_executing--;
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        frame.Parent?.AddChildTicks(elapsed);

        Statistics.ExecutionTicks.Add(elapsed - frame.ChildTicks);
        frame.ThrowIfCancellationRequested();

        var changedAt = frame.MaxChangedAt;
        if (old is null)
        {
            Statistics.Misses.Increment();
        }
        else
        {
            Statistics.Reexecutions.Increment();
            if (old.VerifiedAt == frame.Revision)
            {
                // Green but evicted: a pure function of unchanged inputs gives the same value.
                changedAt = old.ChangedAt;
            }
            else if (old.HasValue && _comparer.Equals(old.Value, value))
            {
                // Early cutoff: the value did not change, so dependents stay green.
                Statistics.Backdates.Increment();
                changedAt = old.ChangedAt;
                value = old.Value;
            }
            else
            {
                // The dependency that made us re-run is read again and changed after
                // old.VerifiedAt; the floor only guards against impure functions.
                changedAt = Math.Max(changedAt, old.VerifiedAt + 1);
            }
        }

        var memo = new Memo<TValue>(value, hasValue: true, changedAt, frame.Revision, frame.TakeDependencies());
        slot.Memo = memo;
        _lru?.Added(this, slot, replacedValue: old is { HasValue: true });
        return memo;
    }

    internal void EvictValue(MemoSlot slot)
    {
        var memo = slot.Memo;
        if (memo is { HasValue: true } && slot.Owner is null)
        {
            if (Interlocked.CompareExchange(ref slot.MemoField, memo.WithoutValue(), memo) == memo)
            {
                Statistics.Evictions.Increment();
            }
        }
    }

    IEnumerable<ILruEntry> ILruOwner.EntriesWithValues()
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Memo is { HasValue: true })
            {
                yield return slot;
            }
        }
    }

    internal sealed class MemoSlot(Query<TKey, TValue> query, TKey key) : Slot, ILruEntry
    {
        internal Memo<TValue>? MemoField;
        private QueryContext? _owner;
        private int _waiters;

        public Query<TKey, TValue> Query { get; } = query;

        public TKey Key { get; } = key;

        public Memo<TValue>? Memo
        {
            get => Volatile.Read(ref MemoField);
            set => Volatile.Write(ref MemoField, value);
        }

        public QueryContext? Owner => Volatile.Read(ref _owner);

        public int Waiters => Volatile.Read(ref _waiters);

        public long LastUsed { get; set; }

        public bool TryClaim(QueryContext frame) => Interlocked.CompareExchange(ref _owner, frame, null) is null;

        public void Release()
        {
            Interlocked.Exchange(ref _owner, null);
            if (Volatile.Read(ref _waiters) > 0)
            {
                Query.Database.Waits.Released(this);
                lock (this)
                {
                    Monitor.PulseAll(this);
                }
            }
        }

        /// <summary>
        /// Waits until the current owner releases the slot, or throws <see cref="CycleException"/>
        /// if the owner (directly or through other waiting chains) waits for us.
        /// </summary>
        public void WaitForOwner(QueryContext frame)
        {
            var owner = Owner;
            if (owner is null)
            {
                return;
            }

            if (ReferenceEquals(owner.Runner, frame.Runner))
            {
                // Our own chain holds it: the owner is one of our ancestors.
                var names = new List<string>();
                frame.Parent!.AppendChainFrom(owner, names);
                names.Add(Describe());
                throw new CycleException(names);
            }

            var waits = Query.Database.Waits;
            Interlocked.Increment(ref _waiters);
            try
            {
                if (!waits.TryBlock(this, owner, frame.Parent!, static s => ((MemoSlot)s).Owner))
                {
                    return;
                }

                try
                {
                    lock (this)
                    {
                        while (ReferenceEquals(Owner, owner))
                        {
                            Monitor.Wait(this);
                        }
                    }
                }
                finally
                {
                    waits.Unblock(frame.Runner);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }

        internal override long VerifyChangedAt(QueryContext requester)
        {
            while (true)
            {
                requester.ThrowIfCancellationRequested();
                var memo = Memo;
                if (memo is not null && memo.VerifiedAt == requester.Revision)
                {
                    return memo.ChangedAt;
                }

                var frame = new QueryContext(this, requester, requester.Runner);
                if (!TryClaim(frame))
                {
                    WaitForOwner(frame);
                    continue;
                }

                try
                {
                    var verified = StackGuard.HasRoom
                        ? Query.VerifyOrExecute(frame, needValue: false)
                        : StackGuard.RunOnFreshStack(static f => ((MemoSlot)f.Slot!).Query.VerifyOrExecute(f, needValue: false), frame);
                    return verified.ChangedAt;
                }
                finally
                {
                    Release();
                }
            }
        }

        internal override string Describe() => DescribeKey(Query.Name, Key);

        void ILruEntry.Evict() => Query.EvictValue(this);
    }
}
