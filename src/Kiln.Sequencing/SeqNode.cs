namespace Kiln.Sequencing;

/// <summary>
/// A handle to a node: its arena and its id. <c>a &gt;&gt; b</c> composes serially, <c>a | b</c>
/// in parallel (each makes one new binary node; use <see cref="Seq.Serial"/> or
/// <see cref="Seq.Parallel"/> for one n-ary node).
/// </summary>
public readonly struct SeqNode : IEquatable<SeqNode>
{
    internal SeqNode(SequenceArena arena, int id)
    {
        Arena = arena;
        Id = id;
    }

    public SequenceArena Arena { get; }

    public int Id { get; }

    public NodeKind Kind => Arena.KindOf(Id);

    public ulong Duration => Arena.DurationOf(Id);

    public int EventCount => Arena.EventCountOf(Id);

    public ReadOnlySpan<int> Children => Arena.ChildrenOf(Id);

    public static SeqNode operator >>(SeqNode first, SeqNode second) => Seq.Serial(first, second);

    public static SeqNode operator |(SeqNode left, SeqNode right) => Seq.Parallel(left, right);

    public static SeqNode RightShift(SeqNode first, SeqNode second) => first >> second;

    public static SeqNode BitwiseOr(SeqNode left, SeqNode right) => left | right;

    public bool Equals(SeqNode other) => ReferenceEquals(Arena, other.Arena) && Id == other.Id;

    public override bool Equals(object? obj) => obj is SeqNode other && Equals(other);

    public override int GetHashCode() => Id;

    public static bool operator ==(SeqNode left, SeqNode right) => left.Equals(right);

    public static bool operator !=(SeqNode left, SeqNode right) => !left.Equals(right);

    public override string ToString() => $"#{Id} {Arena?.KindOf(Id)}";
}

/// <summary>The fluent entry points.</summary>
public static class Seq
{
    /// <summary>One n-ary serial node (at least one operand, all from one arena).</summary>
    public static SeqNode Serial(params ReadOnlySpan<SeqNode> nodes) => ArenaOf(nodes).Serial(nodes);

    /// <summary>One n-ary parallel node (operands must use disjoint channels; checked when compiled).</summary>
    public static SeqNode Parallel(params ReadOnlySpan<SeqNode> nodes) => ArenaOf(nodes).Parallel(nodes);

    public static SeqNode Wait(SequenceArena arena, SeqDuration duration)
    {
        ArgumentNullException.ThrowIfNull(arena);
        return arena.Wait(duration);
    }

    public static SeqNode Atomic(SequenceArena arena, Channel channel, SeqDuration duration, ushort opcode, ReadOnlyMemory<byte> payload = default)
    {
        ArgumentNullException.ThrowIfNull(arena);
        return arena.Atomic(channel, duration, opcode, payload);
    }

    public static void UpdatePayload(SeqNode atomic, ReadOnlyMemory<byte> payload) => atomic.Arena.UpdatePayload(atomic, payload);

    private static SequenceArena ArenaOf(ReadOnlySpan<SeqNode> nodes)
    {
        if (nodes.Length == 0 || nodes[0].Arena is null)
        {
            throw new ArgumentException("at least one node is needed (use arena.Serial() for an empty composition)", nameof(nodes));
        }

        return nodes[0].Arena;
    }
}
