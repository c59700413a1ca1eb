using System.IO.Hashing;
using System.Text;
using Kiln.Build.Workspace;
using Kiln.Text;

namespace Kiln.MSBuild;

/// <summary>What one group's build left: its diagnostics and the files it generated (full paths, with their owners).</summary>
internal sealed record GroupResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<OutputRecord> Outputs, BuildReport Report);

/// <summary>
/// Runs one Kiln workspace build per group of items, each with its own state file under the
/// task's state folder, all sharing one artifact cache; and removes what groups of earlier builds
/// generated when no item asks for them any more (only files in their manifests).
/// </summary>
internal static class GroupBuild
{
    /// <summary>The state file of a group: the xxHash of its settings, so a change of metadata starts a new manifest.</summary>
    public static string StateFile(string stateDirectory, string key) =>
        Path.Combine(stateDirectory, XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)).ToString("x16") + ".state");

    private const int KeptBuilders = 8;
    private static readonly LinkedList<(string Key, WorkspaceBuilder Builder)> s_builders = new();

    /// <summary>
    /// Builds one group. With <paramref name="keepInMemory"/>, the group's builder (its engine and
    /// memos) stays in this process for the next build of the same group: where MSBuild's process
    /// lives on (Visual Studio, the MSBuild server, reused worker nodes), an edit then re-parses
    /// and re-links only what it touched. A kept builder reads every input again on each build,
    /// so it never answers from stale memory; the eight most recently used are kept.
    /// </summary>
    public static GroupResult Run(KilnConfig config, bool keepInMemory)
    {
        var builder = keepInMemory ? Kept(config, out _) : new WorkspaceBuilder(config, useCache: true);
        BuildReport report;
        IReadOnlyList<OutputRecord>? saved;
        lock (builder)
        {
            report = builder.Build();
            saved = builder.SavedOutputs; // what it saved or found up to date: the state file is not read again
        }

        var outputs = saved ?? BuildState.Load(config.StateFile)?.Outputs ?? [];
        return new GroupResult(report.Diagnostics, outputs, report);
    }

    /// <summary>How many builds in this process were served by a kept builder (for the build log).</summary>
    public static int Reuses { get; private set; }

    private static WorkspaceBuilder Kept(KilnConfig config, out bool reused)
    {
        var key = string.Join('\n', config.StateFile, config.Root, config.CacheDirectory, config.Fingerprint,
            string.Join(';', config.Protobuf?.Inputs ?? []), string.Join(';', config.Protobuf?.Files ?? []),
            string.Join(';', config.Thrift?.Inputs ?? []), string.Join(';', config.Thrift?.Files ?? []));
        lock (s_builders)
        {
            for (var node = s_builders.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    s_builders.Remove(node);
                    s_builders.AddFirst(node);
                    reused = true;
                    Reuses++;
                    return node.Value.Builder;
                }
            }

            var builder = new WorkspaceBuilder(config, useCache: true);
            reused = false;
            s_builders.AddFirst((key, builder));
            while (s_builders.Count > KeptBuilders)
            {
                s_builders.RemoveLast();
            }

            return builder;
        }
    }

    /// <summary>The outputs the last build of a state file recorded (empty when there is none or it does not check out).</summary>
    public static IReadOnlyList<OutputRecord> LastOutputs(string stateFile) => BuildState.Load(stateFile)?.Outputs ?? [];

    /// <summary>
    /// Deletes the outputs of every state file in <paramref name="stateDirectory"/> that no current
    /// group uses, then the state file; returns the files deleted. A path a current group generated
    /// (<paramref name="produced"/>) stays: settings that changed, or a new package version (its
    /// well-known types folder is part of the settings), give the same outputs a new group.
    /// </summary>
    public static List<string> RemoveStaleGroups(string stateDirectory, IReadOnlySet<string> current, IReadOnlySet<string> produced)
    {
        var deleted = new List<string>();
        if (!Directory.Exists(stateDirectory))
        {
            return deleted;
        }

        foreach (var state in Directory.EnumerateFiles(stateDirectory, "*.state"))
        {
            if (current.Contains(Path.GetFullPath(state)))
            {
                continue;
            }

            foreach (var output in LastOutputs(state))
            {
                if (produced.Contains(output.Path))
                {
                    continue;
                }

                try
                {
                    if (File.Exists(output.Path))
                    {
                        File.Delete(output.Path);
                        deleted.Add(output.Path);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A file in use stays; the next build tries again only if its state stays too.
                    continue;
                }
            }

            try
            {
                File.Delete(state);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
        }

        return deleted;
    }

    /// <summary>The deepest folder that holds every file (the files' common ancestor).</summary>
    public static string CommonDirectory(IReadOnlyList<string> files)
    {
        var common = Path.GetDirectoryName(files[0])!;
        foreach (var file in files)
        {
            while (!IsUnder(file, common))
            {
                common = Path.GetDirectoryName(common) ?? common;
                if (Path.GetPathRoot(common) == common)
                {
                    break;
                }
            }
        }

        return common;
    }

    /// <summary>
    /// The first file that lies inside one of the folders. Kiln never takes a file inside an output
    /// or cache folder as an input (its own outputs must not feed it), so such a group cannot be
    /// built as it is.
    /// </summary>
    public static string? FileInside(IEnumerable<string> files, params string?[] folders) =>
        files.FirstOrDefault(f => folders.Any(d => d is not null && IsUnder(f, d)));

    internal static bool IsUnder(string file, string directory) =>
        file.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
