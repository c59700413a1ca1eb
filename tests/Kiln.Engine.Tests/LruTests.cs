namespace Kiln.Engine.Tests;

public class LruTests
{
    private readonly ExecutionLog _log = new();

    [Fact]
    public void A_query_kind_with_a_capacity_keeps_at_most_that_many_values()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var big = db.Query<int, int[]>("big", (ctx, k) => new int[ctx.Get(input, k)], new QueryOptions<int[]> { LruCapacity = 10 });
        for (var i = 0; i < 100; i++)
        {
            input.Set(i, i);
            Assert.Equal(i, big.Get(db, i).Length);
            Assert.True(big.CountValues() <= 10, $"{big.CountValues()} values held after {i + 1} fetches");
        }

        Assert.True(db.GetStatistics().Single(s => s.Query == "big").Evictions >= 90);
    }

    [Fact]
    public void Evicting_all_values_keeps_every_memo_green()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var unrelated = db.Input<int, int>("unrelated");
        var parse = db.Query<int, int>("parse", (ctx, k) =>
        {
            _log.Ran($"parse({k})");
            return ctx.Get(input, k) * 10;
        });
        var link = db.Query<int, int>("link", (ctx, k) =>
        {
            _log.Ran($"link({k})");
            return ctx.Get(parse, k) + 1;
        });
        input.Set(1, 1);
        input.Set(2, 2);
        unrelated.Set(0, 0);
        Assert.Equal(11, link.Get(db, 1));
        Assert.Equal(21, link.Get(db, 2));
        _log.Take();

        parse.EvictValues();
        Assert.Equal(0, parse.CountValues());
        unrelated.Set(0, 1);
        Assert.Equal(11, link.Get(db, 1)); // verified green through the evicted parse: nothing runs
        Assert.Empty(_log.Take());

        input.Set(2, 3);
        Assert.Equal(31, link.Get(db, 2)); // a changed input runs what depends on it, as ever
        Assert.Equal(["link(2)", "parse(2)"], _log.Take().Order(StringComparer.Ordinal));
        Assert.Equal(10, parse.Get(db, 1)); // an evicted value asked for is computed again
        Assert.Equal(["parse(1)"], _log.Take());
    }

    [Fact]
    public void The_most_recently_used_values_are_kept()
    {
        var db = new Database();
        var square = db.Query<int, int>("square", (ctx, k) =>
        {
            _log.Ran($"square({k})");
            return k * k;
        }, new QueryOptions<int> { LruCapacity = 8 });
        for (var i = 0; i < 8; i++)
        {
            square.Get(db, i);
        }

        square.Get(db, 0); // 0 is now the most recent
        _log.Take();
        square.Get(db, 100); // over capacity: the oldest (1, ...) go, 0 stays
        Assert.Equal(["square(100)"], _log.Take());
        square.Get(db, 0);
        Assert.Empty(_log.Take());
        square.Get(db, 1);
        Assert.Equal(["square(1)"], _log.Take());
    }

    [Fact]
    public void An_evicted_value_still_verifies_its_dependents_green_and_is_recomputed_only_when_asked_for()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var unrelated = db.Input<int, int>("unrelated");
        var leaf = db.Query<int, int>("leaf", (ctx, k) =>
        {
            _log.Ran($"leaf({k})");
            return ctx.Get(input, k);
        }, new QueryOptions<int> { LruCapacity = 1 });
        var sum = db.Query<int, int>("sum", (ctx, k) =>
        {
            _log.Ran("sum");
            return ctx.Get(leaf, 0) + ctx.Get(leaf, 1) + ctx.Get(leaf, 2);
        });
        for (var i = 0; i < 3; i++)
        {
            input.Set(i, i + 1);
        }

        unrelated.Set(0, 0);
        Assert.Equal(6, sum.Get(db, 0));
        Assert.True(leaf.CountValues() <= 1);
        _log.Take();

        unrelated.Set(0, 1);
        Assert.Equal(6, sum.Get(db, 0));
        Assert.Empty(_log.Take()); // leaf(0) and leaf(1) were evicted, yet nothing re-ran

        Assert.Equal(1, leaf.Get(db, 0));
        Assert.Equal(["leaf(0)"], _log.Take()); // recomputed only when its value was asked for

        input.Set(1, 20);
        Assert.Equal(24, sum.Get(db, 0));
        // leaf(1) changed, so sum re-runs and needs every leaf's value. With room for one value
        // the leaves evict each other (and are recomputed as needed); sum runs once.
        var ran = _log.Take();
        Assert.Single(ran, r => r == "sum");
        Assert.Contains("leaf(1)", ran);
        Assert.Equal(0, db.GetStatistics().Single(s => s.Query == "leaf").Backdates);
    }

    [Fact]
    public void A_driver_can_learn_what_changed_without_holding_or_recomputing_values()
    {
        var db = new Database();
        var input = db.Input<int, int>("n");
        var emit = db.Query<int, string>("emit", (ctx, k) =>
        {
            _log.Ran($"emit({k})");
            return new string('x', ctx.Get(input, k));
        }, new QueryOptions<string> { LruCapacity = 1 });
        for (var i = 0; i < 3; i++)
        {
            input.Set(i, i);
            emit.Get(db, i);
        }

        var written = db.Revision;
        _log.Take();
        input.Set(1, 10);

        var changed = Enumerable.Range(0, 3).Where(k => emit.GetChangedAt(db, k) > written).ToArray();
        Assert.Equal([1], changed);
        Assert.Equal(["emit(1)"], _log.Take()); // the evicted, unchanged ones were not recomputed
    }
}
