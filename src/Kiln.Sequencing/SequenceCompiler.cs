namespace Kiln.Sequencing;

/// <summary>
/// The plain compiler: no cache, one pass. O(N) for every tree shape (N = nodes + events) plus
/// the merge work of parallel nodes whose operands really interleave (O(E log k) for E events in k
/// interleaving runs; zero when they do not). No recursion, so any depth works. Allocates the
/// output array (12 bytes per event) and nothing per event.
/// </summary>
public static class SequenceCompiler
{
    public static CompiledSequence Compile(SeqNode root) => Compile(root.Arena, root.Id);

    public static CompiledSequence Compile(SequenceArena arena, int root)
    {
        ArgumentNullException.ThrowIfNull(arena);
        arena.CheckId(root);
        var f = Flattener.Rent();
        try
        {
            var events = f.Run(arena, root, null);
            return new CompiledSequence(arena, root, events, arena.Nodes[root].Duration);
        }
        finally
        {
            Flattener.Return(f);
        }
    }

    /// <inheritdoc cref="CompileInto(SequenceArena, int, EventRecord[])"/>
    public static int CompileInto(SeqNode root, EventRecord[] destination) => CompileInto(root.Arena, root.Id, destination);

    /// <summary>
    /// Compiles <paramref name="root"/> into the caller's array, from index 0, and returns the
    /// number of events written (the root's <see cref="SequenceArena.EventCountOf"/>); the same
    /// events, in the same order, as <see cref="Compile(SequenceArena, int)"/>. For a caller that
    /// compiles again and again and needs only the latest list (a scan whose points go to the
    /// hardware one after another): one array reused across compiles instead of a new one each
    /// time, whose fresh memory the runtime must first map in. Resolve an event's channel, opcode
    /// and payload with <see cref="SequenceArena.ChannelOf"/>, <see cref="SequenceArena.OpcodeOf"/>
    /// and <see cref="SequenceArena.PayloadOf"/> of its <see cref="EventRecord.Node"/>. A destination
    /// shorter than the event count is an <see cref="ArgumentException"/>, and nothing is written;
    /// after a compile error (a <see cref="SequenceException"/>) its contents are unspecified.
    /// </summary>
    public static int CompileInto(SequenceArena arena, int root, EventRecord[] destination)
    {
        ArgumentNullException.ThrowIfNull(arena);
        ArgumentNullException.ThrowIfNull(destination);
        arena.CheckId(root);
        var total = CheckDestination(arena, root, destination);
        RunInto(arena, root, destination, total);
        return total;
    }

    /// <summary>The plain compile into a checked destination that holds <paramref name="total"/> events.</summary>
    internal static void RunInto(SequenceArena arena, int root, EventRecord[] destination, int total)
    {
        if (total == 0)
        {
            return;
        }

        var f = Flattener.Rent();
        try
        {
            f.RunInto(arena, root, null, destination);
        }
        finally
        {
            Flattener.Return(f);
        }
    }

    /// <summary>The root's event count, when <paramref name="destination"/> can hold it (else an <see cref="ArgumentException"/>).</summary>
    internal static int CheckDestination(SequenceArena arena, int root, EventRecord[] destination)
    {
        var total = Flattener.EventsToWrite(arena, root);
        if (destination.Length < total)
        {
            throw new ArgumentException($"the destination holds {destination.Length} events; the sequence has {total}", nameof(destination));
        }

        return total;
    }
}
