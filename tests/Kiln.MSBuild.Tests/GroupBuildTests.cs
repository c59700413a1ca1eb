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
}
