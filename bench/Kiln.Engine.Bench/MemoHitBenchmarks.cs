using BenchmarkDotNet.Attributes;

namespace Kiln.Engine.Bench;

/// <summary>The cost of fetching a memo already verified in the current revision (target: &lt; 50 ns).</summary>
[MemoryDiagnoser]
public class MemoHitBenchmarks
{
    private Database _db = null!;
    private Query<int, int> _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _db = new Database();
        var input = _db.Input<int, int>("n");
        input.Set(1, 41);
        _query = _db.Query<int, int>("plusOne", (ctx, k) => ctx.Get(input, k) + 1);
        _query.Get(_db, 1);
    }

    [Benchmark(Description = "hit from outside any query")]
    public int HitFromOutside() => _query.Get(_db, 1);
}
