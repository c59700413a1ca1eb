using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Kiln.CSharp.Netstd;
using Kiln.CSharp.Protobuf;
using Kiln.CSharp.Protobuf.Grpc;
using Kiln.Protobuf;
using Kiln.Text;

namespace Kiln.Build.Workspace;

/// <summary>
/// Builds a workspace (<see cref="KilnConfig"/>): every input through the engine's queries on all
/// cores, outputs written atomically and only when their bytes changed, generated files that no
/// input makes any more removed (the manifest in <see cref="BuildState"/>), and per-input results
/// kept in the <see cref="ArtifactCache"/>. One builder lives as long as its process: a second
/// <see cref="Build"/> (watch mode) reuses the engine's memos, so an edit re-runs only what it
/// touched. The first build of a process first asks <see cref="BuildState"/> whether anything
/// changed at all, and does nothing when not.
/// </summary>
public sealed partial class WorkspaceBuilder
{
    /// <summary>
    /// Kiln's version: part of every cache key and of the build state, so a new Kiln never trusts
    /// an old Kiln's results. It is the module ids of every assembly that shapes an output (the
    /// driver, the front ends, the emitters and Google.Protobuf, whose serializer makes the
    /// embedded descriptors): any rebuilt one, even with the same version number, is a new Kiln.
    /// </summary>
    public static string Version { get; } = string.Join('.', new[]
    {
        typeof(WorkspaceBuilder), typeof(Kiln.Protobuf.LinkedProtoFile), typeof(Kiln.Thrift.ThriftOptions),
        typeof(Kiln.CSharp.Protobuf.CSharpGenerator), typeof(Kiln.Text.Diagnostic), typeof(Kiln.Engine.Database),
        typeof(Google.Protobuf.ByteString),
    }.Select(t => t.Assembly.ManifestModule.ModuleVersionId.ToString("N")));

    /// <summary><see cref="Version"/> hashed once, as every key starts with it.</summary>
    private static readonly Hash128 s_versionHash = Hash128.Of(Encoding.UTF8.GetBytes(Version));

    private readonly KilnConfig _config;
    private readonly ArtifactCache? _cache;
    private readonly Dictionary<string, OutputRecord> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _inputStamps = new(StringComparer.Ordinal);
    private bool _stateChecked;
    private bool _watching;
    private Task? _pendingSave;

    /// <summary>In a new process, until its first full build: each input's key and outputs as the build state recorded them.</summary>
    private Dictionary<string, Generated>? _lastBuild;
    private Diagnostic? _saveFailure;
    private IReadOnlyList<string>? _protoRoots, _thriftRoots, _allRoots;
    private Dictionary<string, FileStamp> _listedFolders = new(StringComparer.Ordinal);
    private ProtobufPart? _protobuf;
    private ThriftPart? _thrift;

    /// <param name="useCache">False for <c>--no-cache</c>: nothing is read from or written to the artifact cache.</param>
    public WorkspaceBuilder(KilnConfig config, bool useCache = true)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _cache = useCache ? new ArtifactCache(config.CacheDirectory) : null;
    }

    public KilnConfig Config => _config;

    /// <summary>
    /// The manifest of the last build: what it saved or, after a build that found everything up
    /// to date, what the state it read holds (decoded on first use; the file is not read again).
    /// </summary>
    public IReadOnlyList<OutputRecord>? SavedOutputs => _savedOutputs ?? _upToDateState?.Outputs;

    private IReadOnlyList<OutputRecord>? _savedOutputs;

    /// <summary>The state the last build found up to date (until the next build), for <see cref="SavedOutputs"/>.</summary>
    private BuildState? _upToDateState;

    /// <summary>
    /// True for a builder that will see edits (watch mode): it then keeps indexes that make an
    /// edit cheap but cost a one-shot build time (the index of every file's names).
    /// </summary>
    public bool LongLived { get; set; }

    /// <summary>
    /// True in a host whose process goes on after the build (MSBuild's): the build state is saved
    /// on a pool thread after <see cref="Build"/> returns (<see cref="BuildState.SaveInBackground"/>;
    /// the process waits for it before exiting, and a later load of the state waits for it). A
    /// save that fails leaves the last state, and the next build in the process warns (KLN0011).
    /// </summary>
    public bool SaveStateInBackground { get; set; }

    /// <summary>
    /// Stamps the host started taking before it made this builder (MSBuild's task, from its items
    /// at once), used by the first build's state check; without them a builder whose inputs are
    /// named (<see cref="ProtobufConfig.Files"/>) starts taking their stamps itself.
    /// </summary>
    public StampPrefetch? Prefetch { get; set; }

    /// <summary>Told the phase and progress (done, total) as a build goes; the CLI draws it.</summary>
    public Action<string, int, int>? Progress { get; set; }

    /// <summary>Every file the last build read (full disk paths): what <c>kiln watch</c> watches.</summary>
    public IReadOnlyCollection<string> InputFiles
    {
        get
        {
            Settle();
            return _inputStamps.Keys;
        }
    }

    /// <summary>
    /// What the last build produced and the stamps it took, not yet copied into <see cref="_outputs"/>
    /// and <see cref="_inputStamps"/>: a host that saves the state in the background builds once per
    /// builder (MSBuild's task), so the copies are made only if a next build (or <see cref="InputFiles"/>) needs them.
    /// </summary>
    private ConcurrentDictionary<string, OutputRecord>? _unsettledOutputs;
    private ConcurrentDictionary<string, FileStamp>? _unsettledStamps;

    private void Settle()
    {
        if (_unsettledOutputs is { } outputs)
        {
            _outputs.Clear();
            foreach (var (path, record) in outputs)
            {
                _outputs[path] = record;
            }

            _unsettledOutputs = null;
        }

        if (_unsettledStamps is { } stamps)
        {
            _inputStamps.Clear();
            _inputStamps.EnsureCapacity(stamps.Count);
            foreach (var (path, stamp) in stamps)
            {
                _inputStamps[path] = stamp;
            }

            _unsettledStamps = null;
        }
    }

    /// <summary>
    /// Builds the workspace. <paramref name="changed"/> names the files (full paths) known to have
    /// changed since the last build of this builder (watch mode): only they are read again. Null
    /// means unknown: every input is read.
    /// </summary>
    public BuildReport Build(IReadOnlyCollection<string>? changed = null)
    {
        var report = new BuildReport();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var unsaved = SaveStateInBackground || BuildState.Remember ? BuildState.TakeSaveFailure(_config.StateFile) : null;
        try
        {
            BuildCore(report, changed);
        }
        finally
        {
            if (unsaved is not null)
            {
                // Not part of this build's state: its no-op builds would repeat it.
                report.Diagnostics.Add(BuildDiagnostics.StateNotSaved.ForFile(_config.StateFile, _config.StateFile, unsaved));
            }

            report.Elapsed = Stopwatch.GetElapsedTime(start);
            report.CpuTime = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        }

        return report;
    }

    private void BuildCore(BuildReport report, IReadOnlyCollection<string>? changed)
    {
        _pendingSave?.Wait();
        _pendingSave = null;
        Settle();
        _savedOutputs = null;
        _upToDateState = null;
        if (_saveFailure is not null)
        {
            report.Diagnostics.Add(_saveFailure);
            _saveFailure = null;
        }

        var hitsBefore = _cache?.Hits ?? 0;
        var missesBefore = _cache?.Misses ?? 0;
        _watching = changed is not null;

        // A host that names its files (MSBuild) lets their stamps be taken on the other core while
        // this thread reads the state that the stamps are checked against.
        var prefetch = _stateChecked || changed is not null ? null : Prefetch ?? StampPrefetch.Start(_config.Protobuf?.Files, _config.Thrift?.Files);
        Prefetch = null;
        var load = Begin();
        var previous = _stateChecked ? null : BuildState.Load(_config.StateFile);
        End(report, load, "load state", "phase");

        // Watch mode, when every changed file is a known input that still exists: the globs
        // select what they selected last time, so the folders are not walked again. A new process
        // whose state shows that no folder the globs listed has changed does not walk them either.
        var scan = Begin();
        var sameInputs = changed is not null && _protoRoots is not null && _thriftRoots is not null
            && changed.All(c => _inputStamps.ContainsKey(c) && File.Exists(c));
        if (!sameInputs)
        {
            if (changed is null && previous?.SameSelection(Version, _config.Fingerprint) is (var lastProto, var lastThrift))
            {
                _protoRoots = lastProto;
                _thriftRoots = lastThrift;
                _listedFolders = new Dictionary<string, FileStamp>(previous.ListedFolders, StringComparer.Ordinal);
            }
            else
            {
                _listedFolders = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
                _protoRoots = _config.SelectProtobuf(_listedFolders);
                _thriftRoots = _config.SelectThrift(_listedFolders);
            }

            _allRoots = [.. _protoRoots, .. _thriftRoots];
        }

        IReadOnlyList<string> protoRoots = _protoRoots!, thriftRoots = _thriftRoots!, allRoots = _allRoots!;
        report.Inputs = allRoots.Count;
        End(report, scan, "scan inputs", "phase");

        StateDelta? delta = null;
        if (!_stateChecked)
        {
            _stateChecked = true;
            if (previous is not null)
            {
                // A one-shot build in a new process also learns what changed since the last build,
                // so that the Protobuf and Thrift parts read only what those changes reach (watch mode
                // loads everything, as it keeps it for the edits to come).
                var check = Begin();
                var upToDate = previous.Compare(Version, _config.Fingerprint, allRoots, wantDelta: !LongLived && changed is null, out var found,
                    inputsChanged: _config.Protobuf is not null ? ProtobufWarmUp.Start : null, prefetch);
                End(report, check, "check state", "phase");
                if (upToDate)
                {
                    // The outputs are not even read: a later build of this builder (watch mode)
                    // reads them then, as it finds this state not checked yet.
                    report.UpToDate = true;
                    report.Diagnostics.AddRange(previous.Diagnostics);
                    report.Unchanged = previous.OutputCount;
                    _upToDateState = previous;
                    foreach (var (file, stamp) in previous.Inputs)
                    {
                        _inputStamps[file] = stamp;
                    }

                    _stateChecked = false;
                    return;
                }

                _outputs.EnsureCapacity(previous.OutputCount);
                foreach (var output in previous.Outputs)
                {
                    _outputs[output.Path] = output;
                }

                _lastBuild = GeneratedByOwner(previous.Outputs);
                delta = found;
            }
        }

        if (_config.Protobuf is not null && protoRoots.Count == 0)
        {
            report.Diagnostics.Add(BuildDiagnostics.NoInputs.ForFile(_config.File ?? "", "protobuf", string.Join(", ", _config.Protobuf.Inputs)));
        }

        if (_config.Thrift is not null && thriftRoots.Count == 0)
        {
            report.Diagnostics.Add(BuildDiagnostics.NoInputs.ForFile(_config.File ?? "", "thrift", string.Join(", ", _config.Thrift.Inputs)));
        }

        // Stamps are taken before the files are read: an edit made while the build runs then
        // leaves a stamp that differs, and the next build does not take itself for up to date.
        // Sized up front: a ConcurrentDictionary that grows makes every entry again, and a
        // workspace holds thousands (garbage that made MSBuild's process collect during the task).
        var stamps = new ConcurrentDictionary<string, FileStamp>(Environment.ProcessorCount, allRoots.Count + (allRoots.Count / 4), StringComparer.Ordinal);
        if (sameInputs)
        {
            foreach (var (path, stamp) in _inputStamps)
            {
                stamps[path] = stamp;
            }

            foreach (var path in changed!)
            {
                stamps[path] = FileStamp.Of(path) ?? FileStamp.Missing;
            }
        }
        else if (delta is not null)
        {
            foreach (var root in allRoots)
            {
                if (delta.Stamps.TryGetValue(root, out var stamp))
                {
                    stamps[root] = stamp;
                }
            }
        }
        else
        {
            Parallel.ForEach(allRoots, root =>
            {
                if (FileStamp.Of(root) is { } stamp)
                {
                    stamps[root] = stamp;
                }
            });
        }

        var produced = new ConcurrentDictionary<string, OutputRecord>(Environment.ProcessorCount, Math.Max(_outputs.Count, allRoots.Count) + (allRoots.Count / 4), StringComparer.Ordinal);
        var keep = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        if (_config.Protobuf is { } protobuf && protoRoots.Count > 0)
        {
            _protobuf ??= new ProtobufPart(this, protobuf);
            _protobuf.Build(report, protoRoots, changed, produced, keep, stamps, delta);
        }

        if (_config.Thrift is { } thrift && thriftRoots.Count > 0)
        {
            _thrift ??= new ThriftPart(this, thrift);
            _thrift.Build(report, thriftRoots, changed, produced, keep, stamps, delta);
        }

        // Outputs made before and not now are deleted, unless their input failed this time
        // (its old outputs are kept, as a compiler with errors keeps the last good build).
        var cleanup = Begin();
        foreach (var (path, record) in _outputs)
        {
            if (produced.ContainsKey(path))
            {
                continue;
            }

            if (keep.ContainsKey(record.Owner))
            {
                produced[path] = record;
                continue;
            }

            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    report.Deleted.Add(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(path, path, e.Message));
                produced[path] = record;
            }
        }

        var saveLater = !_watching && (BuildState.Remember || SaveStateInBackground);
        if (!_watching && !saveLater)
        {
            RemoveOrphanedTemporaries();
        }

        (_unsettledOutputs, _unsettledStamps) = (produced, stamps);
        if (!saveLater)
        {
            Settle();
        }

        _lastBuild = null;

        // The state's folder before the output folders' stamps: made inside one of them (obj/), it
        // would change that folder's stamp after it was taken. (SaveState reports a failure.)
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_config.StateFile))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        var outputs = SortedByPath(produced.Values);
        var state = new BuildState
        {
            Version = Version,
            Fingerprint = _config.Fingerprint,
            Roots = allRoots,
            ProtoRootCount = protoRoots.Count,
            ListedFolders = _listedFolders,
            Inputs = new Dictionary<string, FileStamp>(stamps, StringComparer.Ordinal),
            Outputs = _savedOutputs = outputs,
            Diagnostics = [.. report.Diagnostics],
            ProtoGraph = _protobuf?.Graph ?? [],
            ThriftGraph = _thrift?.Graph ?? [],
            OutputFolders = BuildState.StampFolders(outputs),
        };
        if (_watching)
        {
            // Watch mode: the outputs are on disk; the state (megabytes for a large workspace) is
            // saved while the user reads the summary, and the next build waits for it.
            _pendingSave = Task.Run(() => SaveState(state, report: null));
        }
        else if (saveLater)
        {
            // The build server: the state is saved after the reply; MSBuild's process: while its
            // build goes on. A load of it waits for that, and so does the process's exit. The
            // housekeeping goes with it.
            state.SaveInBackground(_config.StateFile, first: RemoveOrphanedTemporaries);
        }
        else
        {
            SaveState(state, report);
        }

        End(report, cleanup, "clean up and save state", "phase");
        report.CacheHits = (_cache?.Hits ?? 0) - hitsBefore;
        report.CacheMisses = (_cache?.Misses ?? 0) - missesBefore;
        report.QueryStatistics = [.. _protobuf?.Statistics ?? [], .. _thrift?.Statistics ?? []];
    }

    private static readonly Comparer<OutputRecord> s_byPath = Comparer<OutputRecord>.Create(static (a, b) => string.CompareOrdinal(a.Path, b.Path));

    /// <summary>The outputs in path order, as the state lists them (one array sort, where LINQ's ordering copied the keys and built a map).</summary>
    private static OutputRecord[] SortedByPath(ICollection<OutputRecord> outputs)
    {
        var sorted = new OutputRecord[outputs.Count];
        outputs.CopyTo(sorted, 0);
        Array.Sort(sorted, s_byPath);
        return sorted;
    }

    /// <summary>Waits until the state of the last build is saved (watch mode saves it in the background).</summary>
    public void Flush() => _pendingSave?.Wait();

    private void SaveState(BuildState state, BuildReport? report)
    {
        try
        {
            state.Save(_config.StateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var d = BuildDiagnostics.CannotWrite.ForFile(_config.StateFile, _config.StateFile, e.Message);
            if (report is null)
            {
                _saveFailure = d;
            }
            else
            {
                report.Diagnostics.Add(d);
            }
        }
    }

    /// <summary>
    /// True when every one of <paramref name="paths"/> is on disk as this builder last wrote it
    /// and no other input produced it in this build; then they are all recorded as produced again.
    /// </summary>
    /// <remarks>
    /// In watch mode (a rebuild after known edits) the builder's own record is trusted without
    /// asking the disk: the output folders are not watched, and a stat per output would make an
    /// edit cost the size of the workspace. A full build checks every stamp.
    /// </remarks>
    private bool TryKeep(List<string> paths, string owner, Hash128 key, ConcurrentDictionary<string, OutputRecord> produced)
    {
        foreach (var path in paths)
        {
            if (!_outputs.TryGetValue(path, out var record) || produced.ContainsKey(path) || (!_watching && FileStamp.Of(path) != record.Stamp))
            {
                return false;
            }
        }

        foreach (var path in paths)
        {
            if (!produced.TryAdd(path, _outputs[path] with { Owner = owner, Key = key }))
            {
                // Another input took the path meanwhile: that is a collision, which writing reports.
                foreach (var added in paths)
                {
                    if (produced.TryGetValue(added, out var mine) && mine.Owner == owner)
                    {
                        produced.TryRemove(added, out _);
                    }
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A build killed while writing leaves its temporary files (<c>NAME.PID.GUID.tmp</c>, never an
    /// output: outputs appear only by rename). The next build that writes removes those of
    /// processes no longer running.
    /// </summary>
    private void RemoveOrphanedTemporaries()
    {
        foreach (var folder in _config.OutputFolders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories))
            {
                var parts = Path.GetFileName(file).Split('.');
                if (parts.Length >= 4 && parts[^2].Length == 32 && int.TryParse(parts[^3], out var pid) && !IsRunning(pid))
                {
                    try
                    {
                        File.Delete(file);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes one generated file (unless the manifest shows it on disk already with these bytes,
    /// unchanged since) and records it. Two inputs writing one path is an error of the second.
    /// </summary>
    private void WriteOutput(
        BuildReport report,
        string owner,
        Hash128 key,
        string path,
        ReadOnlyMemory<byte> bytes,
        ConcurrentDictionary<string, OutputRecord> produced,
        ConcurrentDictionary<string, byte> folders,
        List<Diagnostic> diagnostics)
    {
        var hash = XxHash3.HashToUInt64(bytes.Span);
        var record = new OutputRecord(path, owner, hash, FileStamp.Missing, key);
        if (!produced.TryAdd(path, record))
        {
            diagnostics.Add(BuildDiagnostics.OutputCollision.ForFile(Display(owner), path, Display(produced[path].Owner)));
            return;
        }

        if (_outputs.TryGetValue(path, out var old) && old.ContentHash == hash && FileStamp.Of(path) == old.Stamp)
        {
            produced[path] = old with { Owner = owner, Key = key };
            lock (report)
            {
                report.Unchanged++;
            }

            return;
        }

        try
        {
            var written = OutputWriter.WriteIfChanged(path, [bytes], folders);
            produced[path] = record with { Stamp = FileStamp.Of(path) ?? FileStamp.Missing };
            lock (report)
            {
                if (written)
                {
                    report.Written.Add(path);
                }
                else
                {
                    report.Unchanged++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(path, path, e.Message));
        }
    }

    /// <summary>The cache key an input's outputs were last made for, and their paths.</summary>
    private sealed record Generated(Hash128 Key, List<string> Paths);

    /// <summary>One input of a generation phase: its name in its part, the file that owns its outputs, its size (largest go first).</summary>
    private sealed record GenerationItem(string Name, string Owner, long Size);

    /// <summary>
    /// A part's generation phase, the same for Protobuf and Thrift, in two passes over the inputs,
    /// largest first on all cores (one big file started last would leave the other cores idle at
    /// the end). The first takes, for each input, the outputs of the last build when the key is
    /// the same and they are still on disk, else the cache's, and writes them. Then, when some
    /// input needs its generators, <paramref name="prepare"/> runs once on this thread, and the
    /// second pass runs the generators (storing their outputs in the cache) and writes. What each
    /// input produced is remembered in <paramref name="generated"/>; an input that failed keeps
    /// its old outputs (<paramref name="keep"/>).
    /// </summary>
    /// <param name="unchanged">True when nothing an input's key is made of changed since the last build (its key need not be computed).</param>
    /// <param name="keyOf">The input's cache key.</param>
    /// <param name="prepare">
    /// What the generators share, made before they run (the Protobuf type index). It is made
    /// here, between the passes: made lazily by the first generator, under a lock, its own
    /// parallel loop waited for thread-pool threads that all sat blocked on that lock, and a build
    /// stalled for a second until the pool added a thread.
    /// </param>
    /// <param name="generate">Runs the generators, or returns null after reporting an error.</param>
    private void GenerateAll(
        BuildReport report,
        IReadOnlyList<GenerationItem> items,
        Dictionary<string, Generated> generated,
        Func<int, bool> unchanged,
        Func<int, Hash128> keyOf,
        Action? prepare,
        Func<int, List<Diagnostic>, GeneratedOutputs?> generate,
        ConcurrentDictionary<string, OutputRecord> produced,
        ConcurrentDictionary<string, byte> keep)
    {
        var folders = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var results = new Generated?[items.Count];
        var diagnostics = new List<Diagnostic>[items.Count];
        var keys = new Hash128[items.Count];
        var needed = new bool[items.Count];
        var schedule = LargestFirst(items);

        var done = 0;
        Progress?.Invoke("generating", 0, items.Count);
        ForEachInOrder(schedule, i =>
        {
            var start = Begin();
            var item = items[i];
            var list = diagnostics[i] = [];
            // What the last build made of this input: this process's record, or in a new process the
            // build state's (both read-only while the loop runs).
            var previous = generated.GetValueOrDefault(item.Name) ?? _lastBuild?.GetValueOrDefault(item.Owner);
            results[i] = Reuse(report, item, previous, unchanged(i), () => keyOf(i), produced, folders, list, out keys[i], out needed[i]);
            if (!needed[i])
            {
                End(report, start, item.Name, "generate");
                Progress?.Invoke("generating", Interlocked.Increment(ref done), items.Count);
            }
        });

        var pending = new List<int>();
        foreach (var i in schedule)
        {
            if (needed[i])
            {
                pending.Add(i);
            }
        }

        if (pending.Count > 0)
        {
            prepare?.Invoke();
            ForEachInOrder(pending.ToArray(), i =>
            {
                var start = Begin();
                var item = items[i];
                results[i] = generate(i, diagnostics[i]) is { } outputs ? StoreAndWrite(report, item, keys[i], outputs, produced, folders, diagnostics[i]) : null;
                End(report, start, item.Name, "generate");
                Progress?.Invoke("generating", Interlocked.Increment(ref done), items.Count);
            });
        }

        for (var i = 0; i < items.Count; i++)
        {
            report.Diagnostics.AddRange(diagnostics[i]);
            if (results[i] is { } result)
            {
                generated[items[i].Name] = result;
            }
            else
            {
                generated.Remove(items[i].Name);
                keep.TryAdd(items[i].Owner, 0);
            }
        }
    }

    /// <summary>
    /// The indexes of <paramref name="items"/>, largest input first. They are sorted as one array of
    /// longs (size, then index) rather than with <c>Array.Sort(keys, items)</c>, framework code over
    /// two element types that a new process (an MSBuild build's) JIT-compiled.
    /// </summary>
    private static int[] LargestFirst(IReadOnlyList<GenerationItem> items)
    {
        const int IndexBits = 24;
        var schedule = new int[items.Count];
        if (items.Count >= 1 << IndexBits)
        {
            var sizes = new long[items.Count];
            for (var i = 0; i < schedule.Length; i++)
            {
                schedule[i] = i;
                sizes[i] = -items[i].Size;
            }

            Array.Sort(sizes, schedule);
            return schedule;
        }

        var order = new long[items.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = (Math.Clamp(items[i].Size, 0, (1L << (63 - IndexBits)) - 1) << IndexBits) | (uint)i;
        }

        SortSmall(order);
        for (var k = 0; k < order.Length; k++)
        {
            schedule[k] = (int)(order[order.Length - 1 - k] & ((1 << IndexBits) - 1));
        }

        return schedule;
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> ascending: a few (an edit's) by insertion here, as the
    /// framework's sort of longs too is compiled by the JIT in a new process; many with <c>Array.Sort</c>.
    /// </summary>
    private static void SortSmall(long[] keys)
    {
        if (keys.Length > 64)
        {
            Array.Sort(keys);
            return;
        }

        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for the indexes in <paramref name="order"/> on all cores, each
    /// thread taking the next one as it frees up (the largest inputs, put first, start first);
    /// one index runs on this thread. Not <c>Parallel.ForEach</c> over a partitioner: that is
    /// framework code over <c>int</c> that a new process (an MSBuild build's) JIT-compiles, about
    /// 20 methods for an edit that generates one file.
    /// </summary>
    private static void ForEachInOrder(int[] order, Action<int> body)
    {
        if (order.Length == 1)
        {
            body(order[0]);
            return;
        }

        var next = -1;
        Parallel.For(0, Math.Min(Environment.ProcessorCount, order.Length), _ =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < order.Length)
            {
                body(order[k]);
            }
        });
    }

    /// <summary>
    /// An input's outputs without running its generators: the last build's when they are still on
    /// disk, else the cache's (written here). Null with <paramref name="needsGenerators"/> when
    /// neither has them; <paramref name="key"/> is then their cache key.
    /// </summary>
    private Generated? Reuse(
        BuildReport report,
        GenerationItem item,
        Generated? previous,
        bool unchanged,
        Func<Hash128> keyOf,
        ConcurrentDictionary<string, OutputRecord> produced,
        ConcurrentDictionary<string, byte> folders,
        List<Diagnostic> diagnostics,
        out Hash128 key,
        out bool needsGenerators)
    {
        needsGenerators = false;
        if (previous is not null && unchanged && TryKeep(previous.Paths, item.Owner, previous.Key, produced))
        {
            key = previous.Key;
            return Reused(report, previous);
        }

        key = keyOf();
        if (previous is not null && previous.Key == key && TryKeep(previous.Paths, item.Owner, key, produced))
        {
            return Reused(report, previous);
        }

        if (_cache is { } cache && GeneratedOutputs.FromCache(cache, key) is { } cached)
        {
            return Write(report, item, key, cached, produced, folders, diagnostics);
        }

        needsGenerators = true;
        return null;
    }

    /// <summary>What an input's generators made: recorded as generated, stored in the cache and written.</summary>
    private Generated StoreAndWrite(
        BuildReport report,
        GenerationItem item,
        Hash128 key,
        GeneratedOutputs outputs,
        ConcurrentDictionary<string, OutputRecord> produced,
        ConcurrentDictionary<string, byte> folders,
        List<Diagnostic> diagnostics)
    {
        lock (report)
        {
            report.GeneratedInputs.Add(item.Owner);
        }

        if (_cache is { } store)
        {
            outputs.Store(store, key);
        }

        return Write(report, item, key, outputs, produced, folders, diagnostics);
    }

    /// <summary>Writes an input's outputs (each only when its bytes changed) and disposes them.</summary>
    private Generated Write(
        BuildReport report,
        GenerationItem item,
        Hash128 key,
        GeneratedOutputs outputs,
        ConcurrentDictionary<string, OutputRecord> produced,
        ConcurrentDictionary<string, byte> folders,
        List<Diagnostic> diagnostics)
    {
        using (outputs)
        {
            var paths = new List<string>(outputs.Count);
            for (var i = 0; i < outputs.Count; i++)
            {
                var (path, bytes) = outputs[i];
                WriteOutput(report, item.Owner, key, path, bytes, produced, folders, diagnostics);
                paths.Add(path);
            }

            return new Generated(key, paths);
        }
    }

    /// <summary>
    /// Where an input goes in the generation order: the files just edited first (in watch mode,
    /// their outputs are what the user waits for), then the largest.
    /// </summary>
    private static long Priority(string owner, string? text, IReadOnlyCollection<string>? changed) =>
        changed is not null && changed.Contains(owner) ? long.MaxValue : text?.Length ?? 0;

    /// <summary>The outputs of the last build grouped by input, for inputs whose outputs all came from one key.</summary>
    private static Dictionary<string, Generated> GeneratedByOwner(IReadOnlyList<OutputRecord> outputs)
    {
        var byOwner = new Dictionary<string, Generated>(outputs.Count, StringComparer.Ordinal);
        var mixed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            if (!byOwner.TryGetValue(output.Owner, out var entry))
            {
                byOwner[output.Owner] = new Generated(output.Key, [output.Path]);
            }
            else if (entry.Key == output.Key)
            {
                entry.Paths.Add(output.Path);
            }
            else
            {
                mixed.Add(output.Owner);
            }
        }

        foreach (var owner in mixed)
        {
            byOwner.Remove(owner);
        }

        return byOwner;
    }

    /// <summary>
    /// A partial build's inputs it did not read (<paramref name="owners"/>) keep the outputs the last
    /// build recorded for them (the build state vouched for their stamps). They are produced before
    /// generation starts, so a file that was read and now writes one of their paths is a collision,
    /// never an overwrite.
    /// </summary>
    private static void KeepOutputsOf(BuildReport report, BuildState previous, HashSet<string> owners, ConcurrentDictionary<string, OutputRecord> produced)
    {
        foreach (var record in previous.Outputs)
        {
            if (owners.Contains(record.Owner))
            {
                produced[record.Path] = record;
                report.Unchanged++;
            }
        }

        report.Reused += owners.Count;
    }

    /// <summary>An input whose outputs are current: counted, and produced again as they are.</summary>
    private static Generated Reused(BuildReport report, Generated previous)
    {
        lock (report)
        {
            report.Reused++;
            report.Unchanged += previous.Paths.Count;
        }

        return previous;
    }

    /// <summary>A 128-bit key from parts (settings, paths, hashes of texts and of imports' keys).</summary>
    private sealed class KeyBuilder
    {
        private readonly XxHash128 _hash = new();

        public KeyBuilder Add(string text)
        {
            _hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
            _hash.Append([0, 0]);
            return this;
        }

        public KeyBuilder Add(Hash128 value)
        {
            Span<byte> bytes = stackalloc byte[16];
            value.WriteLittleEndian(bytes);
            _hash.Append(bytes);
            return this;
        }

        public Hash128 Key => Hash128.CurrentOf(_hash);
    }

    private static Hash128 HashText(string? text) => text is null ? Hash128.Zero : Hash128.Of(MemoryMarshal.AsBytes(text.AsSpan()));

    private static long Begin() => Stopwatch.GetTimestamp();

    private static void End(BuildReport report, long start, string name, string category)
    {
        var span = new BuildSpan(name, category, start, Stopwatch.GetTimestamp(), Environment.CurrentManagedThreadId);
        lock (report.Spans)
        {
            report.Spans.Add(span);
        }
    }

    /// <summary>A path as diagnostics show it: relative to the working folder when inside it.</summary>
    public static string Display(string fullPath) => ThriftWorkspace.DisplayPath(fullPath);

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
}
