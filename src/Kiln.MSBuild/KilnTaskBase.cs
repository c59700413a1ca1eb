using System.Globalization;
using Kiln.Build.Workspace;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Kiln.MSBuild;

/// <summary>
/// What the Protobuf and Thrift tasks share: their items become a <see cref="CompileRequest"/>,
/// which this process compiles (or, opted in, the build server; this process again when the
/// server cannot be reached);
/// diagnostics reach MSBuild with file, line, column and Kiln's code, and no exception ever
/// reaches MSBuild (a failure is one error line, never a stack trace).
/// </summary>
public abstract class KilnTaskBase : Microsoft.Build.Utilities.Task
{
    /// <summary>The project's folder: relative item paths and metadata are relative to it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>Where each group's build state lives (under <c>$(IntermediateOutputPath)</c>).</summary>
    [Required]
    public string StateDirectory { get; set; } = "";

    /// <summary>The artifact cache shared by every group.</summary>
    [Required]
    public string CacheDirectory { get; set; } = "";

    /// <summary>True in a design-time build that must not run the compiler: only the expected outputs are returned.</summary>
    public bool PredictOnly { get; set; }

    /// <summary>
    /// <c>$(Kiln_UseServer)</c>, opt-in: compile in Kiln's build server (<see cref="BuildServer"/>),
    /// a process of this assembly that outlives the build, instead of in MSBuild's process.
    /// </summary>
    public bool UseServer { get; set; }

    /// <summary><c>$(Kiln_ServerIdleTimeout)</c>: seconds a build server started by this task waits for work before it exits (0: the default, 600).</summary>
    public int ServerIdleTimeout { get; set; }

    /// <summary>The generated files to add to <c>Compile</c> (with <c>Source</c>: the IDL file that made each).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; set; } = [];

    /// <summary>
    /// The generated files not in <see cref="GeneratedFiles"/> (items with <c>CompileOutputs=false</c>):
    /// with those, for <c>FileWrites</c>, so that <c>dotnet clean</c> removes them. Not every file
    /// again: MSBuild makes an item of each output of a task, 2,200 more for the bench's project.
    /// </summary>
    [Output]
    public ITaskItem[] OtherGeneratedFiles { get; set; } = [];

    public override bool Execute()
    {
        var log = new MSBuildLog(Log);
        ServerConnection? connection = null;
        try
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            var costs = ProcessCosts.Now();
            var server = UseServer && !PredictOnly ? BuildServer.PipeName() : null;
            connection = server is null ? null : BuildServerClient.Open(server);
            // Compiled in this process: the items' stamps are taken on the other core from now on,
            // while this thread reads their metadata and plans the groups (the state check finds them).
            var prefetch = connection is null && !PredictOnly ? StartPrefetch() : null;
            var request = Request();
            var read = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            var reply = (connection is null ? null : Serve(request, connection, log)) ?? Compilation.Run(request, log, prefetch);
            var served = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            GeneratedFiles = Items(reply.Compiled);
            OtherGeneratedFiles = Items(reply.Other);
            log.Message(detailed: true, string.Create(CultureInfo.InvariantCulture, $"Kiln task: items read in {read.TotalMilliseconds:F1} ms, compiled by {(_servedBy is { } p ? $"the build server (process {p})" : "this process")} in {(served - read).TotalMilliseconds:F1} ms, outputs listed in {(System.Diagnostics.Stopwatch.GetElapsedTime(start) - served).TotalMilliseconds:F1} ms; in this process meanwhile (any thread) {ProcessCosts.Since(costs)}"));
        }
        catch (Exception e)
        {
            connection?.Abandon(); // a connection the failure left unused
            log.Error("KLN0100", null, 0, 0, $"Kiln failed: {e.GetType().Name}: {e.Message}");
            log.Message(detailed: true, e.ToString());
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The build server's process id when it compiled this run.</summary>
    private int? _servedBy;

    /// <summary>The request this task's items and parameters make.</summary>
    private protected abstract CompileRequest Request();

    /// <summary>The task's IDL items.</summary>
    private protected abstract ITaskItem[] InputItems { get; }

    /// <summary>Starts taking the stamps of the items' files (their full paths as the plan makes them); null without a project folder to resolve them against.</summary>
    private StampPrefetch? StartPrefetch()
    {
        if (!Path.IsPathFullyQualified(ProjectDirectory))
        {
            return null;
        }

        var items = InputItems;
        var specs = new string[items.Length];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = items[i].ItemSpec; // read here: MSBuild's items are this thread's
        }

        var project = ProjectDirectory;
        return StampPrefetch.Start(specs, spec => ProtobufPlan.Full(project, spec));
    }

    private protected CompileRequest Request(CompileKind kind, ITaskItem[] items, string defaultProtoRoot, string standardImportsPath)
    {
        var names = Compilation.MetadataOf(kind);
        var list = new RequestItem[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            list[i] = new RequestItem(items[i].ItemSpec, Metadata(items[i], names));
        }

        return new CompileRequest(kind, ProjectDirectory, StateDirectory, CacheDirectory, defaultProtoRoot, standardImportsPath, PredictOnly, list);
    }

    /// <summary>
    /// The values of <paramref name="names"/> ("" when absent), looked up one by one. Copying the
    /// item's metadata out at once (<c>CloneCustomMetadata</c>) made a dictionary per item: 2.4 MB
    /// for 2,000 items, and three times the time of the lookups (5.6 against 1.5 ms).
    /// </summary>
    private static string[] Metadata(ITaskItem item, string[] names)
    {
        var values = new string[names.Length];
        for (var n = 0; n < names.Length; n++)
        {
            values[n] = item.GetMetadata(names[n]) ?? "";
        }

        return values;
    }

    /// <summary>The request compiled by the build server, its log replayed here; null when it must run in this process.</summary>
    private CompileReply? Serve(CompileRequest request, ServerConnection connection, MSBuildLog log)
    {
        var idle = TimeSpan.FromSeconds(ServerIdleTimeout > 0 ? ServerIdleTimeout : BuildServer.DefaultIdleSeconds);
        var served = BuildServerClient.TryCompile(request, connection, idle, out var why);
        if (served is null)
        {
            log.Message(detailed: true, $"Kiln build server not used ({why}); compiling in this process.");
            return null;
        }

        foreach (var e in served.Events)
        {
            e.Replay(log);
        }

        _servedBy = served.ServerProcess;
        return served.Reply;
    }

    private static ITaskItem[] Items(IReadOnlyList<GeneratedFile> files)
    {
        var items = new ITaskItem[files.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var file = files[i];
            var item = new TaskItem(file.Path);
            if (file.Source.Length > 0)
            {
                item.SetMetadata("Source", file.Source);
            }

            items[i] = item;
        }

        return items;
    }

    /// <summary>What the whole process has spent so far on the JIT and the GC, to say at <c>-v:d</c> what a task run cost it.</summary>
    private readonly record struct ProcessCosts(long Methods, TimeSpan Jit, long Bytes, int Collections, TimeSpan Pause)
    {
        public static ProcessCosts Now() => new(
            System.Runtime.JitInfo.GetCompiledMethodCount(),
            System.Runtime.JitInfo.GetCompilationTime(),
            GC.GetTotalAllocatedBytes(),
            GC.CollectionCount(0),
            GC.GetTotalPauseDuration());

        public static string Since(ProcessCosts start)
        {
            var now = Now();
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{now.Methods - start.Methods} methods JIT-compiled in {(now.Jit - start.Jit).TotalMilliseconds:F1} ms, {(now.Bytes - start.Bytes) / 1e6:F1} MB allocated, {now.Collections - start.Collections} GCs paused {(now.Pause - start.Pause).TotalMilliseconds:F1} ms");
        }
    }

    /// <summary>MSBuild's log as a <see cref="ITaskLog"/>: a file is made full when it names one on disk.</summary>
    private sealed class MSBuildLog(TaskLoggingHelper log) : ITaskLog
    {
        public void Error(string code, string? file, int line, int column, string message) =>
            log.LogError(null, code, null, DiagnosticFile(file), line, column, 0, 0, "{0}", message);

        public void Warning(string code, string? file, int line, int column, string message) =>
            log.LogWarning(null, code, null, DiagnosticFile(file), line, column, 0, 0, "{0}", message);

        public void Info(string code, string? file, int line, int column, string message) =>
            log.LogMessage(null, code, null, DiagnosticFile(file), line, column, 0, 0, MessageImportance.Normal, "{0}", message);

        public void Message(bool detailed, string text) =>
            log.LogMessage(detailed ? MessageImportance.Low : MessageImportance.Normal, "{0}", text);

        /// <summary>A diagnostic's file as a full path when it names one on disk (relative paths are relative to the working folder); otherwise as given (protoc's "x.proto: File not found").</summary>
        private static string? DiagnosticFile(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            var full = Path.GetFullPath(path);
            return File.Exists(full) ? full : path;
        }
    }
}
