namespace Kiln.Build;

/// <summary>One <c>-I</c> / <c>--proto_path</c>: a virtual prefix (empty for a plain folder) mapped to a disk folder.</summary>
public sealed record ProtoPathMapping(string VirtualPath, string DiskPath);

/// <summary>How an input file on the command line maps to a virtual path.</summary>
public enum ProtoInputMapping
{
    Success,

    /// <summary>An earlier <c>-I</c> folder has a file with the same virtual path.</summary>
    Shadowed,

    /// <summary>The file is under no <c>-I</c> folder and is no virtual path either.</summary>
    NoMapping,

    /// <summary>The file does not exist.</summary>
    NotFound,
}

/// <summary>
/// protoc's <c>DiskSourceTree</c>: files are named by virtual paths, each found in the first
/// <c>-I</c> folder that has it. Paths are compared as text after canonicalization (no <c>.</c>
/// segments, no doubled or trailing <c>/</c>), as protoc does: an absolute input under a relative
/// <c>-I</c> does not match.
/// </summary>
public sealed class ProtocSourceTree
{
    private readonly List<ProtoPathMapping> _mappings = [];
    private readonly string _workingDirectory = Environment.CurrentDirectory;

    /// <summary>The mappings from <c>-I</c> values (<c>DIR</c> or <c>VIRTUAL=DIR</c>), in order; none means the current folder.</summary>
    public ProtocSourceTree(IEnumerable<string> protoPaths)
    {
        ArgumentNullException.ThrowIfNull(protoPaths);
        foreach (var p in protoPaths)
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            var (virt, disk) = eq < 0 ? ("", p) : (p[..eq], p[(eq + 1)..]);
            _mappings.Add(new ProtoPathMapping(Canonicalize(virt), Canonicalize(disk)));
        }

        if (_mappings.Count == 0)
        {
            _mappings.Add(new ProtoPathMapping("", ""));
        }
    }

    public IReadOnlyList<ProtoPathMapping> Mappings => _mappings;

    /// <summary>protoc's CanonicalizePath: drops empty and <c>.</c> segments, keeps a leading <c>/</c>.</summary>
    public static string Canonicalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsCanonical(path))
        {
            return path; // the usual case (a full path from MSBuild or a glob): nothing to allocate
        }

        path = path.Replace('\\', '/');
        var parts = path.Split('/').Where(p => p.Length > 0 && p != ".");
        var joined = string.Join('/', parts);
        return path.StartsWith('/') ? "/" + joined : joined;
    }

    /// <summary>True when <see cref="Canonicalize"/> would return the path as it is: no backslash, and no empty or <c>.</c> segment but a leading <c>/</c>.</summary>
    private static bool IsCanonical(string path)
    {
        var start = path.StartsWith('/') ? 1 : 0;
        if (start == path.Length && start > 0)
        {
            return false; // "/" alone: joined to "" and given its slash back, which is the same text, but rare
        }

        for (var i = start; i <= path.Length; i++)
        {
            var segmentStart = i;
            while (i < path.Length && path[i] != '/')
            {
                if (path[i] == '\\')
                {
                    return false;
                }

                i++;
            }

            var length = i - segmentStart;
            if (length == 0 || (length == 1 && path[segmentStart] == '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The disk file a virtual path maps to through one mapping, or null.</summary>
    private static string? ApplyMapping(string virtualFile, ProtoPathMapping mapping)
    {
        ReadOnlySpan<char> rest;
        if (mapping.VirtualPath.Length == 0)
        {
            rest = virtualFile;
        }
        else if (StartsWithFolder(virtualFile, mapping.VirtualPath))
        {
            rest = virtualFile.AsSpan(mapping.VirtualPath.Length + 1);
        }
        else
        {
            return null;
        }

        return mapping.DiskPath.Length == 0 ? (rest.Length == virtualFile.Length ? virtualFile : rest.ToString())
            : mapping.DiskPath == "/" ? string.Concat("/", rest) : string.Concat(mapping.DiskPath, "/", rest);
    }

    /// <summary>The virtual path of a disk file through one mapping, or null.</summary>
    private static string? ApplyInverseMapping(string diskFile, ProtoPathMapping mapping)
    {
        ReadOnlySpan<char> rest;
        if (mapping.DiskPath.Length == 0)
        {
            if (diskFile.StartsWith('/'))
            {
                return null;
            }

            rest = diskFile;
        }
        else if (mapping.DiskPath == "/" && diskFile.StartsWith('/'))
        {
            rest = diskFile.AsSpan(1);
        }
        else if (StartsWithFolder(diskFile, mapping.DiskPath))
        {
            rest = diskFile.AsSpan(mapping.DiskPath.Length + 1);
        }
        else
        {
            return null;
        }

        return mapping.VirtualPath.Length == 0 ? (rest.Length == diskFile.Length ? diskFile : rest.ToString()) : string.Concat(mapping.VirtualPath, "/", rest);
    }

    /// <summary>True when <paramref name="path"/> lies in <paramref name="folder"/>: it starts with the folder and a <c>/</c>.</summary>
    private static bool StartsWithFolder(string path, string folder) =>
        path.Length > folder.Length && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal);

    /// <summary>The disk file (as protoc names it in messages) that a virtual path opens, or null if no folder has it.</summary>
    public string? VirtualFileToDiskFile(string virtualFile)
    {
        if (!IsValidVirtualPath(virtualFile))
        {
            return null;
        }

        foreach (var mapping in _mappings)
        {
            if (ApplyMapping(virtualFile, mapping) is { } disk && FileExists(disk))
            {
                return disk;
            }
        }

        return null;
    }

    /// <summary>
    /// <see cref="File.Exists(string)"/> with relative paths taken from the working directory as it
    /// was when the tree was made: File.Exists asks the system for the working directory on every
    /// relative path, once per import of every file.
    /// </summary>
    private bool FileExists(string path) => File.Exists(Full(path));

    /// <summary>
    /// False when <paramref name="listings"/> show that <paramref name="mapping"/>'s folder cannot
    /// have <paramref name="virtualFile"/> (true: it may, and is stat'ed). A name straight under a
    /// plain folder, the usual case, is looked up with no string made.
    /// </summary>
    private bool MayShadow(string virtualFile, ProtoPathMapping mapping, FolderListings listings)
    {
        if (mapping.VirtualPath.Length == 0 && mapping.DiskPath.Length > 0 && Path.IsPathRooted(mapping.DiskPath) && !virtualFile.Contains('/', StringComparison.Ordinal))
        {
            return listings.MayExist(mapping.DiskPath, virtualFile);
        }

        return ApplyMapping(virtualFile, mapping) is not { } disk || listings.MayExist(Full(disk));
    }

    private string Full(string path) => Path.IsPathRooted(path) ? path : Path.Join(_workingDirectory, path);

    /// <summary>protoc rejects virtual paths that climb out of their folder or are absolute.</summary>
    private static bool IsValidVirtualPath(string virtualFile) =>
        virtualFile.Length > 0 && !virtualFile.StartsWith('/') && !virtualFile.Contains('\\', StringComparison.Ordinal) &&
        !virtualFile.Split('/').Any(p => p is ".." or "." or "");

    /// <summary>protoc's rule for a file named on the command line (MakeProtoProtoPathRelative).</summary>
    /// <param name="knownToExist">True when the caller has just seen the file on disk (its stamp): it is not asked again.</param>
    /// <param name="listings">Shared by the inputs of one batch: whether an earlier folder shadows an input is asked of one listing per folder, not of a stat per input.</param>
    public ProtoInputMapping MapInput(string input, out string virtualFile, out string shadowingDiskFile, bool knownToExist = false, FolderListings? listings = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        shadowingDiskFile = "";
        virtualFile = input;
        if (!knownToExist && !FileExists(input))
        {
            return VirtualFileToDiskFile(input) != null ? ProtoInputMapping.Success : ProtoInputMapping.NotFound;
        }

        var canonical = Canonicalize(input);
        for (var i = 0; i < _mappings.Count; i++)
        {
            if (ApplyInverseMapping(canonical, _mappings[i]) is not { } candidate)
            {
                continue;
            }

            virtualFile = candidate;
            for (var j = 0; j < i; j++)
            {
                if (listings is not null && !MayShadow(candidate, _mappings[j], listings))
                {
                    continue;
                }

                if (ApplyMapping(candidate, _mappings[j]) is { } earlier && FileExists(earlier))
                {
                    shadowingDiskFile = earlier;
                    return ProtoInputMapping.Shadowed;
                }
            }

            return ProtoInputMapping.Success;
        }

        virtualFile = input;
        return VirtualFileToDiskFile(input) != null ? ProtoInputMapping.Success : ProtoInputMapping.NoMapping;
    }
}

/// <summary>
/// The names in each folder asked about, listed once: "may this file exist" for a batch of paths
/// in a few folders costs a listing per folder instead of a stat per path. Names are compared
/// without case, so that a case-insensitive file system cannot hide a file; a name found is
/// stat'ed by the caller. Safe to share between threads.
/// </summary>
public sealed class FolderListings
{
    /// <summary>Each folder's names; null for a folder that could not be listed (any name may be there).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>?> _names = new(StringComparer.Ordinal);

    /// <summary>False when the folder of <paramref name="fullPath"/> has no entry of its name (or does not exist).</summary>
    public bool MayExist(string fullPath)
    {
        var folder = Path.GetDirectoryName(fullPath);
        return string.IsNullOrEmpty(folder) || MayExist(folder, Path.GetFileName(fullPath));
    }

    /// <summary>False when <paramref name="folder"/> (a full path) has no entry named <paramref name="name"/> (or does not exist).</summary>
    public bool MayExist(string folder, string name)
    {
        var names = _names.GetOrAdd(folder, static f => List(f));
        return names is null || names.Contains(name);
    }

    private static HashSet<string>? List(string folder)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var name in new System.IO.Enumeration.FileSystemEnumerable<string>(folder, static (ref System.IO.Enumeration.FileSystemEntry entry) => entry.FileName.ToString()))
            {
                names.Add(name);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return names; // no folder, no file in it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // not listed: every name may be there, and is stat'ed
        }

        return names;
    }
}
