namespace Kiln.Engine.Tests;

public class CycleTests
{
    [Fact]
    public void A_query_that_reads_itself_is_a_cycle_of_one()
    {
        var db = new Database();
        Query<string, int>? self = null;
        self = db.Query<string, int>("self", (ctx, k) => ctx.Get(self!, k));
        var error = Assert.Throws<CycleException>(() => self.Get(db, "a"));
        Assert.Equal("Dependency cycle: self(\"a\") -> self(\"a\")", error.Message);
    }

    [Fact]
    public void A_cycle_on_one_thread_names_every_query_in_call_order()
    {
        var db = new Database();
        var edges = new Dictionary<string, string> { ["a"] = "b", ["b"] = "c", ["c"] = "a" };
        Query<string, int>? node = null;
        var entry = db.Query<string, int>("entry", (ctx, k) => ctx.Get(node!, k));
        node = db.Query<string, int>("node", (ctx, k) => ctx.Get(node!, edges[k]) + 1);

        var error = Assert.Throws<CycleException>(() => entry.Get(db, "a"));
        Assert.Equal("Dependency cycle: node(\"a\") -> node(\"b\") -> node(\"c\") -> node(\"a\")", error.Message);
        Assert.Equal(["node(\"a\")", "node(\"b\")", "node(\"c\")", "node(\"a\")"], error.Cycle);
    }

    [Fact]
    public void A_cycle_is_found_again_after_an_edit_and_goes_away_when_the_edit_breaks_it()
    {
        var db = new Database();
        var next = db.Input<string, string>("next");
        Query<string, int>? node = null;
        node = db.Query<string, int>("node", (ctx, k) =>
        {
            var n = ctx.Get(next, k);
            return n.Length == 0 ? 0 : ctx.Get(node!, n) + 1;
        });
        next.Set("a", "b");
        next.Set("b", "");
        Assert.Equal(1, node.Get(db, "a"));

        next.Set("b", "a");
        Assert.Throws<CycleException>(() => node.Get(db, "a"));
        Assert.Throws<CycleException>(() => node.Get(db, "b"));

        next.Set("b", "");
        Assert.Equal(1, node.Get(db, "a"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_cycle_across_threads_is_an_error_on_every_thread_never_a_deadlock(int threads)
    {
        var db = new Database();
        using var allClaimed = new ManualResetEventSlim();
        var arrived = 0;
        Query<int, int>? ring = null;
        ring = db.Query<int, int>("ring", (ctx, k) =>
        {
            // Every thread first owns its own key, then asks for the next thread's key.
            if (Interlocked.Increment(ref arrived) == threads)
            {
                allClaimed.Set();
            }

            allClaimed.Wait();
            return ctx.Get(ring!, (k + 1) % threads);
        });

        var errors = new Exception?[threads];
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            try
            {
                ring.Get(db, i);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        foreach (var w in workers)
        {
            w.Start();
        }

        foreach (var w in workers)
        {
            Assert.True(w.Join(TimeSpan.FromSeconds(30)), "a thread hung");
        }

        var expected = Enumerable.Range(0, threads).Select(i => $"ring({i})").Order().ToArray();
        foreach (var error in errors)
        {
            var cycle = Assert.IsType<CycleException>(error);
            Assert.Equal(cycle.Cycle[0], cycle.Cycle[^1]);
            Assert.Equal(threads + 1, cycle.Cycle.Count);
            Assert.Equal(expected, cycle.Cycle.Skip(1).Order().ToArray());
        }
    }

    [Fact]
    public void A_query_that_reads_a_cycle_fails_with_the_cycle_error()
    {
        var db = new Database();
        Query<string, int>? a = null;
        Query<string, int>? b = null;
        a = db.Query<string, int>("a", (ctx, k) => ctx.Get(b!, k));
        b = db.Query<string, int>("b", (ctx, k) => ctx.Get(a!, k));
        var top = db.Query<string, int>("top", (ctx, k) => ctx.Get(a, k));
        var error = Assert.Throws<CycleException>(() => top.Get(db, "x"));
        Assert.Equal("Dependency cycle: a(\"x\") -> b(\"x\") -> a(\"x\")", error.Message);
    }
}
