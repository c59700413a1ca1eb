using System.Collections.Immutable;

namespace Kiln.Engine.Tests;

/// <summary>
/// How to use the engine, as a tiny "compiler". A file is a list of items
/// <c>name = expression</c>, where an expression adds numbers and other items.
/// <list type="bullet">
/// <item><c>parse(file)</c> reads the text and splits it into items;</item>
/// <item><c>names(file)</c> and <c>text(file, name)</c> are small projections of the parse: they
/// re-run whenever the file changes, but when their value is equal to the old one, what depends
/// on them stays green (early cutoff). This is the "item tree" firewall;</item>
/// <item><c>item(file, name)</c> evaluates one item; <c>total(file)</c> adds all items.</item>
/// </list>
/// Editing one item's text re-runs the parse and the projections, then only that item and what
/// read it.
/// </summary>
public class TinyCompilerExample
{
    private readonly ExecutionLog _log = new();
    private readonly Database _db = new();
    private readonly Input<string, string> _source;
    private readonly Query<string, int> _total;

    public TinyCompilerExample()
    {
        _source = _db.Input<string, string>("source");

        var parse = _db.Query<string, ImmutableSortedDictionary<string, string>>("parse", (ctx, file) =>
        {
            _log.Ran($"parse({file})");
            var items = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var line in ctx.Get(_source, file).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split('=', 2);
                items[parts[0].Trim()] = parts[1].Trim();
            }

            return items.ToImmutable();
        }, new QueryOptions<ImmutableSortedDictionary<string, string>> { Comparer = ItemsComparer.Instance });

        var names = _db.Query<string, EquatableArray<string>>("names", (ctx, file) =>
        {
            _log.Ran($"names({file})");
            return new EquatableArray<string>([.. ctx.Get(parse, file).Keys]);
        });

        var text = _db.Query<(string File, string Name), string>("text", (ctx, key) =>
        {
            _log.Ran($"text({key.Name})");
            return ctx.Get(parse, key.File)[key.Name];
        });

        Query<(string File, string Name), int>? item = null;
        item = _db.Query<(string File, string Name), int>("item", (ctx, key) =>
        {
            _log.Ran($"item({key.Name})");
            var sum = 0;
            foreach (var term in ctx.Get(text, key).Split('+'))
            {
                var t = term.Trim();
                sum += int.TryParse(t, out var n) ? n : ctx.Get(item!, (key.File, t));
            }

            return sum;
        });

        _total = _db.Query<string, int>("total", (ctx, file) =>
        {
            _log.Ran($"total({file})");
            var sum = 0;
            foreach (var name in ctx.Get(names, file).Items)
            {
                sum += ctx.Get(item, (file, name));
            }

            return sum;
        });
    }

    [Fact]
    public void An_edit_to_one_item_re_runs_that_item_and_what_read_it()
    {
        _source.Set("f", "a = 1\nb = 2\nc = a + 10\n");
        Assert.Equal(1 + 2 + 11, _total.Get(_db, "f"));
        Assert.Equal(
            ["item(a)", "item(b)", "item(c)", "names(f)", "parse(f)", "text(a)", "text(b)", "text(c)", "total(f)"],
            _log.Take());

        // Asking again in the same revision runs nothing.
        Assert.Equal(14, _total.Get(_db, "f"));
        Assert.Empty(_log.Take());

        // Edit b. The parse and its projections re-run (they read the text); only text(b)
        // has a new value, so item(b) and total(f) run, and items a and c stay green.
        _source.Set("f", "a = 1\nb = 5\nc = a + 10\n");
        Assert.Equal(17, _total.Get(_db, "f"));
        Assert.Equal(["item(b)", "names(f)", "parse(f)", "text(a)", "text(b)", "text(c)", "total(f)"], _log.Take());

        // Edit a: c reads a, so both run.
        _source.Set("f", "a = 2\nb = 5\nc = a + 10\n");
        Assert.Equal(19, _total.Get(_db, "f"));
        Assert.Equal(["item(a)", "item(c)", "names(f)", "parse(f)", "text(a)", "text(b)", "text(c)", "total(f)"], _log.Take());
    }

    [Fact]
    public void An_edit_that_parses_to_the_same_items_stops_after_the_parse()
    {
        _source.Set("f", "a = 1\nb = 2\n");
        Assert.Equal(3, _total.Get(_db, "f"));
        _log.Take();

        // Blank lines: the text changed, so parse re-runs; its value is equal, so nothing
        // downstream runs (parse is backdated).
        _source.Set("f", "a = 1\n\n\nb = 2\n");
        Assert.Equal(3, _total.Get(_db, "f"));
        Assert.Equal(["parse(f)"], _log.Take());
    }

    [Fact]
    public void A_change_to_one_file_does_not_touch_another()
    {
        _source.Set("f", "a = 1\n");
        _source.Set("g", "x = 2\n");
        Assert.Equal(1, _total.Get(_db, "f"));
        Assert.Equal(2, _total.Get(_db, "g"));
        _log.Take();

        _source.Set("g", "x = 3\n");
        Assert.Equal(1, _total.Get(_db, "f"));
        Assert.Empty(_log.Take());
        Assert.Equal(3, _total.Get(_db, "g"));
        Assert.Equal(["item(x)", "names(g)", "parse(g)", "text(x)", "total(g)"], _log.Take());
    }

    /// <summary>Compares parses by content, so an equal parse is backdated.</summary>
    private sealed class ItemsComparer : IEqualityComparer<ImmutableSortedDictionary<string, string>>
    {
        public static readonly ItemsComparer Instance = new();

        public bool Equals(ImmutableSortedDictionary<string, string>? x, ImmutableSortedDictionary<string, string>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.SequenceEqual(y);

        public int GetHashCode(ImmutableSortedDictionary<string, string> obj) => obj.Count;
    }
}
