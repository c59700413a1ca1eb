namespace Kiln.Engine;

/// <summary>
/// The frame of one running query: what it has read so far (its dependencies, in order),
/// the revision it runs in, and the frame that asked for it. A query function receives its
/// context and reads every other query and input through it, which is how dependencies are
/// recorded without the function saying so.
/// </summary>
/// <remarks>
/// A context belongs to one execution on one thread at a time: a query function must not
/// hand its context to other threads. To fan out, fetch from the <see cref="Database"/> on
/// many threads (the driver does) instead.
/// </remarks>
public sealed class QueryContext
{
    private const int LinearDeduplicationLimit = 8;

    // Frames are allocated per claimed slot, also when only verifying, so they stay small:
    // what only an execution needs lives in an ExecutionRecord made when execution starts.
    private ExecutionRecord? _execution;

    internal QueryContext(Slot? slot, QueryContext? parent, Runner runner)
    {
        Slot = slot;
        Parent = parent;
        Runner = runner;
    }

    public Database Database => Runner.Database;

    /// <summary>The revision this query runs in. When an input changes, the query is cancelled.</summary>
    public long Revision => Runner.Revision;

    /// <summary>Cancelled when an input is set while this query runs; for long pure loops.</summary>
    public CancellationToken CancellationToken => Database.CancellationTokenFor(Revision);

    /// <summary>The slot this frame computes or verifies; null for a fetch from outside any query.</summary>
    internal Slot? Slot { get; }

    internal QueryContext? Parent { get; }

    internal Runner Runner { get; }

    /// <summary>The newest <c>ChangedAt</c> among the dependencies read so far.</summary>
    internal long MaxChangedAt => _execution?.MaxChangedAt ?? 0;

    /// <summary>Ticks spent executing queries this one called (subtracted to get self time).</summary>
    internal long ChildTicks => _execution?.ChildTicks ?? 0;

    /// <summary>Called when this frame starts executing its query; from then on reads are recorded.</summary>
    internal void BeginExecution() => _execution = new ExecutionRecord();

    internal void AddChildTicks(long ticks)
    {
        if (_execution is not null)
        {
            _execution.ChildTicks += ticks;
        }
    }

    public TValue Get<TKey, TValue>(Query<TKey, TValue> query, TKey key)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Get(this, key);
    }

    public TValue Get<TKey, TValue>(Input<TKey, TValue> input, TKey key)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Get(this, key);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> if an input was set since this query began.</summary>
    public void ThrowIfCancellationRequested()
    {
        if (Database.Revision != Revision)
        {
            throw new OperationCanceledException(
                $"An input was set while the query ran (revision {Revision}, now {Database.Revision}).",
                Database.CancellationTokenFor(Revision));
        }
    }

    internal void AddDependency(Slot dependency, long changedAt)
    {
        var execution = _execution;
        if (execution is null)
        {
            return; // a fetch from outside any query records nothing
        }

        if (changedAt > execution.MaxChangedAt)
        {
            execution.MaxChangedAt = changedAt;
        }

        var dependencies = execution.Dependencies;
        var count = dependencies.Count;
        if (count > 0 && ReferenceEquals(dependencies[count - 1], dependency))
        {
            return;
        }

        if (execution.DependencySet is { } set)
        {
            if (set.Add(dependency))
            {
                dependencies.Add(dependency);
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(dependencies[i], dependency))
            {
                return;
            }
        }

        dependencies.Add(dependency);
        if (dependencies.Count > LinearDeduplicationLimit)
        {
            execution.DependencySet = new HashSet<Slot>(dependencies, ReferenceEqualityComparer.Instance);
        }
    }

    internal Slot[] TakeDependencies() => _execution is null || _execution.Dependencies.Count == 0 ? [] : [.. _execution.Dependencies];

    /// <summary>The queries from <paramref name="ancestor"/> down to this frame, outermost first.</summary>
    internal void AppendChainFrom(QueryContext ancestor, List<string> names)
    {
        var start = names.Count;
        for (var frame = this; frame is not null; frame = frame.Parent)
        {
            if (frame.Slot is not null)
            {
                names.Add(frame.Slot.Describe());
            }

            if (ReferenceEquals(frame, ancestor))
            {
                break;
            }
        }

        names.Reverse(start, names.Count - start);
    }

    private sealed class ExecutionRecord
    {
        public List<Slot> Dependencies { get; } = new(4);

        public HashSet<Slot>? DependencySet { get; set; }

        public long MaxChangedAt { get; set; }

        public long ChildTicks { get; set; }
    }
}
