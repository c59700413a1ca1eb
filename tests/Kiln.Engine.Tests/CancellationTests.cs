namespace Kiln.Engine.Tests;

public class CancellationTests
{
    [Fact]
    public void Setting_an_input_while_a_query_runs_cancels_it_and_the_next_fetch_sees_the_new_value()
    {
        var db = new Database();
        var input = db.Input<string, int>("n");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var waiter = db.Query<string, int>("waiter", (ctx, k) =>
        {
            var value = ctx.Get(input, k);
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            ctx.Get(input, "other"); // the next read notices the new revision
            return value;
        });
        input.Set("a", 1);
        input.Set("other", 0);

        Exception? failure = null;
        var fetch = new Thread(() =>
        {
            try
            {
                waiter.Get(db, "a");
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        fetch.Start();
        started.Wait(TestContext.Current.CancellationToken);
        input.Set("a", 2);
        release.Set();
        fetch.Join();

        Assert.IsType<OperationCanceledException>(failure);
        started.Reset();
        Assert.Equal(2, waiter.Get(db, "a"));
    }

    [Fact]
    public void A_long_pure_loop_observes_the_cancellation_token()
    {
        var db = new Database();
        var input = db.Input<string, int>("n");
        using var started = new ManualResetEventSlim();
        var spin = db.Query<string, int>("spin", (ctx, k) =>
        {
            var value = ctx.Get(input, k);
            started.Set();
            while (!ctx.CancellationToken.IsCancellationRequested && value == 1)
            {
                Thread.Sleep(1);
            }

            ctx.ThrowIfCancellationRequested();
            return value;
        });
        input.Set("a", 1);

        var task = Task.Run(() => spin.Get(db, "a"), TestContext.Current.CancellationToken);
        started.Wait(TestContext.Current.CancellationToken);
        input.Set("a", 2);

        var error = Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.IsType<OperationCanceledException>(error.InnerException, exactMatch: false);
        Assert.Equal(2, spin.Get(db, "a"));
    }

    [Fact]
    public void A_thread_waiting_for_a_cancelled_query_is_cancelled_too()
    {
        var db = new Database();
        var input = db.Input<string, int>("n");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var slow = db.Query<string, int>("slow", (ctx, k) =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return ctx.Get(input, k);
        });
        input.Set("a", 1);

        var first = Task.Run(() => slow.Get(db, "a"), TestContext.Current.CancellationToken);
        started.Wait(TestContext.Current.CancellationToken);
        var second = Task.Run(() => slow.Get(db, "a"), TestContext.Current.CancellationToken);
        while (slow.WaitersFor("a") == 0)
        {
            Thread.Sleep(1); // until the second fetch waits for the first
        }

        input.Set("a", 2);
        release.Set();

        foreach (var task in new[] { first, second })
        {
            var error = Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
            Assert.IsType<OperationCanceledException>(error.InnerException, exactMatch: false);
        }

        Assert.Equal(2, slow.Get(db, "a"));
    }
}
