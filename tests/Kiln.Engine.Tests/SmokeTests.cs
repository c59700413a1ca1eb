using Kiln.Engine;

namespace Kiln.Engine.Tests;

public class SmokeTests
{
    [Fact]
    public void A_query_reads_an_input()
    {
        var db = new Database();
        var text = db.Input<string, string>("text");
        var length = db.Query<string, int>("length", (ctx, k) => ctx.Get(text, k).Length);
        text.Set("a", "hello");
        Assert.Equal(5, length.Get(db, "a"));
    }
}
