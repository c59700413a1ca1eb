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

    /// <summary>
    /// Builds one group with a new builder: what its state file records decides what is read
    /// again, in the MSBuild process as in the build server (which keeps no builder between
    /// requests, so its answers never depend on what it remembers).
    /// </summary>
    /// <param name="prefetch">Stamps of the task's items, being taken since the task started (null: the builder takes them).</param>
    public static GroupResult Run(KilnConfig config, StampPrefetch? prefetch = null)
    {
        // The state is saved while MSBuild goes on (the process waits for it before exiting).
        var builder = new WorkspaceBuilder(config, useCache: true) { SaveStateInBackground = true, Prefetch = prefetch };
        var report = builder.Build();
        var outputs = builder.SavedOutputs ?? BuildState.Load(config.StateFile)?.Outputs ?? []; // what it saved or found up to date: the state file is not read again
        return new GroupResult(report.Diagnostics, outputs, report);
    }

    /// <summary>The outputs the last build of a state file recorded (empty when there is none or it does not check out).</summary>
    public static IReadOnlyList<OutputRecord> LastOutputs(string stateFile) => BuildState.Load(stateFile)?.Outputs ?? [];

    /// <summary>
    /// Deletes the outputs of every state file in <paramref name="stateDirectory"/> that no current
    /// group uses, then the state file; returns the files deleted. A path a current group generated
    /// (<paramref name="produced"/>, asked for only when there is a stale state) stays: settings that
    /// changed, or a new package version (its well-known types folder is part of the settings), give
    /// the same outputs a new group.
    /// </summary>
    public static List<string> RemoveStaleGroups(string stateDirectory, IReadOnlySet<string> current, Func<IReadOnlySet<string>> produced)
    {
        IReadOnlySet<string>? generated = null;
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
                if ((generated ??= produced()).Contains(output.Path))
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
    public static string? FileInside(IEnumerable<string> files, params string?[] folders)
    {
        // Loops, not LINQ: a lambda capturing each file was 2,000 closures and delegates per build.
        foreach (var file in files)
        {
            foreach (var folder in folders)
            {
                if (folder is not null && IsUnder(file, folder))
                {
                    return file;
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="file"/> lies inside <paramref name="directory"/> (compared as text; no string is made).</summary>
    internal static bool IsUnder(string file, string directory) =>
        Path.EndsInDirectorySeparator(directory)
            ? file.StartsWith(directory, StringComparison.Ordinal)
            : file.Length > directory.Length && file[directory.Length] == Path.DirectorySeparatorChar && file.StartsWith(directory, StringComparison.Ordinal);
}
