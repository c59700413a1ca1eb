using Kiln.Build.Workspace;

namespace Kiln.MSBuild.Tests;

/// <summary>What happens to the outputs of a group that no item asks for any more.</summary>
public sealed class GroupBuildTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kiln-msbuild-group-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Output(string name)
    {
        var path = Path.Combine(_root, "out", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "// generated");
        return path;
    }

    private static void State(string file, params string[] outputs) =>
        new BuildState
        {
            Version = "v",
            Fingerprint = "f",
            Roots = [],
            Inputs = new Dictionary<string, FileStamp>(),
            Outputs = [.. outputs.Select(o => new OutputRecord(o, "owner", 0, FileStamp.Missing, default))],
            Diagnostics = [],
        }.Save(file);

    [Fact]
    public void AStaleGroupLosesItsOutputsExceptThoseACurrentGroupMade()
    {
        var states = Path.Combine(_root, "state");
        Directory.CreateDirectory(states);
        var current = Path.Combine(states, "current.state");
        var stale = Path.Combine(states, "stale.state");
        var kept = Output("Kept.cs");
        var orphan = Output("Orphan.cs");
        var mine = Output("Mine.cs");
        State(current, mine);
        State(stale, kept, orphan);

        var deleted = GroupBuild.RemoveStaleGroups(states, new HashSet<string> { current }, () => new HashSet<string> { mine, kept });

        Assert.Equal([orphan], deleted);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(kept));
        Assert.True(File.Exists(mine));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(current));
    }

    [Fact]
    public void AFileInsideAnOutputFolderIsFound()
    {
        var proto = Path.Combine(_root, "Protos", "a.proto");
        Assert.Equal(proto, GroupBuild.FileInside([proto], Path.Combine(_root, "obj"), Path.Combine(_root, "Protos")));
        Assert.Null(GroupBuild.FileInside([proto], Path.Combine(_root, "obj"), null, Path.Combine(_root, "Prot")));
    }

    /// <summary>
    /// One file in two items with different settings is two groups that write the same output:
    /// the task lists it once, as the targets add the list to <c>Compile</c> as it is.
    /// </summary>
    [Fact]
    public void A_file_two_groups_generate_is_compiled_once()
    {
        var project = Path.Combine(_root, "project");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "types.proto"), "syntax = \"proto3\";\npackage demo;\nmessage Name { string value = 1; }\n");
        string[] both = ["true", "", "out", "", "Both", "Public", "", "", "", "", "true"];
        string[] none = ["true", "", "out", "", "None", "Public", "", "", "", "", "true"];
        var request = new CompileRequest(CompileKind.Protobuf, project, "obj/kiln/protobuf", "obj/kiln-cache", "", "", PredictOnly: false,
            [new RequestItem("types.proto", both), new RequestItem("types.proto", none)]);
        var log = new RecordingLog();
        var reply = Compilation.Run(request, log);
        Assert.DoesNotContain(log.Events, e => e.Kind == LogEventKind.Error);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(project, "obj/kiln/protobuf"), "*.state").Length);
        Assert.Equal([Path.Combine(project, "out", "Types.cs")], reply.Compiled.Select(f => f.Path));
    }
}
