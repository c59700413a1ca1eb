namespace Kiln.Engine.Tests;

public class DeepChainTests
{
    private const int Depth = 100_000;

    [Fact]
    public void A_chain_of_a_hundred_thousand_queries_runs_verifies_and_re_runs_without_overflowing_the_stack()
    {
        var db = new Database();
        var seed = db.Input<int, int>("seed");
        var unrelated = db.Input<int, int>("unrelated");
        Query<int, long>? chain = null;
        var runs = 0;
        chain = db.Query<int, long>("chain", (ctx, n) =>
        {
            runs++;
            return n == 0 ? ctx.Get(seed, 0) : ctx.Get(chain!, n - 1) + 1;
        });
        seed.Set(0, 7);
        unrelated.Set(0, 0);

        var top = RunOnSmallStack(() => chain.Get(db, Depth));
        Assert.Equal(7L + Depth, top);
        Assert.Equal(Depth + 1, runs);

        // An unrelated edit: the whole chain is verified green, nothing runs.
        unrelated.Set(0, 1);
        runs = 0;
        Assert.Equal(7L + Depth, RunOnSmallStack(() => chain.Get(db, Depth)));
        Assert.Equal(0, runs);

        // The seed changes: every link re-runs.
        seed.Set(0, 8);
        Assert.Equal(8L + Depth, RunOnSmallStack(() => chain.Get(db, Depth)));
        Assert.Equal(Depth + 1, runs);
    }

    [Fact]
    public void A_cycle_at_the_end_of_a_deep_chain_is_reported_not_overflowed()
    {
        var db = new Database();
        Query<int, int>? chain = null;
        chain = db.Query<int, int>("chain", (ctx, n) => ctx.Get(chain!, n == 0 ? Depth : n - 1));
        var error = RunOnSmallStack(() => Assert.Throws<CycleException>(() => chain.Get(db, Depth)));
        Assert.Equal(Depth + 2, error.Cycle.Count);
    }

    /// <summary>Thread-pool threads have small stacks; run there to prove depth does not depend on the caller's stack.</summary>
    private static T RunOnSmallStack<T>(Func<T> f)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = f();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            256 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("failed on the small stack", failure);
        }

        return result;
    }
}
