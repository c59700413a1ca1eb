using System.Collections.Concurrent;
using CsCheck;

namespace Kiln.Engine.Tests;

/// <summary>
/// Random DAGs of derived queries over random inputs, edited at random. After every edit, every
/// node is fetched (in a random order, on one thread or two) and compared with a from-scratch
/// evaluation; and a node may re-run only if a value it read in its previous execution is
/// different now. Since all nodes are fetched after every single edit, that is exactly "no
/// query re-runs unless something it transitively read really changed" (with early cutoff:
/// a re-run node whose value is unchanged does not count as changed for its readers).
/// </summary>
public class IncrementalPropertyTests
{
    private static readonly Gen<NodeSpec> s_node =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1_000_000].Array[1, 4], (kind, deps) => new NodeSpec(kind, deps));

    private static readonly Gen<GraphSpec> s_graph = Gen.Select(
        Gen.Int[1, 5],
        s_node.Array[1, 30],
        Gen.Int[0, 4].Array[5],
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4]).Array[1, 25],
        Gen.Int,
        (inputs, nodes, initial, edits, seed) => new GraphSpec(inputs, nodes, initial, edits, seed));

    [Fact]
    public void Incremental_results_equal_a_from_scratch_evaluation_and_nothing_re_runs_without_cause() =>
        s_graph.Sample(spec => Check(spec, parallel: false), iter: 400, threads: 1);

    [Fact]
    public void The_same_holds_when_two_threads_fetch_at_once_and_each_node_runs_at_most_once_per_revision() =>
        s_graph.Sample(spec => Check(spec, parallel: true), iter: 150, threads: 1);

    private static void Check(GraphSpec spec, bool parallel)
    {
        var db = new Database();
        var input = db.Input<int, int>("in");
        var lastReads = new ConcurrentDictionary<int, (int Dep, int Value)[]>();
        var runsThisRevision = new ConcurrentDictionary<int, int>();
        var values = new int[spec.Inputs];
        Query<int, int>? node = null;

        int Read(QueryContext ctx, int dep, List<(int, int)> reads)
        {
            var value = dep < spec.Inputs ? ctx.Get(input, dep) : ctx.Get(node!, dep - spec.Inputs);
            reads.Add((dep, value));
            return value;
        }

        node = db.Query<int, int>("node", (ctx, i) =>
        {
            runsThisRevision.AddOrUpdate(i, 1, (_, n) => n + 1);
            var reads = new List<(int, int)>();
            var result = spec.Evaluate(i, dep => Read(ctx, dep, reads));
            lastReads[i] = [.. reads];
            return result;
        });

        for (var j = 0; j < spec.Inputs; j++)
        {
            values[j] = spec.Initial[j % spec.Initial.Length];
            input.Set(j, values[j]);
        }

        var random = new Random(spec.OrderSeed);
        FetchAllAndCompare(isFirst: true);
        foreach (var (target, value) in spec.Edits)
        {
            var j = target % spec.Inputs;
            values[j] = value;
            input.Set(j, value);
            FetchAllAndCompare(isFirst: false);
        }

        void FetchAllAndCompare(bool isFirst)
        {
            var expected = spec.EvaluateFromScratch(values);
            var before = new Dictionary<int, (int Dep, int Value)[]>(lastReads);
            runsThisRevision.Clear();
            var order = Enumerable.Range(0, spec.Nodes.Length).OrderBy(_ => random.Next()).ToArray();
            var actual = new int[order.Length];
            if (parallel)
            {
                Parallel.For(0, 2, half =>
                {
                    for (var k = 0; k < order.Length; k++)
                    {
                        var i = order[half == 0 ? k : order.Length - 1 - k];
                        actual[i] = node.Get(db, i);
                    }
                });
            }
            else
            {
                foreach (var i in order)
                {
                    actual[i] = node.Get(db, i);
                }
            }

            Assert.Equal(expected, actual);
            foreach (var (i, runs) in runsThisRevision)
            {
                Assert.True(runs == 1, $"node {i} ran {runs} times in one revision");
                if (!isFirst && before.TryGetValue(i, out var previous))
                {
                    var current = Current(expected);
                    Assert.True(
                        Array.Exists(previous, read => current(read.Dep) != read.Value),
                        $"node {i} re-ran although nothing it read changed: {string.Join(", ", previous)}");
                }
            }
        }

        Func<int, int> Current(int[] nodeValues) => dep => dep < spec.Inputs ? values[dep] : nodeValues[dep - spec.Inputs];
    }

    /// <param name="Kind">0: sum mod 7; 1: first dep even ? second : third (reads change with values); 2: min(sum, 2), which often stays equal.</param>
    /// <param name="RawDeps">Resolved modulo the number of earlier nodes and inputs, so the graph is a DAG.</param>
    public sealed record NodeSpec(int Kind, int[] RawDeps);

    public sealed record GraphSpec(int Inputs, NodeSpec[] Nodes, int[] Initial, (int Input, int Value)[] Edits, int OrderSeed)
    {
        /// <summary>Dependency ids: inputs are 0..Inputs-1, node k is Inputs + k.</summary>
        public int Dep(int node, int slot)
        {
            var deps = Nodes[node].RawDeps;
            return deps[slot % deps.Length] % (Inputs + node);
        }

        public int Evaluate(int node, Func<int, int> read)
        {
            var spec = Nodes[node];
            switch (spec.Kind)
            {
                case 1:
                    return read(Dep(node, 0)) % 2 == 0 ? read(Dep(node, 1)) : read(Dep(node, 2)) + 1;
                default:
                    var sum = 0;
                    for (var s = 0; s < spec.RawDeps.Length; s++)
                    {
                        sum += read(Dep(node, s));
                    }

                    return spec.Kind == 0 ? sum % 7 : Math.Min(sum, 2);
            }
        }

        public int[] EvaluateFromScratch(int[] inputs)
        {
            var result = new int[Nodes.Length];
            for (var i = 0; i < Nodes.Length; i++)
            {
                result[i] = Evaluate(i, dep => dep < Inputs ? inputs[dep] : result[dep - Inputs]);
            }

            return result;
        }

        public override string ToString() =>
            $"inputs={Inputs} initial=[{string.Join(",", Initial)}] edits=[{string.Join(" ", Edits)}] nodes=[{string.Join("; ", Nodes.Select((n, i) => $"{i}:k{n.Kind}({string.Join(",", n.RawDeps.Select((_, s) => Dep(i, s)))})"))}]";
    }
}
