namespace Kiln.Engine.Tests;

public class RevisionAndMemoTests
{
    private readonly ExecutionLog _log = new();
    private readonly Database _db = new();

    [Fact]
    public void Setting_an_input_to_an_equal_value_starts_no_revision()
    {
        var input = _db.Input<string, string>("text");
        Assert.True(input.Set("a", "x"));
        var revision = _db.Revision;
        Assert.False(input.Set("a", "x"));
        Assert.Equal(revision, _db.Revision);
        Assert.True(input.Set("a", "y"));
        Assert.Equal(revision + 1, _db.Revision);
    }

    [Fact]
    public void Reading_an_input_that_was_never_set_names_it()
    {
        var input = _db.Input<string, string>("text");
        var length = _db.Query<string, int>("length", (ctx, k) => ctx.Get(input, k).Length);
        var error = Assert.Throws<InvalidOperationException>(() => length.Get(_db, "missing"));
        Assert.Equal("Input text(\"missing\") was read before it was set.", error.Message);
    }

    [Fact]
    public void A_second_fetch_in_the_same_revision_is_a_hit()
    {
        var input = _db.Input<int, int>("n");
        var twice = _db.Query<int, int>("twice", (ctx, k) =>
        {
            _log.Ran($"twice({k})");
            return 2 * ctx.Get(input, k);
        });
        input.Set(1, 21);
        Assert.Equal(42, twice.Get(_db, 1));
        Assert.Equal(42, twice.Get(_db, 1));
        Assert.Equal(["twice(1)"], _log.Take());
        var statistics = _db.GetStatistics().Single(s => s.Query == "twice");
        Assert.Equal((1L, 1L, 0L), (statistics.Hits, statistics.Misses, statistics.Reexecutions));
    }

    [Fact]
    public void A_memo_whose_inputs_did_not_change_is_verified_green_without_running()
    {
        var input = _db.Input<string, int>("n");
        var plusOne = _db.Query<string, int>("plusOne", (ctx, k) =>
        {
            _log.Ran($"plusOne({k})");
            return ctx.Get(input, k) + 1;
        });
        input.Set("a", 1);
        input.Set("b", 1);
        Assert.Equal(2, plusOne.Get(_db, "a"));
        _log.Take();

        input.Set("b", 5); // unrelated to plusOne(a)
        Assert.Equal(2, plusOne.Get(_db, "a"));
        Assert.Empty(_log.Take());
        Assert.Equal(1, _db.GetStatistics().Single(s => s.Query == "plusOne").Validations);
    }

    [Fact]
    public void A_re_run_that_gives_an_equal_value_keeps_its_dependents_green()
    {
        var input = _db.Input<string, int>("n");
        var parity = _db.Query<string, int>("parity", (ctx, k) =>
        {
            _log.Ran("parity");
            return ctx.Get(input, k) % 2;
        });
        var describe = _db.Query<string, string>("describe", (ctx, k) =>
        {
            _log.Ran("describe");
            return ctx.Get(parity, k) == 0 ? "even" : "odd";
        });
        input.Set("a", 2);
        Assert.Equal("even", describe.Get(_db, "a"));
        _log.Take();

        input.Set("a", 4); // parity re-runs, gives 0 again: describe is not re-run
        Assert.Equal("even", describe.Get(_db, "a"));
        Assert.Equal(["parity"], _log.Take());
        Assert.Equal(1, _db.GetStatistics().Single(s => s.Query == "parity").Backdates);

        input.Set("a", 5);
        Assert.Equal("odd", describe.Get(_db, "a"));
        Assert.Equal(["describe", "parity"], _log.Take());
    }

    [Fact]
    public void Dependencies_are_what_the_last_execution_read_so_a_branch_not_taken_is_not_one()
    {
        var flag = _db.Input<string, bool>("flag");
        var left = _db.Input<string, int>("left");
        var right = _db.Input<string, int>("right");
        var pick = _db.Query<string, int>("pick", (ctx, k) =>
        {
            _log.Ran("pick");
            return ctx.Get(flag, k) ? ctx.Get(left, k) : ctx.Get(right, k);
        });
        flag.Set("k", true);
        left.Set("k", 1);
        right.Set("k", 2);
        Assert.Equal(1, pick.Get(_db, "k"));
        _log.Take();

        right.Set("k", 3); // not read by the last execution
        Assert.Equal(1, pick.Get(_db, "k"));
        Assert.Empty(_log.Take());

        flag.Set("k", false);
        Assert.Equal(3, pick.Get(_db, "k"));
        Assert.Equal(["pick"], _log.Take());

        left.Set("k", 10); // no longer read
        Assert.Equal(3, pick.Get(_db, "k"));
        Assert.Empty(_log.Take());
    }

    [Fact]
    public void An_exception_from_a_query_reaches_the_caller_and_nothing_is_memoized()
    {
        var input = _db.Input<string, int>("n");
        var calls = 0;
        var inverse = _db.Query<string, int>("inverse", (ctx, k) =>
        {
            calls++;
            return 100 / ctx.Get(input, k);
        });
        input.Set("a", 0);
        Assert.Throws<DivideByZeroException>(() => inverse.Get(_db, "a"));
        Assert.Throws<DivideByZeroException>(() => inverse.Get(_db, "a"));
        Assert.Equal(2, calls);
        input.Set("a", 4);
        Assert.Equal(25, inverse.Get(_db, "a"));
    }

    [Fact]
    public void Fetching_through_the_database_from_inside_a_query_is_an_error_not_a_deadlock()
    {
        Query<string, int>? outer = null;
        outer = _db.Query<string, int>("outer", (ctx, k) => k == "a" ? outer!.Get(_db, "a") : 0);
        var error = Assert.Throws<InvalidOperationException>(() => outer.Get(_db, "a"));
        Assert.Contains("QueryContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Queries_and_inputs_refuse_a_context_of_another_database()
    {
        var other = new Database();
        var input = _db.Input<string, int>("n");
        var query = _db.Query<string, int>("q", (ctx, k) => 1);
        Assert.Throws<ArgumentException>(() => query.Get(other, "a"));
        Assert.Throws<ArgumentException>(() => input.Get(other, "a"));
    }
}
