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
}
