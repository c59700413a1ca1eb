namespace Kiln.Engine;

/// <summary>
/// The remembered result of one execution of a derived query. <see cref="Value"/>,
/// <see cref="ChangedAt"/> and <see cref="Dependencies"/> never change after construction;
/// only <see cref="VerifiedAt"/> moves forward, written by the slot's current owner.
/// An evicted memo keeps its revisions and dependencies but drops its value.
/// </summary>
internal sealed class Memo<TValue>
{
    private long _verifiedAt;

    public Memo(TValue value, bool hasValue, long changedAt, long verifiedAt, Slot[] dependencies)
    {
        Value = value;
        HasValue = hasValue;
        ChangedAt = changedAt;
        _verifiedAt = verifiedAt;
        Dependencies = dependencies;
    }

    public TValue Value { get; }

    public bool HasValue { get; }

    /// <summary>The revision in which the value last became different.</summary>
    public long ChangedAt { get; }

    /// <summary>The last revision in which the value was known to be up to date.</summary>
    public long VerifiedAt
    {
        get => Volatile.Read(ref _verifiedAt);
        set => Volatile.Write(ref _verifiedAt, value);
    }

    /// <summary>What the execution read, in the order it read it, without duplicates.</summary>
    public Slot[] Dependencies { get; }

    public Memo<TValue> WithoutValue() => new(default!, hasValue: false, ChangedAt, VerifiedAt, Dependencies);
}
