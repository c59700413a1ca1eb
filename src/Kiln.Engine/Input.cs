using System.Collections.Concurrent;

namespace Kiln.Engine;

/// <summary>
/// A kind of input: values set from outside the engine (file text, configuration). Setting a
/// key to a value equal to the one it has changes nothing; any other value starts a new
/// revision and cancels the queries that are running.
/// </summary>
public sealed class Input<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, InputSlot> _slots;
    private readonly IEqualityComparer<TValue> _comparer;

    internal Input(Database database, string name, IEqualityComparer<TValue>? comparer, IEqualityComparer<TKey>? keyComparer)
    {
        Database = database;
        Name = name;
        _comparer = comparer ?? EqualityComparer<TValue>.Default;
        _slots = new ConcurrentDictionary<TKey, InputSlot>(keyComparer);
    }

    public Database Database { get; }

    public string Name { get; }

    /// <summary>Sets the value of <paramref name="key"/>; returns true if it changed (a new revision began).</summary>
    public bool Set(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Database.SetInput(this, key, value);
    }

    /// <summary>True if <paramref name="key"/> has been given a value.</summary>
    public bool Contains(TKey key) => _slots.TryGetValue(key, out var slot) && slot.Current is not null;

    /// <summary>Reads the value from outside any query (no dependency is recorded).</summary>
    public TValue Get(Database database, TKey key)
    {
        CheckDatabase(database);
        return ReadSlot(key).Current!.Value;
    }

    /// <summary>Reads the value from inside a query, recording the dependency.</summary>
    public TValue Get(QueryContext context, TKey key)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckDatabase(context.Database);
        context.ThrowIfCancellationRequested();
        var slot = ReadSlot(key);
        var current = slot.Current!;
        // The revision is read after the value: a value set concurrently is either seen
        // together with its new revision (and the query is cancelled) or not seen at all.
        context.ThrowIfCancellationRequested();
        context.AddDependency(slot, current.ChangedAt);
        return current.Value;
    }

    /// <summary>Called by <see cref="Database"/> under its set lock.</summary>
    internal bool SetLocked(TKey key, TValue value, Func<long> beginRevision)
    {
        var slot = _slots.GetOrAdd(key, static (k, input) => new InputSlot(input, k), this);
        var current = slot.Current;
        if (current is not null && _comparer.Equals(current.Value, value))
        {
            return false;
        }

        var revision = beginRevision();
        slot.Current = new InputValue(value, revision);
        return true;
    }

    private InputSlot ReadSlot(TKey key)
    {
        if (!_slots.TryGetValue(key, out var slot) || slot.Current is null)
        {
            throw new InvalidOperationException($"Input {Slot.DescribeKey(Name, key)} was read before it was set.");
        }

        return slot;
    }

    private void CheckDatabase(Database database)
    {
        if (!ReferenceEquals(database, Database))
        {
            throw new ArgumentException($"Input '{Name}' belongs to another database.", nameof(database));
        }
    }

    internal sealed record InputValue(TValue Value, long ChangedAt);

    internal sealed class InputSlot(Input<TKey, TValue> input, TKey key) : Slot
    {
        private volatile InputValue? _current;

        public InputValue? Current
        {
            get => _current;
            set => _current = value;
        }

        internal override long VerifyChangedAt(QueryContext requester)
        {
            var current = _current ?? throw new InvalidOperationException($"Input {Describe()} has no value.");
            requester.ThrowIfCancellationRequested();
            return current.ChangedAt;
        }

        internal override string Describe() => DescribeKey(input.Name, key);
    }
}
