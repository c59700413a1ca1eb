using BenchmarkDotNet.Attributes;

namespace Kiln.Engine.Bench;

/// <summary>
/// 64 independent CPU-bound queries (about 2 ms each), all invalidated before every iteration,
/// fetched one after another and then from the thread pool. The Ratio column is the parallel
/// time over the sequential one; its inverse is the speed-up (target: ≥ 1.8× on 2 cores).
/// </summary>
public class ParallelSpeedupBenchmarks
{
    private const int Keys = 64;
    private Database _db = null!;
    private Input<int, int> _salt = null!;
    private Query<int, long> _work = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        _db = new Database();
        _salt = _db.Input<int, int>("salt");
        _salt.Set(0, 0);
        _work = _db.Query<int, long>("work", (ctx, k) =>
        {
            var x = (ulong)(ctx.Get(_salt, 0) * 7919 + k);
            for (var i = 0; i < 1_500_000; i++)
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }

            return (long)x;
        });
    }

    [IterationSetup]
    public void Invalidate() => _salt.Set(0, ++_edit);

    [Benchmark(Baseline = true, Description = "64 queries, one thread")]
    public long Sequential()
    {
        long sum = 0;
        for (var k = 0; k < Keys; k++)
        {
            sum += _work.Get(_db, k);
        }

        return sum;
    }

    [Benchmark(Description = "64 queries, Parallel.For")]
    public long Parallel()
    {
        long sum = 0;
        System.Threading.Tasks.Parallel.For(0, Keys, k => Interlocked.Add(ref sum, _work.Get(_db, k)));
        return sum;
    }
}
