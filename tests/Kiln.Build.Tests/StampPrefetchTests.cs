using Kiln.Build.Workspace;

namespace Kiln.Build.Tests;

/// <summary>The stamps a host's named files get on the other core, and how the state check uses them.</summary>
public sealed class StampPrefetchTests
{
    [Fact]
    public void The_state_check_takes_named_files_from_the_prefetch_and_stats_the_rest_itself()
    {
        using var tree = new TempTree(
            ("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\nmessage A { B b = 1; }\n"),
            ("b.proto", "syntax = \"proto3\";\nmessage B { int32 x = 1; }\n"));
        string a = tree["a.proto"], b = tree["b.proto"];
        var state = new BuildState
        {
            Version = "v",
            Fingerprint = "f",
            Roots = [a],
            Inputs = new Dictionary<string, FileStamp> { [a] = FileStamp.Of(a)!, [b] = FileStamp.Of(b)! },
            Diagnostics = [],
        };

        Assert.True(state.Compare("v", "f", [a], wantDelta: true, out _, prefetch: StampPrefetch.Start([a])));

        // The import is not a named file: the check stats it, and finds it edited.
        File.AppendAllText(b, "// edited\n");
        File.SetLastWriteTimeUtc(b, DateTime.UtcNow.AddMinutes(1));
        Assert.False(state.Compare("v", "f", [a], wantDelta: true, out var delta, prefetch: StampPrefetch.Start([a])));
        Assert.Equal([b], delta!.Changed);
        Assert.Equal(FileStamp.Of(b), delta.Stamps[b]);

        // A named file edited, and one named but gone: both from the prefetch.
        File.AppendAllText(a, "// edited\n");
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddMinutes(2));
        var prefetch = StampPrefetch.Start([a], [b]);
        File.Delete(b);
        Assert.Null(StampPrefetch.Start([b])!.Stamps[b]);
        Assert.False(state.Compare("v", "f", [a], wantDelta: true, out delta, prefetch: prefetch));
        Assert.Equal([a, b], delta!.Changed.Order(StringComparer.Ordinal));
        Assert.Equal(FileStamp.Of(a), delta.Stamps[a]);
    }

    [Fact]
    public void Nothing_named_starts_nothing()
    {
        Assert.Null(StampPrefetch.Start(null, []));
        Assert.Null(StampPrefetch.Start([], static path => path));
    }

    [Fact]
    public void A_host_s_items_are_made_full_paths_by_its_own_rule_on_the_pool_thread()
    {
        using var tree = new TempTree(("protos/a.proto", "syntax = \"proto3\";\n"));
        var prefetch = StampPrefetch.Start(["protos/a.proto", "protos/gone.proto"], path => Path.Combine(tree.Root, path))!;
        Assert.Equal(FileStamp.Of(tree["protos/a.proto"]), prefetch.Stamps[tree["protos/a.proto"]]);
        Assert.Null(prefetch.Stamps[Path.Combine(tree.Root, "protos/gone.proto")]);
    }
}
