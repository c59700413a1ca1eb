using System.Collections.Concurrent;
using Kiln.Protobuf;

namespace Kiln.Build.Tests;

public sealed class ProtobufWorkspaceTests
{
    private const string B = "syntax = \"proto3\";\npackage p;\nmessage B { int32 x = 1; }\n";
    private const string A = "syntax = \"proto3\";\npackage p;\nimport \"b.proto\";\nmessage A { B b = 1; }\n";

    [Fact]
    public void Link_reads_the_links_of_imports_and_each_file_is_parsed_once()
    {
        using var tree = new TempTree(("a.proto", A), ("b.proto", B), ("c.proto", "syntax = \"proto3\";\nimport \"a.proto\";\nimport \"b.proto\";\n"));
        var log = new ConcurrentQueue<string>();
        var workspace = new ProtobufWorkspace(new ProtocSourceTree([tree.Root]), LinkOptions.Default, log.Enqueue);
        workspace.Load(["c.proto", "a.proto"]);
        workspace.LinkAll();

        Assert.Equal(["link(a.proto)", "link(b.proto)", "link(c.proto)", "parse(a.proto)", "parse(b.proto)", "parse(c.proto)"], log.Order(StringComparer.Ordinal));
        var c = workspace.Link.Get(workspace.Database, "c.proto");
        Assert.False(c.HasErrors);
        Assert.Same(workspace.Link.Get(workspace.Database, "a.proto"), c.Dependencies[0]);
    }

    [Fact]
    public void Editing_an_importer_reruns_only_its_own_queries()
    {
        using var tree = new TempTree(("a.proto", A), ("b.proto", B));
        var log = new ConcurrentQueue<string>();
        var workspace = new ProtobufWorkspace(new ProtocSourceTree([tree.Root]), LinkOptions.Default, log.Enqueue);
        workspace.Load(["a.proto"]);
        workspace.LinkAll();
        log.Clear();

        tree.Write("a.proto", A + "message A2 {}\n");
        workspace.Load(["a.proto"]);
        workspace.LinkAll();

        Assert.Equal(["link(a.proto)", "parse(a.proto)"], log.Order(StringComparer.Ordinal));
        Assert.Equal(2, workspace.Link.Get(workspace.Database, "a.proto").Descriptor.MessageType.Count);
    }

    [Fact]
    public void Missing_imports_and_cycles_are_file_diagnostics_not_hangs()
    {
        using var tree = new TempTree(
            ("x.proto", "syntax = \"proto3\";\nimport \"y.proto\";\nimport \"missing.proto\";\n"),
            ("y.proto", "syntax = \"proto3\";\nimport \"x.proto\";\n"));
        var workspace = new ProtobufWorkspace(new ProtocSourceTree([tree.Root]), LinkOptions.Default);
        workspace.Load(["x.proto"]);
        workspace.LinkAll();

        var messages = workspace.FileDiagnostics().Select(d => d.Message).ToList();
        Assert.Contains("missing.proto: File not found.", messages);
        Assert.Contains("File recursively imports itself: x.proto -> y.proto -> x.proto", messages);
        Assert.True(workspace.Link.Get(workspace.Database, "x.proto").HasErrors);
    }

    [Fact]
    public void Virtual_paths_follow_protocs_proto_path_rules()
    {
        using var tree = new TempTree(("first/p/a.proto", "syntax = \"proto3\";\n"), ("second/p/a.proto", "syntax = \"proto3\";\n"), ("second/p/b.proto", "syntax = \"proto3\";\n"));
        var sources = new ProtocSourceTree([tree["first"], tree["second"]]);
        Assert.Equal(ProtoInputMapping.Success, sources.MapInput(tree["first/p/a.proto"], out var virtualA, out _));
        Assert.Equal("p/a.proto", virtualA);
        Assert.Equal(ProtoInputMapping.Shadowed, sources.MapInput(tree["second/p/a.proto"], out _, out var shadow));
        Assert.Equal(ProtocSourceTree.Canonicalize(tree["first/p/a.proto"]), shadow);
        Assert.Equal(ProtoInputMapping.Success, sources.MapInput("p/b.proto", out var virtualB, out _));
        Assert.Equal("p/b.proto", virtualB);
        Assert.Equal(ProtoInputMapping.NotFound, sources.MapInput("p/none.proto", out _, out _));
        Assert.Equal(ProtocSourceTree.Canonicalize(tree["second/p/b.proto"]), sources.VirtualFileToDiskFile("p/b.proto"));

        // The same answers when a batch shares its folder listings (and is told which inputs exist).
        var listings = new FolderListings();
        Assert.Equal(ProtoInputMapping.Shadowed, sources.MapInput(tree["second/p/a.proto"], out _, out shadow, knownToExist: true, listings));
        Assert.Equal(ProtocSourceTree.Canonicalize(tree["first/p/a.proto"]), shadow);
        Assert.Equal(ProtoInputMapping.Success, sources.MapInput(tree["second/p/b.proto"], out virtualB, out _, knownToExist: true, listings));
        Assert.Equal("p/b.proto", virtualB);
        Assert.True(listings.MayExist(tree["first/p/A.PROTO"])); // names compared without case; the caller stats
        Assert.False(listings.MayExist(tree["first/p/c.proto"]));
        Assert.False(listings.MayExist(tree["first/none/c.proto"]));
    }

    [Fact]
    public void The_serialized_descriptor_set_is_the_sets_own_serialization()
    {
        // Files small and large (a length over 127 takes a two-byte varint), with and without imports and source info.
        var big = "syntax = \"proto3\";\npackage p;\n// big\nmessage Big {\n" + string.Concat(Enumerable.Range(1, 60).Select(i => $"  string field_{i} = {i};\n")) + "}\n";
        using var tree = new TempTree(("a.proto", A), ("b.proto", B), ("big.proto", big));
        var workspace = new ProtobufWorkspace(new ProtocSourceTree([tree.Root]), new LinkOptions { IncludeSourceInfo = true });
        workspace.Load(["a.proto", "big.proto"]);
        workspace.LinkAll();
        var roots = new[] { workspace.Link.Get(workspace.Database, "a.proto"), workspace.Link.Get(workspace.Database, "big.proto") };

        foreach (var includeImports in new[] { false, true })
        {
            foreach (var includeSourceInfo in new[] { false, true })
            {
                var expected = Google.Protobuf.MessageExtensions.ToByteArray(ProtocRun.BuildDescriptorSet(roots, includeImports, includeSourceInfo));
                var segments = ProtocRun.SerializeDescriptorSet(roots, includeImports, includeSourceInfo);
                Assert.Equal(expected, segments.SelectMany(segment => segment.ToArray()).ToArray());
            }
        }

        Assert.Equal(3, ProtocRun.BuildDescriptorSet(roots, includeImports: true, includeSourceInfo: false).File.Count);
        Assert.True(roots[1].ToByteArray(includeSourceInfo: true).Length > 127);
    }
}
