namespace Kiln.Engine.Tests;

public class ConcurrencyTests
{
    [Fact]
    public void Many_threads_fetching_one_key_run_the_function_once()
    {
        var db = new Database();
        var input = db.Input<string, int>("n");
        var runs = 0;
        using var started = new ManualResetEventSlim();
        var slow = db.Query<string, int>("slow", (ctx, k) =>
        {
            Interlocked.Increment(ref runs);
            started.Set();
            Thread.Sleep(200); // everyone else arrives while this runs
            return ctx.Get(input, k) * 2;
        });
        input.Set("a", 21);

        const int threads = 16;
        var results = new int[threads];
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() => results[i] = slow.Get(db, "a"))).ToArray();
        workers[0].Start();
        started.Wait(TestContext.Current.CancellationToken);
        foreach (var worker in workers.Skip(1))
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal(42, r));
    }

    [Fact]
    public void Threads_waiting_inside_queries_for_a_shared_dependency_run_it_once()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var sharedRuns = 0;
        var shared = db.Query<int, int>("shared", (ctx, k) =>
        {
            Interlocked.Increment(ref sharedRuns);
            Thread.Sleep(50);
            return ctx.Get(input, 0);
        });
        var user = db.Query<int, int>("user", (ctx, k) => ctx.Get(shared, 0) + k);
        input.Set(0, 100);

        var results = new int[64];
        Parallel.For(0, results.Length, i => results[i] = user.Get(db, i));

        Assert.Equal(1, sharedRuns);
        Assert.Equal(Enumerable.Range(100, 64), results);
    }

    [Fact]
    public void Independent_keys_are_computed_in_parallel()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var running = 0;
        var maxRunning = 0;
        var work = db.Query<int, int>("work", (ctx, k) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            Thread.Sleep(100);
            Interlocked.Decrement(ref running);
            return ctx.Get(input, k);
        });
        for (var i = 0; i < 4; i++)
        {
            input.Set(i, i);
        }

        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() => work.Get(db, i))).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        Assert.True(maxRunning >= 2, $"at most {maxRunning} ran at once");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
