namespace Kiln.Build.Workspace;

/// <summary>
/// Stamps of the files a host names (MSBuild's items), taken on a pool thread while the build's
/// own thread reads the items, plans and loads the last build state: the state check then finds
/// most stamps ready instead of taking them itself. Until the state is read nothing else needs the
/// other core, and the stamps are taken before any file is read (an edit made meanwhile still
/// leaves a stamp that differs from the one the state records next).
/// </summary>
public sealed class StampPrefetch
{
    private readonly Task<Dictionary<string, FileStamp?>> _stamps;

    private StampPrefetch(IReadOnlyList<string> paths, Func<string, string>? fullPath) =>
        _stamps = Task.Run(() =>
        {
            var stamps = new Dictionary<string, FileStamp?>(paths.Count, StringComparer.Ordinal);
            foreach (var path in paths)
            {
                try
                {
                    var full = fullPath is null ? path : fullPath(path);
                    stamps[full] = FileStamp.Of(full);
                }
                catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
                {
                    // A path that cannot be stat'ed is left to the check, which reports it in its own way.
                }
            }

            return stamps;
        });

    /// <summary>
    /// Starts taking the stamps of <paramref name="items"/>, each made a full path by
    /// <paramref name="fullPath"/> on the pool thread too (the host's own rule, so that the paths
    /// are the ones its builds name); null when there are none.
    /// </summary>
    public static StampPrefetch? Start(IReadOnlyList<string> items, Func<string, string> fullPath) =>
        items.Count == 0 ? null : new StampPrefetch(items, fullPath);

    /// <summary>Starts taking the stamps of the files <paramref name="lists"/> name (null lists are skipped); null when they name none.</summary>
    public static StampPrefetch? Start(params IReadOnlyList<string>?[] lists)
    {
        var count = 0;
        foreach (var list in lists)
        {
            count += list?.Count ?? 0;
        }

        if (count == 0)
        {
            return null;
        }

        var paths = new List<string>(count);
        foreach (var list in lists)
        {
            if (list is not null)
            {
                paths.AddRange(list);
            }
        }

        return new StampPrefetch(paths, null);
    }

    /// <summary>
    /// The stamps, once taken (null for a file that was missing); the caller takes the stamp of a
    /// file not in them itself.
    /// </summary>
    public Dictionary<string, FileStamp?> Stamps => _stamps.GetAwaiter().GetResult();
}
