namespace Kiln.Build.Workspace;

/// <summary>
/// Stamps of the files a host names (MSBuild's items), taken on a pool thread while the build's
/// own thread loads the last build state: the state check then finds most stamps ready instead
/// of taking them itself. Until the state is read nothing else needs the other core, and the
/// stamps are taken before any file is read (an edit made meanwhile still leaves a stamp that
/// differs from the one the state records next).
/// </summary>
public sealed class StampPrefetch
{
    private readonly Task<Dictionary<string, FileStamp?>> _stamps;

    private StampPrefetch(List<string> paths) =>
        _stamps = Task.Run(() =>
        {
            var stamps = new Dictionary<string, FileStamp?>(paths.Count, StringComparer.Ordinal);
            foreach (var path in paths)
            {
                stamps[path] = FileStamp.Of(path);
            }

            return stamps;
        });

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

        return new StampPrefetch(paths);
    }

    /// <summary>
    /// The stamps, once taken (null for a file that was missing); the caller takes the stamp of a
    /// file not in them itself. A failure of the pool thread is the caller's failure.
    /// </summary>
    public Dictionary<string, FileStamp?> Stamps => _stamps.GetAwaiter().GetResult();
}
