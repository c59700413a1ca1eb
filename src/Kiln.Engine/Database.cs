namespace Kiln.Engine;

/// <summary>
/// The incremental query engine: inputs, derived queries, and the revision counter that
/// orders every change. Create the inputs and queries once, set inputs, then fetch from as
/// many threads as you like.
/// </summary>
/// <example>
/// <code>
/// var db = new Database();
/// var text = db.Input&lt;string, string&gt;("text");
/// var lines = db.Query&lt;string, int&gt;("lines", (ctx, file) =&gt; ctx.Get(text, file).Split('\n').Length);
/// text.Set("a.thrift", "struct A {}\n");
/// var n = lines.Get(db, "a.thrift"); // runs; asking again in the same revision is a hit
/// </code>
/// </example>
public sealed class Database
{
    private static int s_nextId;
    private readonly Lock _setLock = new();
    private readonly List<IQueryKind> _kinds = [];
    private long _revision = 1;
    private CancellationTokenSource? _revisionCancellation;

    public Database()
    {
        Id = Interlocked.Increment(ref s_nextId);
        EngineTelemetry.Register(this);
    }

    /// <summary>Distinguishes databases in telemetry.</summary>
    public int Id { get; }

    /// <summary>The current revision: starts at 1 and grows by one with every input change.</summary>
    public long Revision => Volatile.Read(ref _revision);

    internal WaitGraph Waits { get; } = new();

    public Input<TKey, TValue> Input<TKey, TValue>(string name, IEqualityComparer<TValue>? comparer = null, IEqualityComparer<TKey>? keyComparer = null)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new Input<TKey, TValue>(this, name, comparer, keyComparer);
    }

    public Query<TKey, TValue> Query<TKey, TValue>(string name, Func<QueryContext, TKey, TValue> compute, QueryOptions<TValue>? options = null)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(compute);
        var query = new Query<TKey, TValue>(this, name, compute, options);
        lock (_kinds)
        {
            _kinds.Add(query);
        }

        return query;
    }

    /// <summary>Counters per query kind, in the order the kinds were created.</summary>
    public IReadOnlyList<QueryStatistics> GetStatistics()
    {
        lock (_kinds)
        {
            var result = new QueryStatistics[_kinds.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = _kinds[i].Counters.Snapshot();
            }

            return result;
        }
    }

    internal bool SetInput<TKey, TValue>(Input<TKey, TValue> input, TKey key, TValue value)
        where TKey : notnull
    {
        CancellationTokenSource? cancelled = null;
        bool changed;
        lock (_setLock)
        {
            changed = input.SetLocked(key, value, () =>
            {
                // The revision moves before the value is published: a query that sees the new
                // value also sees the new revision, and cancels itself.
                var revision = Volatile.Read(ref _revision) + 1;
                Volatile.Write(ref _revision, revision);
                cancelled = _revisionCancellation;
                _revisionCancellation = null;
                return revision;
            });
        }

        // Outside the lock: cancellation callbacks are user code.
        cancelled?.Cancel();
        return changed;
    }

    internal CancellationToken CancellationTokenFor(long revision)
    {
        lock (_setLock)
        {
            if (revision != _revision)
            {
                return new CancellationToken(canceled: true);
            }

            _revisionCancellation ??= new CancellationTokenSource();
            return _revisionCancellation.Token;
        }
    }
}
