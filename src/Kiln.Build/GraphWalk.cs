namespace Kiln.Build;

/// <summary>
/// A depth-first walk of an include (Thrift) or import (Protobuf) graph that finds the edges
/// closing a cycle, with an explicit stack (include chains can be thousands deep). The
/// workspaces mark those edges as cycles in their inputs, so the queries see an acyclic graph
/// and never wait on themselves.
/// </summary>
internal static class GraphWalk
{
    /// <summary>
    /// Visits every edge once, walking from each start node in order (nodes already walked are
    /// skipped). An edge that leads back into a node still on the walk closes a cycle, and
    /// <paramref name="visit"/> is given it: the nodes from that node round to it again.
    /// </summary>
    /// <param name="starts">The roots first, then every other node, so unreachable nodes are walked too.</param>
    /// <param name="edgeCount">How many edges a node has (0 for a node outside the graph).</param>
    /// <param name="targetOf">Where a node's edge leads; null for an edge that leads nowhere.</param>
    /// <param name="visit">Called for every edge in walk order with (node, edge index, cycle or null).</param>
    public static void FindCycles(
        IEnumerable<string> starts,
        Func<string, int> edgeCount,
        Func<string, int, string?> targetOf,
        Action<string, int, IReadOnlyList<string>?> visit)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // true while on the walk
        var walk = new List<string>();
        var stack = new WalkStack();
        foreach (var start in starts)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            stack.Push(start, 0);
            state[start] = true;
            walk.Add(start);
            while (stack.Count > 0)
            {
                var node = stack.Pop(out var next);
                if (next >= edgeCount(node))
                {
                    state[node] = false;
                    walk.RemoveAt(walk.Count - 1);
                    continue;
                }

                stack.Push(node, next + 1);
                var target = targetOf(node, next);
                List<string>? cycle = null;
                if (target is not null && state.TryGetValue(target, out var onWalk) && onWalk)
                {
                    cycle = [.. walk.Skip(walk.IndexOf(target)), target];
                }

                visit(node, next, cycle);
                if (target is not null && !state.ContainsKey(target))
                {
                    state[target] = true;
                    walk.Add(target);
                    stack.Push(target, 0);
                }
            }
        }
    }
}

/// <summary>
/// The stack of a depth-first walk: each node with the index of the next edge to follow. Two lists
/// rather than a <c>Stack</c> of tuples, which the JIT compiles in every new process (an MSBuild
/// build's); lists of strings and of ints run the framework's precompiled code.
/// </summary>
internal sealed class WalkStack
{
    private readonly List<string> _nodes = [];
    private readonly List<int> _next = [];

    public int Count => _nodes.Count;

    public void Push(string node, int next)
    {
        _nodes.Add(node);
        _next.Add(next);
    }

    /// <summary>Takes the top node off, with the index of its next edge in <paramref name="next"/>.</summary>
    public string Pop(out int next)
    {
        var last = _nodes.Count - 1;
        var node = _nodes[last];
        next = _next[last];
        _nodes.RemoveAt(last);
        _next.RemoveAt(last);
        return node;
    }
}
