namespace Kiln.Engine;

/// <summary>
/// One logical chain of nested fetches, started by one fetch from outside any query. A chain
/// runs on one thread at a time (it may move to a fresh thread when its stack runs low), so
/// the slots it has claimed are exactly the slots of its frames.
/// </summary>
internal sealed class Runner(Database database, long revision)
{
    public Database Database { get; } = database;

    /// <summary>The revision the whole chain runs in.</summary>
    public long Revision { get; } = revision;

    /// <summary>Set while this chain waits for a slot another chain is computing. Guarded by <see cref="WaitGraph"/>.</summary>
    public WaitEdge? BlockedOn { get; set; }
}

/// <param name="Slot">The slot being waited for.</param>
/// <param name="Owner">The frame (of another chain) computing it.</param>
/// <param name="Requester">The frame of the waiting chain that asked for it.</param>
internal sealed record WaitEdge(Slot Slot, QueryContext Owner, QueryContext Requester);

/// <summary>
/// Who waits for whom, across threads, so that a cycle through several chains is reported
/// as an error instead of a deadlock. Only the slow path (a wait) takes its lock.
/// </summary>
internal sealed class WaitGraph
{
    private readonly Lock _lock = new();
    private readonly List<Runner> _blocked = [];

    /// <summary>
    /// Records that <paramref name="requester"/>'s chain is about to wait for
    /// <paramref name="slot"/>, owned by <paramref name="owner"/>. Returns false (and records
    /// nothing) if the slot was released meanwhile. Throws <see cref="CycleException"/> if
    /// waiting would close a cycle.
    /// </summary>
    public bool TryBlock(Slot slot, QueryContext owner, QueryContext requester, Func<Slot, QueryContext?> currentOwner)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(currentOwner(slot), owner))
            {
                return false;
            }

            // Follow the chain of waits from the owner; coming back to us is a cycle.
            var edges = new List<WaitEdge>();
            var edge = new WaitEdge(slot, owner, requester);
            while (true)
            {
                edges.Add(edge);
                if (ReferenceEquals(edge.Owner.Runner, requester.Runner))
                {
                    throw new CycleException(DescribeCycle(edges));
                }

                if (edge.Owner.Runner.BlockedOn is not { } next)
                {
                    break;
                }

                edge = next;
            }

            requester.Runner.BlockedOn = edges[0];
            _blocked.Add(requester.Runner);
            return true;
        }
    }

    public void Unblock(Runner runner)
    {
        lock (_lock)
        {
            runner.BlockedOn = null;
            _blocked.Remove(runner);
        }
    }

    /// <summary>Called when <paramref name="slot"/> is released while chains wait for it.</summary>
    public void Released(Slot slot)
    {
        lock (_lock)
        {
            foreach (var runner in _blocked)
            {
                if (runner.BlockedOn is { } edge && ReferenceEquals(edge.Slot, slot))
                {
                    runner.BlockedOn = null;
                }
            }
        }
    }

    /// <summary>
    /// Edge i says: a frame of chain i asked for a slot owned by a frame of chain i+1. The last
    /// owner is in the first chain, above the first requester. Reading each chain from the
    /// frame that owns what the previous chain wants down to the frame that asks gives the cycle.
    /// </summary>
    private static List<string> DescribeCycle(List<WaitEdge> edges)
    {
        var names = new List<string>();
        var last = edges[^1].Owner;
        edges[0].Requester.AppendChainFrom(last, names);
        for (var i = 1; i < edges.Count; i++)
        {
            edges[i].Requester.AppendChainFrom(edges[i - 1].Owner, names);
        }

        names.Add(last.Slot!.Describe());
        return names;
    }
}
