using BenchmarkDotNet.Attributes;

namespace Kiln.Engine.Bench;

/// <summary>
/// A graph of 1 000 000 derived queries (a binary tree whose leaves read 1 000 inputs). After an
/// input that no query reads changes, fetching the root verifies all 1 000 000 memos green
/// without running any of them (target: &lt; 150 ms on one core).
/// </summary>
[MemoryDiagnoser]
public class GreenVerificationBenchmarks
{
    private const int Nodes = 1_000_000;
    private Database _db = null!;
    private Input<int, int> _unrelated = null!;
    private Query<int, long> _node = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        _db = new Database();
        var leaves = _db.Input<int, int>("leaf");
        _unrelated = _db.Input<int, int>("unrelated");
        for (var i = 0; i < 1000; i++)
        {
            leaves.Set(i, i);
        }

        _unrelated.Set(0, 0);
        Query<int, long>? node = null;
        node = _db.Query<int, long>("node", (ctx, i) =>
        {
            var left = 2 * i + 1;
            if (left >= Nodes)
            {
                return ctx.Get(leaves, i % 1000);
            }

            var sum = ctx.Get(node!, left);
            if (left + 1 < Nodes)
            {
                sum += ctx.Get(node!, left + 1);
            }

            return sum;
        });
        _node = node;
        _node.Get(_db, 0);
    }

    [IterationSetup]
    public void ChangeUnrelatedInput() => _unrelated.Set(0, ++_edit);

    [Benchmark(Description = "verify 1M memos green")]
    public long VerifyGreen()
    {
        var value = _node.Get(_db, 0);
        return value;
    }
}
