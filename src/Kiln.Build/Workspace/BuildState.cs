using System.IO.Hashing;
using System.Text;
using Kiln.Text;

namespace Kiln.Build.Workspace;

/// <summary>
/// A file as the last build saw it: its size and last-write time (UTC ticks). A class, not a
/// struct: the framework's generic collections over a reference type share code that ReadyToRun
/// precompiles, while over a struct of ours each is JIT-compiled in every new process (about 50
/// methods of <c>Dictionary</c> and <c>ConcurrentDictionary</c> in an MSBuild build).
/// </summary>
public sealed record FileStamp(long Length, long WriteTicks)
{
    /// <summary>What is recorded for a file that was not there when stamped: length 0, last written at tick 0 (1 January 0001, a time no file has).</summary>
    public static FileStamp Missing { get; } = new(0, 0);

    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }

    /// <summary>A folder's stamp: its last-write time, which a file added, removed or renamed in it changes.</summary>
    public static FileStamp? OfFolder(string path)
    {
        var info = new DirectoryInfo(path);
        return info.Exists ? new FileStamp(-1, info.LastWriteTimeUtc.Ticks) : null;
    }
}

/// <summary>
/// One generated file: where, from which input and for which cache key of that input, and its
/// bytes' hash and stamp when written (or found unchanged). The key lets a new process keep an
/// input's outputs without opening the cache when the input's key is what it was.
/// </summary>
public sealed record OutputRecord(string Path, string Owner, ulong ContentHash, FileStamp Stamp, Hash128 Key);

/// <summary>
/// One Protobuf file of the last build's import graph: its virtual path, where it was read from,
/// what it imports, the hash of its exports, a hash of its names that can clash with another file's
/// and how many top-level definitions it has. A new process that finds a few files edited reads
/// only them, their imports and, when their exports changed, their importers (see <see cref="BuildState.Delta"/>).
/// </summary>
public sealed record ProtoGraphFile(string VirtualPath, string? DiskPath, string[] Imports, Hash128 ExportsHash, ulong NamesHash, int Definitions);

/// <summary>
/// One Thrift file of the last build's include graph: its full path, the files it includes
/// directly (found ones), and how many top-level definitions it has. A new process that finds a
/// few files edited reads only them, their includes and the files including them.
/// </summary>
public sealed record ThriftGraphFile(string Path, string[] Includes, int Definitions);

/// <summary>
/// What changed since the last build, found by <see cref="BuildState.Delta"/>: the inputs whose
/// stamp differs or that are gone, and the inputs whose outputs' stamps differ (full paths), with
/// the current stamp of every input that still exists.
/// </summary>
public sealed record StateDelta(BuildState Previous, HashSet<string> Changed, Dictionary<string, FileStamp> Stamps);

/// <summary>
/// What the last build of a workspace left behind, kept beside the cache: the settings it ran
/// with, every input it read with its stamp, the folders of its outputs with theirs, every output
/// it generated (the manifest: only files listed here are ever deleted, when no input generates
/// them any more), the diagnostics it reported (replayed by a build that finds nothing to do) and
/// the Protobuf import graph. The file ends with a checksum and is replaced by rename; one that
/// does not read back whole is ignored (the next build is a full one and removes no stale outputs,
/// since it cannot know them). What a no-op build needs comes first and is read at once; the
/// outputs and the graph (most of the bytes: 50,000 outputs for a large Thrift workspace) are read
/// when first asked for.
/// </summary>
public sealed class BuildState
{
    /// <summary>The file's first bytes: "KLNS" and the format's version (12: the checksum is xxHash64).</summary>
    private static readonly byte[] s_magic = "KLNS\u000C\0\0\0"u8.ToArray();

    private IReadOnlyList<OutputRecord>? _outputs;
    private IReadOnlyList<ProtoGraphFile>? _graph;
    private IReadOnlyList<ThriftGraphFile>? _thriftGraph;
    private byte[]? _bytes;

    /// <summary>The file paths of a decoded state, each once: the roots, the inputs, the outputs' owners and the graphs' files name them by index.</summary>
    private string[] _paths = [];
    private int _outputsAt, _graphAt, _thriftGraphAt;

    public required string Version { get; init; }

    public required string Fingerprint { get; init; }

    /// <summary>The inputs the globs selected (full paths): the Protobuf section's, sorted, then the Thrift section's.</summary>
    public required IReadOnlyList<string> Roots { get; init; }

    /// <summary>How many of <see cref="Roots"/> the Protobuf section selected.</summary>
    public int ProtoRootCount { get; init; }

    /// <summary>
    /// Every folder the globs listed, with its stamp from before it was listed (see
    /// <see cref="KilnConfig.Expand"/>): while all still have it, a new process takes
    /// <see cref="Roots"/> as the globs' answer without listing anything. Empty: no such shortcut.
    /// </summary>
    public IReadOnlyDictionary<string, FileStamp> ListedFolders { get; init; } = new Dictionary<string, FileStamp>();

    /// <summary>Every file the build read (roots and imports) with its stamp.</summary>
    public required IReadOnlyDictionary<string, FileStamp> Inputs { get; init; }

    /// <summary>
    /// Every folder holding an output, with its stamp when the state was made. A no-op build
    /// checks these instead of every output: an output deleted, added or renamed changes its
    /// folder's stamp; one rewritten in place does not (the next build that is not a no-op
    /// compares every output's stamp and restores it).
    /// </summary>
    public IReadOnlyDictionary<string, FileStamp> OutputFolders { get; init; } = new Dictionary<string, FileStamp>();

    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    public IReadOnlyList<OutputRecord> Outputs
    {
        get => _outputs ??= ReadSection(_outputsAt, ReadOutputs) ?? [];
        init => _outputs = value;
    }

    /// <summary>How many outputs the build made (known without reading them).</summary>
    public int OutputCount => _outputs?.Count ?? _outputCount;

    private int _outputCount;

    /// <summary>Every Protobuf file the build loaded (roots and imports); empty when it built no Protobuf.</summary>
    public IReadOnlyList<ProtoGraphFile> ProtoGraph
    {
        get => _graph ??= ReadSection(_graphAt, ReadGraph) ?? [];
        init => _graph = value;
    }

    /// <summary>Every Thrift file the build loaded (roots and includes); empty when it built no Thrift.</summary>
    public IReadOnlyList<ThriftGraphFile> ThriftGraph
    {
        get => _thriftGraph ??= ReadSection(_thriftGraphAt, ReadThriftGraph) ?? [];
        init => _thriftGraph = value;
    }

    /// <summary>The stamps of the folders that hold <paramref name="outputs"/>, taken now.</summary>
    public static Dictionary<string, FileStamp> StampFolders(IEnumerable<OutputRecord> outputs)
    {
        var folders = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        string? last = null;
        foreach (var output in outputs)
        {
            // Outputs come folder by folder: a folder's name is made once per run of them.
            var name = Path.GetDirectoryName(output.Path.AsSpan());
            if (name.IsEmpty || (last is not null && name.SequenceEqual(last)))
            {
                continue;
            }

            var folder = last = name.ToString();
            if (!folders.ContainsKey(folder) && FileStamp.OfFolder(folder) is { } stamp)
            {
                folders[folder] = stamp;
            }
        }

        return folders;
    }

    /// <summary>
    /// Opt-in, for a long-lived process that builds the same groups again (the MSBuild build
    /// server): <see cref="Load"/> then answers with the state last saved to or loaded from a path
    /// while the file still has the stamp it had then, so an edit does not decode the same
    /// megabytes again; and a one-shot build saves its state in the background
    /// (<see cref="SaveInBackground"/>). Off by default: in a one-shot process it would only hold memory.
    /// </summary>
    public static bool Remember { get; set; }

    private const int Remembered = 32;
    private static readonly Dictionary<string, (FileStamp Stamp, BuildState State)> s_remembered = new(StringComparer.Ordinal);

    private static void Keep(string path, FileStamp? stamp, BuildState state)
    {
        lock (s_remembered)
        {
            if (stamp is not { } known)
            {
                s_remembered.Remove(path);
                return;
            }

            if (s_remembered.Count >= Remembered && !s_remembered.ContainsKey(path))
            {
                s_remembered.Clear();
            }

            s_remembered[path] = (known, state);
        }
    }

    private static readonly Dictionary<string, Task> s_saving = new(StringComparer.Ordinal);

    /// <summary>Why the last background save of a path failed (full paths), until <see cref="TakeSaveFailure"/> reports it.</summary>
    private static readonly Dictionary<string, string> s_failedSaves = new(StringComparer.Ordinal);

    /// <summary>True once a background save was started: loads then wait for the saves of their path.</summary>
    private static volatile bool s_flushAtExit;

    /// <summary>
    /// Saves this state on a pool thread: the build server's, which has answered its client by
    /// then (with <see cref="Remember"/>), and MSBuild's process, whose build goes on meanwhile.
    /// Saves of one path happen in order, a <see cref="Load"/> of the path waits for them, and the
    /// process waits for them when it exits. A save that fails leaves the file as it was, which is
    /// safe: the next build finds the inputs changed since that state and builds them again (and
    /// in the same process, <see cref="TakeSaveFailure"/> says why).
    /// </summary>
    /// <param name="first">Run before the save (housekeeping); an I/O failure in it is ignored.</param>
    public void SaveInBackground(string path, Action? first = null)
    {
        var full = Path.GetFullPath(path);
        lock (s_saving)
        {
            if (!s_flushAtExit)
            {
                s_flushAtExit = true;
                AppDomain.CurrentDomain.ProcessExit += static (_, _) => FlushSaves();
            }

            var before = s_saving.GetValueOrDefault(full) ?? Task.CompletedTask;
            Task saving = null!;
            saving = before.ContinueWith(
                _ =>
                {
                    try
                    {
                        first?.Invoke();
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Housekeeping only (a folder gone meanwhile, a process that cannot be
                        // asked about): nothing is lost, and the save must still happen.
                    }

                    try
                    {
                        Save(full);
                    }
                    catch (Exception e)
                    {
                        // Whatever it was, the file is as it was (it is replaced atomically); the
                        // next build of this process says so, and no exception is left to a pool thread.
                        Keep(full, null, this);
                        lock (s_failedSaves)
                        {
                            s_failedSaves[full] = e.Message;
                        }
                    }
                    finally
                    {
                        lock (s_saving)
                        {
                            if (s_saving.GetValueOrDefault(full) == saving)
                            {
                                s_saving.Remove(full);
                            }
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            s_saving[full] = saving;
        }
    }

    /// <summary>Waits for every save <see cref="SaveInBackground"/> started (before a process exits).</summary>
    public static void FlushSaves()
    {
        Task[] pending;
        lock (s_saving)
        {
            pending = [.. s_saving.Values];
        }

        Task.WaitAll(pending); // never faulted: a save catches its own failure
    }

    /// <summary>Why the last background save of <paramref name="path"/> in this process failed (once it is done), once; null when it did not.</summary>
    public static string? TakeSaveFailure(string path)
    {
        if (!s_flushAtExit)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        WaitForSave(full);
        lock (s_failedSaves)
        {
            return s_failedSaves.Remove(full, out var why) ? why : null;
        }
    }

    /// <summary>Waits until a background save of <paramref name="path"/> (a full path) is done.</summary>
    private static void WaitForSave(string path)
    {
        Task? saving;
        lock (s_saving)
        {
            saving = s_saving.Count > 0 ? s_saving.GetValueOrDefault(path) : null;
        }

        saving?.Wait();
    }

    public static BuildState? Load(string path)
    {
        FileStamp? before = null;
        if (Remember || s_flushAtExit)
        {
            path = Path.GetFullPath(path);
            WaitForSave(path);
        }

        if (Remember)
        {
            before = FileStamp.Of(path);
            lock (s_remembered)
            {
                if (before is not null && s_remembered.TryGetValue(path, out var known) && known.Stamp == before)
                {
                    return known.State;
                }
            }
        }

        var state = Decode(path);
        if (Remember && state is not null)
        {
            Keep(path, before, state); // the stamp from before the read: a file changed meanwhile is read again next time
        }

        return state;
    }

    private static BuildState? Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (bytes.Length < s_magic.Length + TrailerSize + 8 || !bytes.AsSpan(0, 8).SequenceEqual(s_magic)
            || Checksum(bytes.AsSpan(0, bytes.Length - 8)) != BitConverter.ToUInt64(bytes, bytes.Length - 8))
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(bytes, 0, bytes.Length - 8);
            stream.Position = 8;
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var version = reader.ReadString();
            var fingerprint = reader.ReadString();
            var paths = new string[reader.ReadInt32()];
            for (var i = 0; i < paths.Length; i++)
            {
                paths[i] = reader.ReadString();
            }

            var roots = new string[reader.ReadInt32()];
            for (var i = 0; i < roots.Length; i++)
            {
                roots[i] = paths[reader.ReadInt32()];
            }

            var protoRootCount = reader.ReadInt32();
            var listed = ReadStamps(reader, null);
            var inputs = ReadStamps(reader, paths);
            var folders = ReadStamps(reader, null);
            var diagnostics = new Diagnostic[reader.ReadInt32()];
            for (var i = 0; i < diagnostics.Length; i++)
            {
                diagnostics[i] = new Diagnostic((DiagnosticSeverity)reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadInt32(), reader.ReadInt32());
            }

            var outputCount = reader.ReadInt32();
            var trailer = bytes.Length - 8 - TrailerSize;
            var outputsAt = BitConverter.ToInt32(bytes, trailer);
            var graphAt = BitConverter.ToInt32(bytes, trailer + 4);
            var thriftGraphAt = BitConverter.ToInt32(bytes, trailer + 8);
            return new BuildState
            {
                Version = version,
                Fingerprint = fingerprint,
                Roots = roots,
                ProtoRootCount = protoRootCount,
                ListedFolders = listed,
                Inputs = inputs,
                OutputFolders = folders,
                Diagnostics = diagnostics,
                _bytes = bytes,
                _paths = paths,
                _outputCount = outputCount,
                _outputsAt = outputsAt,
                _graphAt = graphAt,
                _thriftGraphAt = thriftGraphAt,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Stamps of paths written as text, or as indexes into <paramref name="paths"/> when given.</summary>
    private static Dictionary<string, FileStamp> ReadStamps(BinaryReader reader, string[]? paths)
    {
        var count = reader.ReadInt32();
        var stamps = new Dictionary<string, FileStamp>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            stamps[paths is null ? reader.ReadString() : paths[reader.ReadInt32()]] = new FileStamp(reader.ReadInt64(), reader.ReadInt64());
        }

        return stamps;
    }

    /// <summary>A section the file was checked whole for, read on first use (null when it does not read back: then it is taken as empty).</summary>
    private T? ReadSection<T>(int offset, Func<BinaryReader, T> read)
        where T : class
    {
        if (_bytes is null)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(_bytes, offset, _bytes.Length - 8 - TrailerSize - offset), Encoding.UTF8);
            return read(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private OutputRecord[] ReadOutputs(BinaryReader reader)
    {
        var outputs = new OutputRecord[reader.ReadInt32()];
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new OutputRecord(reader.ReadString(), _paths[reader.ReadInt32()], reader.ReadUInt64(), new FileStamp(reader.ReadInt64(), reader.ReadInt64()),
                new Hash128(reader.ReadUInt64(), reader.ReadUInt64()));
        }

        return outputs;
    }

    private ProtoGraphFile[] ReadGraph(BinaryReader reader)
    {
        var names = new string[reader.ReadInt32()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString();
        }

        var graph = new ProtoGraphFile[names.Length];
        for (var i = 0; i < graph.Length; i++)
        {
            var disk = reader.ReadInt32();
            var imports = new string[reader.ReadInt32()];
            for (var j = 0; j < imports.Length; j++)
            {
                var import = reader.ReadInt32();
                imports[j] = import < 0 ? reader.ReadString() : names[import];
            }

            graph[i] = new ProtoGraphFile(names[i], disk < 0 ? null : _paths[disk], imports, new Hash128(reader.ReadUInt64(), reader.ReadUInt64()), reader.ReadUInt64(), reader.ReadInt32());
        }

        return graph;
    }

    private ThriftGraphFile[] ReadThriftGraph(BinaryReader reader)
    {
        var graph = new ThriftGraphFile[reader.ReadInt32()];
        for (var i = 0; i < graph.Length; i++)
        {
            var path = _paths[reader.ReadInt32()];
            var includes = new string[reader.ReadInt32()];
            for (var j = 0; j < includes.Length; j++)
            {
                includes[j] = _paths[reader.ReadInt32()];
            }

            graph[i] = new ThriftGraphFile(path, includes, reader.ReadInt32());
        }

        return graph;
    }

    /// <summary>The bytes before the checksum that say where the sections read on first use start (outputs, Protobuf graph, Thrift graph).</summary>
    private const int TrailerSize = 12;

    /// <summary>
    /// Writes the state to <paramref name="path"/> (replaced atomically). It is streamed to the
    /// file and hashed on the way: a state is megabytes for a large workspace, and one buffer for
    /// it all was a large-object allocation (a full garbage collection of MSBuild's heap, 20 ms,
    /// when a task made it). The offsets of the sections come last, before the checksum.
    /// </summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        OutputWriter.ReplaceAtomically(path, file =>
        {
            using var stream = new HashingStream(file);
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                Write(writer, stream);
            }

            Span<byte> checksum = stackalloc byte[8];
            BitConverter.TryWriteBytes(checksum, stream.Hash);
            file.Write(checksum);
        });
        if (Remember)
        {
            var full = Path.GetFullPath(path);
            Keep(full, FileStamp.Of(full), this);
        }
    }

    private void Write(BinaryWriter writer, HashingStream stream)
    {
        // Where the next section starts in the file. BinaryWriter writes through, so the count is
        // current without flushing (a flush pushed the file stream's buffer out mid-state).
        int Offset() => checked((int)stream.Written);

        writer.Write(s_magic);
        writer.Write(Version);
        writer.Write(Fingerprint);
        var paths = PathTable(out var ordered);
        writer.Write(ordered.Count);
        foreach (var path in ordered)
        {
            writer.Write(path);
        }

        writer.Write(Roots.Count);
        foreach (var root in Roots)
        {
            writer.Write(paths[root]);
        }

        writer.Write(ProtoRootCount);
        WriteStamps(writer, ListedFolders, null);
        WriteStamps(writer, Inputs, paths);
        WriteStamps(writer, OutputFolders, null);
        writer.Write(Diagnostics.Count);
        foreach (var d in Diagnostics)
        {
            writer.Write((int)d.Severity);
            writer.Write(d.Code);
            writer.Write(d.Message);
            writer.Write(d.Path);
            writer.Write(d.Line);
            writer.Write(d.Column);
        }

        writer.Write(Outputs.Count);
        var outputsAt = Offset();
        writer.Write(Outputs.Count);
        foreach (var output in Outputs)
        {
            writer.Write(output.Path);
            writer.Write(paths[output.Owner]);
            writer.Write(output.ContentHash);
            writer.Write(output.Stamp.Length);
            writer.Write(output.Stamp.WriteTicks);
            writer.Write(output.Key.High);
            writer.Write(output.Key.Low);
        }

        var graphAt = Offset();
        // The graph's virtual paths first, so that imports name them by index.
        var names = new Dictionary<string, int>(ProtoGraph.Count, StringComparer.Ordinal);
        writer.Write(ProtoGraph.Count);
        for (var i = 0; i < ProtoGraph.Count; i++)
        {
            names.TryAdd(ProtoGraph[i].VirtualPath, i); // its position, the index a reader gives it
            writer.Write(ProtoGraph[i].VirtualPath);
        }

        foreach (var file in ProtoGraph)
        {
            writer.Write(file.DiskPath is null ? -1 : paths[file.DiskPath]);
            writer.Write(file.Imports.Length);
            foreach (var import in file.Imports)
            {
                if (names.TryGetValue(import, out var index))
                {
                    writer.Write(index);
                }
                else
                {
                    writer.Write(-1);
                    writer.Write(import);
                }
            }

            writer.Write(file.ExportsHash.High);
            writer.Write(file.ExportsHash.Low);
            writer.Write(file.NamesHash);
            writer.Write(file.Definitions);
        }

        var thriftGraphAt = Offset();
        writer.Write(ThriftGraph.Count);
        foreach (var file in ThriftGraph)
        {
            writer.Write(paths[file.Path]);
            writer.Write(file.Includes.Length);
            foreach (var include in file.Includes)
            {
                writer.Write(paths[include]);
            }

            writer.Write(file.Definitions);
        }

        writer.Write(outputsAt);
        writer.Write(graphAt);
        writer.Write(thriftGraphAt);
    }

    /// <summary>
    /// The checksum that ends the file: xxHash64, not xxHash3. xxHash3's vector code is not in the
    /// ReadyToRun image on every CPU (on one with AVX-512 its precompiled code is rejected), and a
    /// new process then ran it as unoptimized JIT code: 1.3 ms for the bench's 447 KB state, against
    /// about 0.1 ms for xxHash64's scalar code, which is precompiled everywhere.
    /// </summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes) => XxHash64.HashToUInt64(bytes);

    /// <summary>A write-only stream that hashes (as <see cref="Checksum"/>) and counts what it passes on to another.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly XxHash64 _hash = new();

        public long Written { get; private set; }

        public ulong Hash => _hash.GetCurrentHashAsUInt64();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.Append(buffer);
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>
    /// Every file path the state names (roots, inputs, outputs' owners, the graphs' files), each
    /// once, with its index: written once and named by index elsewhere, a path is decoded into one
    /// string, where it was four (a third of what a 2,000-file MSBuild edit allocated).
    /// </summary>
    private Dictionary<string, int> PathTable(out List<string> ordered)
    {
        var paths = new Dictionary<string, int>(Inputs.Count + Roots.Count, StringComparer.Ordinal);
        var list = ordered = new List<string>(Inputs.Count + Roots.Count);
        void Add(string path)
        {
            if (paths.TryAdd(path, list.Count))
            {
                list.Add(path);
            }
        }

        foreach (var root in Roots)
        {
            Add(root);
        }

        foreach (var (input, _) in Inputs)
        {
            Add(input);
        }

        foreach (var output in Outputs)
        {
            Add(output.Owner);
        }

        foreach (var file in ProtoGraph)
        {
            if (file.DiskPath is { } disk)
            {
                Add(disk);
            }
        }

        foreach (var file in ThriftGraph)
        {
            Add(file.Path);
            foreach (var include in file.Includes)
            {
                Add(include);
            }
        }

        return paths;
    }

    /// <summary>Stamps with their paths as text, or as indexes into <paramref name="paths"/> when given.</summary>
    private static void WriteStamps(BinaryWriter writer, IReadOnlyDictionary<string, FileStamp> stamps, Dictionary<string, int>? paths)
    {
        writer.Write(stamps.Count);
        foreach (var (file, stamp) in stamps)
        {
            if (paths is null)
            {
                writer.Write(file);
            }
            else
            {
                writer.Write(paths[file]);
            }

            writer.Write(stamp.Length);
            writer.Write(stamp.WriteTicks);
        }
    }

    /// <summary>
    /// The inputs of the last build (Protobuf's, Thrift's) when it ran with this Kiln and these
    /// settings and no folder its globs listed has changed since: the globs would select them
    /// again. Null when that cannot be known without listing.
    /// </summary>
    public (IReadOnlyList<string> Protobuf, IReadOnlyList<string> Thrift)? SameSelection(string version, string fingerprint)
    {
        if (Version != version || Fingerprint != fingerprint || ListedFolders.Count == 0 || ProtoRootCount > Roots.Count)
        {
            return null;
        }

        foreach (var (folder, stamp) in ListedFolders)
        {
            if (FileStamp.OfFolder(folder) != stamp)
            {
                return null;
            }
        }

        return ([.. Roots.Take(ProtoRootCount)], [.. Roots.Skip(ProtoRootCount)]);
    }

    /// <summary>
    /// Compares the disk with this state, every input stat'ed once (on all cores). True (up to date) when
    /// nothing the last build depended on changed: same Kiln and settings, the globs select the
    /// same files, every input still has its stamp, every output is still there, and the build had
    /// no errors (outputs are checked through their folders' stamps, and one by one only in a
    /// folder that changed; the graph is never read). Otherwise, with <paramref name="wantDelta"/>, <paramref name="delta"/> is
    /// what changed, when a build of only the changed files can be trusted (the same Kiln,
    /// settings and selection, and no errors last time; null otherwise): the inputs whose stamp
    /// changed and the owners of outputs no longer as written (every output is then stat'ed).
    /// </summary>
    /// <param name="inputsChanged">Called as soon as some input is found changed, before the outputs are checked (a build can start on what it will need).</param>
    /// <param name="prefetch">Stamps already being taken (of the files a host names); an input not among them is stat'ed here.</param>
    public bool Compare(string version, string fingerprint, IReadOnlyList<string> roots, bool wantDelta, out StateDelta? delta, Action? inputsChanged = null, StampPrefetch? prefetch = null)
    {
        delta = null;
        if (Version != version || Fingerprint != fingerprint || !Roots.SequenceEqual(roots, StringComparer.Ordinal) || Diagnostics.Any(d => d.IsError))
        {
            return false;
        }

        var inputs = new string[Inputs.Count];
        var recorded = new FileStamp[inputs.Length];
        var n = 0;
        foreach (var (file, stamp) in Inputs)
        {
            inputs[n] = file;
            recorded[n++] = stamp;
        }

        var stamps = new FileStamp?[inputs.Length];
        if (prefetch?.Stamps is { } taken)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                stamps[i] = taken.TryGetValue(inputs[i], out var stamp) ? stamp : FileStamp.Of(inputs[i]); // an import outside the named files
            }
        }
        else
        {
            Parallel.For(0, inputs.Length, i => stamps[i] = FileStamp.Of(inputs[i]));
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (stamps[i] != recorded[i])
            {
                changed.Add(inputs[i]);
            }
        }

        if (changed.Count > 0 && wantDelta)
        {
            inputsChanged?.Invoke();
        }

        if (changed.Count == 0 && OutputsAsWritten())
        {
            return true;
        }

        if (!wantDelta)
        {
            return false;
        }

        var outputsChanged = new bool[Outputs.Count];
        Parallel.For(0, outputsChanged.Length, i => outputsChanged[i] = FileStamp.Of(Outputs[i].Path) != Outputs[i].Stamp);
        for (var i = 0; i < outputsChanged.Length; i++)
        {
            if (outputsChanged[i])
            {
                changed.Add(Outputs[i].Owner);
            }
        }

        var current = new Dictionary<string, FileStamp>(inputs.Length, StringComparer.Ordinal);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (stamps[i] is { } stamp)
            {
                current[inputs[i]] = stamp;
            }
        }

        delta = new StateDelta(this, changed, current);
        return false;
    }

    /// <summary>
    /// Every output still as written, checked through the stamps of the folders holding them: an
    /// output deleted, added or renamed changes its folder's stamp. A folder may hold other tools'
    /// files too (obj/, where the compiler writes after Kiln), so in a folder that changed the
    /// outputs are checked one by one: each must still be as it was written.
    /// </summary>
    private bool OutputsAsWritten()
    {
        var settled = SettledOutputFolders();
        if (settled.Count == OutputFolders.Count)
        {
            return true; // the outputs are not even read
        }

        foreach (var output in Outputs)
        {
            if (!InSettledFolder(output.Path, settled) && FileStamp.Of(output.Path) != output.Stamp)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The output folders whose stamp is still the one recorded: no output in them was deleted, added or renamed.</summary>
    private List<string> SettledOutputFolders()
    {
        var settled = new List<string>(OutputFolders.Count);
        foreach (var (folder, stamp) in OutputFolders)
        {
            if (FileStamp.OfFolder(folder) == stamp)
            {
                settled.Add(folder);
            }
        }

        return settled;
    }

    /// <summary>True when the file's folder is one of <paramref name="settled"/> (a few; compared as text, no string made).</summary>
    private static bool InSettledFolder(string path, List<string> settled)
    {
        var folder = Path.GetDirectoryName(path.AsSpan());
        foreach (var candidate in settled)
        {
            if (folder.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }
}
