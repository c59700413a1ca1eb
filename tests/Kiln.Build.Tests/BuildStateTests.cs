using Kiln.Build.Workspace;
using Kiln.Text;

namespace Kiln.Build.Tests;

/// <summary>The build state file: what is saved reads back the same, each path decoded once.</summary>
public sealed class BuildStateTests
{
    [Fact]
    public void A_state_reads_back_as_saved_with_each_path_one_string()
    {
        using var tree = new TempTree(("state/.keep", ""));
        const string A = "/w/protos/a.proto", B = "/w/protos/b.proto", Import = "/w/include/google/protobuf/timestamp.proto";
        const string T = "/w/thrift/t.thrift", U = "/w/thrift/u.thrift";
        var key = new Hash128(1, 2);
        var state = new BuildState
        {
            Version = "v",
            Fingerprint = "f",
            Roots = [A, B, T, U],
            ProtoRootCount = 2,
            ListedFolders = new Dictionary<string, FileStamp> { ["/w/protos"] = new(-1, 5) },
            Inputs = new Dictionary<string, FileStamp> { [A] = new(10, 11), [B] = new(12, 13), [Import] = new(14, 15), [T] = new(16, 17), [U] = new(18, 19) },
            OutputFolders = new Dictionary<string, FileStamp> { ["/w/gen"] = new(-1, 20) },
            Diagnostics = [new Diagnostic(DiagnosticSeverity.Warning, "KPB1", "unused import", "protos/b.proto", 3, 4)],
            Outputs = [new OutputRecord("/w/gen/A.cs", A, 7, new FileStamp(21, 22), key), new OutputRecord("/w/gen/B.cs", B, 8, new FileStamp(23, 24), key)],
            ProtoGraph =
            [
                new ProtoGraphFile("a.proto", A, ["google/protobuf/timestamp.proto", "missing.proto"], new Hash128(3, 4), 5, 1),
                new ProtoGraphFile("google/protobuf/timestamp.proto", Import, [], new Hash128(6, 7), 8, 1),
                new ProtoGraphFile("b.proto", B, ["a.proto"], new Hash128(9, 10), 11, 2),
                new ProtoGraphFile("virtual.proto", null, [], new Hash128(12, 13), 14, 0),
            ],
            ThriftGraph = [new ThriftGraphFile(T, [U], 3), new ThriftGraphFile(U, [], 1)],
        };
        var path = tree["state/p.state"];
        state.Save(path);

        var loaded = BuildState.Load(path);
        Assert.NotNull(loaded);
        Assert.Equal(state.Roots, loaded.Roots);
        Assert.Equal(2, loaded.ProtoRootCount);
        Assert.Equal(state.ListedFolders, loaded.ListedFolders);
        Assert.Equal(state.Inputs, loaded.Inputs);
        Assert.Equal(state.OutputFolders, loaded.OutputFolders);
        Assert.Equal(state.Diagnostics, loaded.Diagnostics);
        Assert.Equal(state.Outputs, loaded.Outputs);
        Assert.Equal(state.ProtoGraph.Count, loaded.ProtoGraph.Count);
        for (var i = 0; i < state.ProtoGraph.Count; i++)
        {
            var (saved, read) = (state.ProtoGraph[i], loaded.ProtoGraph[i]);
            Assert.Equal((saved.VirtualPath, saved.DiskPath, saved.ExportsHash, saved.NamesHash, saved.Definitions), (read.VirtualPath, read.DiskPath, read.ExportsHash, read.NamesHash, read.Definitions));
            Assert.Equal(saved.Imports, read.Imports);
        }

        Assert.Equal([T, U], loaded.ThriftGraph.Select(f => f.Path));
        Assert.Equal([U], loaded.ThriftGraph[0].Includes);

        // One string per path: a root, the owner of its output and its graph entry share it.
        var root = loaded.Roots[0];
        Assert.Same(root, loaded.Outputs[0].Owner);
        Assert.Same(root, loaded.ProtoGraph[0].DiskPath);
        Assert.Same(loaded.ProtoGraph[0].VirtualPath, loaded.ProtoGraph[2].Imports[0]);
    }

    [Fact]
    public void A_state_cut_short_or_changed_is_not_trusted()
    {
        using var tree = new TempTree(("state/.keep", ""));
        var state = new BuildState { Version = "v", Fingerprint = "f", Roots = ["/w/a.proto"], Inputs = new Dictionary<string, FileStamp> { ["/w/a.proto"] = new(1, 2) }, Diagnostics = [] };
        var path = tree["state/p.state"];
        state.Save(path);
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^1]);
        Assert.Null(BuildState.Load(path));

        bytes[20] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Null(BuildState.Load(path));
    }
}
