using System.Globalization;
using System.Text;
using Kiln.Build.Workspace;
using Kiln.Text;

namespace Kiln.MSBuild;

/// <summary>Which task a <see cref="CompileRequest"/> comes from.</summary>
internal enum CompileKind : byte
{
    Protobuf = 1,
    Thrift = 2,
}

/// <summary>
/// One item as the task read it: its path and the metadata its kind uses, in the order of
/// <see cref="Compilation.ProtobufMetadata"/> or <see cref="Compilation.ThriftMetadata"/>.
/// </summary>
internal sealed record RequestItem(string ItemSpec, string[] Metadata);

/// <summary>
/// Everything a task run needs, with no MSBuild type in it: the same request is compiled in the
/// MSBuild process or sent to the build server (<see cref="BuildServer"/>).
/// </summary>
internal sealed record CompileRequest(
    CompileKind Kind,
    string ProjectDirectory,
    string StateDirectory,
    string CacheDirectory,
    string DefaultProtoRoot,
    string StandardImportsPath,
    bool PredictOnly,
    IReadOnlyList<RequestItem> Items);

/// <summary>A generated file and the item (its spec, "" when unknown) that made it. A class: lists of it then run on the runtime's precompiled shared code in a new MSBuild process.</summary>
internal sealed record GeneratedFile(string Path, string Source);

/// <summary>What a task run produced besides its log: the files to compile, and the other generated files.</summary>
internal sealed record CompileReply(IReadOnlyList<GeneratedFile> Compiled, IReadOnlyList<GeneratedFile> Other);

/// <summary>
/// Where a task run reports: MSBuild's log in the MSBuild process, a recording in the build server.
/// A file is passed as the compiler names it (possibly relative to the working folder of the
/// process that compiled); the MSBuild side resolves it.
/// </summary>
internal interface ITaskLog
{
    void Error(string code, string? file, int line, int column, string message);

    void Warning(string code, string? file, int line, int column, string message);

    /// <summary>An informational diagnostic (normal importance), with its place.</summary>
    void Info(string code, string? file, int line, int column, string message);

    /// <summary>A message: <paramref name="detailed"/> ones show at detailed verbosity only.</summary>
    void Message(bool detailed, string text);
}

/// <summary>
/// A task run without MSBuild: plans the items into groups, builds each group with its own state
/// file, reports diagnostics and the summary, and returns the generated files. The Protobuf and
/// Thrift tasks run it in the MSBuild process, or the build server runs it for them.
/// </summary>
internal static class Compilation
{
    /// <summary>The <c>Protobuf</c> item metadata a request carries, in order.</summary>
    public static readonly string[] ProtobufMetadata =
        ["ProtoCompile", "ProtoRoot", "OutputDir", "GrpcOutputDir", "GrpcServices", "Access", "AdditionalImportDirs", "AdditionalProtocArguments", "OutputOptions", "GrpcOutputOptions", "CompileOutputs"];

    /// <summary>The <c>Thrift</c> item metadata a request carries, in order.</summary>
    public static readonly string[] ThriftMetadata = ["Options", "OutputDir", "IncludeDirs", "CompileOutputs"];

    /// <summary>The metadata names of a kind of request.</summary>
    public static string[] MetadataOf(CompileKind kind) => kind == CompileKind.Protobuf ? ProtobufMetadata : ThriftMetadata;

    /// <summary>Runs a request; an unexpected failure is one error line (KLN0100), its trace a detailed message, never an exception.</summary>
    /// <param name="prefetch">Stamps of the request's items, being taken since the task started (see <see cref="StampPrefetch"/>).</param>
    public static CompileReply Run(CompileRequest request, ITaskLog log, StampPrefetch? prefetch = null)
    {
        try
        {
            return request.Kind == CompileKind.Protobuf ? Protobuf(request, log, prefetch) : Thrift(request, log, prefetch);
        }
        catch (Exception e)
        {
            log.Error("KLN0100", null, 0, 0, string.Create(CultureInfo.InvariantCulture, $"Kiln failed: {e.GetType().Name}: {e.Message}"));
            log.Message(detailed: true, e.ToString());
            return new CompileReply([], []);
        }
    }

    private static CompileReply Protobuf(CompileRequest request, ITaskLog log, StampPrefetch? prefetch)
    {
        var messages = new List<PlanMessage>();
        var items = new List<ProtoItem>(request.Items.Count);
        var projectDirectory = ProtobufPlan.Full(request.ProjectDirectory, ".");
        foreach (var i in request.Items)
        {
            var m = i.Metadata;
            if (!m[0].Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var full = ProtobufPlan.Full(request.ProjectDirectory, i.ItemSpec);
            items.Add(new ProtoItem(
                i.ItemSpec,
                ProtobufPlan.ProtoRootOfFullPath(full, m[1], projectDirectory, request.DefaultProtoRoot),
                m[2],
                m[3],
                m[4],
                m[5],
                m[6],
                m[7],
                m[8],
                m[9],
                !m[10].Equals("false", StringComparison.OrdinalIgnoreCase))
            { FullPath = full });
        }

        var groups = ProtobufPlan.Plan(items, request.ProjectDirectory, request.StandardImportsPath, messages);
        Report(log, messages);

        var tally = new GroupTally(request);
        if (request.PredictOnly)
        {
            foreach (var group in groups)
            {
                for (var i = 0; i < group.Files.Count; i++)
                {
                    foreach (var output in ProtobufPlan.ExpectedOutputs(group, group.Files[i]))
                    {
                        (group.CompileOutputs ? tally.Compiled : tally.Other).Add(new GeneratedFile(output, group.Items[i].ItemSpec));
                    }
                }
            }

            return tally.Reply();
        }

        var cache = Full(request, request.CacheDirectory);
        foreach (var group in groups)
        {
            var stateFile = tally.StateFile(group.Key);
            if (GroupBuild.FileInside(group.Files, group.CSharpOut, group.GrpcOut, cache) is { } inside)
            {
                log.Error("KLN0107", inside, 0, 0, $"'{inside}' lies inside its own output folder ({group.CSharpOut}); Kiln.MSBuild cannot generate into a folder that holds its .proto files. Set OutputDir (and GrpcOutputDir) to another folder.");
                continue;
            }

            var root = GroupBuild.CommonDirectory(group.Files);
            var protobuf = new ProtobufConfig(
                [],
                [],
                group.ImportPaths,
                new GeneratorConfig(group.CSharpOut, group.CSharpOptions),
                group.GrpcOut is null ? null : new GeneratorConfig(group.GrpcOut, group.GrpcOptions ?? ""),
                Files: group.Files);
            var result = GroupBuild.Run(new KilnConfig(root, null, protobuf, null, cache, stateFile), prefetch);
            LogGroup(log, "protobuf", stateFile, group.Files.Count, group.CSharpOut, result);
            Report(log, result.Diagnostics, group.FatalWarnings);
            tally.Built(result);
            tally.Add(result.Outputs, group.ItemSpecOf, group.CompileOutputs);
        }

        tally.Finish(log, "protobuf", groups.Count, items.Count);
        return tally.Reply();
    }

    private static CompileReply Thrift(CompileRequest request, ITaskLog log, StampPrefetch? prefetch)
    {
        var items = new List<ThriftItem>(request.Items.Count);
        foreach (var i in request.Items)
        {
            var m = i.Metadata;
            items.Add(new ThriftItem(i.ItemSpec, m[0], m[1], m[2], !m[3].Equals("false", StringComparison.OrdinalIgnoreCase)));
        }

        var groups = ThriftPlan.Plan(items, request.ProjectDirectory);
        var tally = new GroupTally(request);
        var cache = Full(request, request.CacheDirectory);
        foreach (var group in groups)
        {
            var stateFile = tally.StateFile(group.Key);
            IReadOnlyList<OutputRecord> outputs;
            if (request.PredictOnly)
            {
                // A design-time build that may not compile sees what the last build made.
                outputs = GroupBuild.LastOutputs(stateFile);
            }
            else if (GroupBuild.FileInside(group.Files, group.OutputDir, cache) is { } inside)
            {
                log.Error("KLN0107", inside, 0, 0, $"'{inside}' lies inside its own output folder ({group.OutputDir}); Kiln.MSBuild cannot generate into a folder that holds its .thrift files. Set OutputDir to another folder.");
                continue;
            }
            else
            {
                var root = GroupBuild.CommonDirectory(group.Files);
                var thrift = new ThriftConfig([], [], group.IncludeDirs, new GeneratorConfig(group.OutputDir, group.Options), Files: group.Files);
                var result = GroupBuild.Run(new KilnConfig(root, null, null, thrift, cache, stateFile), prefetch);
                LogGroup(log, "thrift", stateFile, group.Files.Count, group.OutputDir, result);
                Report(log, result.Diagnostics, warningsAsErrors: false);
                tally.Built(result);
                outputs = result.Outputs;
            }

            tally.Add(outputs, group.ItemSpecOf, group.CompileOutputs);
        }

        if (!request.PredictOnly)
        {
            tally.Finish(log, "thrift", groups.Count, items.Count);
        }

        return tally.Reply();
    }

    private static string Full(CompileRequest request, string path) => ProtobufPlan.Full(request.ProjectDirectory, path);

    private static void Report(ITaskLog log, IEnumerable<Diagnostic> diagnostics, bool warningsAsErrors)
    {
        foreach (var d in diagnostics)
        {
            var file = d.Path.Length == 0 ? null : d.Path;
            if (d.IsError || (warningsAsErrors && d.Severity == DiagnosticSeverity.Warning))
            {
                log.Error(d.Code, file, d.Line, d.Column, d.Message);
            }
            else if (d.Severity == DiagnosticSeverity.Warning)
            {
                log.Warning(d.Code, file, d.Line, d.Column, d.Message);
            }
            else
            {
                log.Info(d.Code, file, d.Line, d.Column, d.Message);
            }
        }
    }

    private static void Report(ITaskLog log, IEnumerable<PlanMessage> messages)
    {
        foreach (var m in messages)
        {
            if (m.IsError)
            {
                log.Error(m.Code, m.File, 0, 0, m.Message);
            }
            else
            {
                log.Warning(m.Code, m.File, 0, 0, m.Message);
            }
        }
    }

    /// <summary>One group's build at detailed verbosity: what it did and where its time went, phase by phase.</summary>
    private static void LogGroup(ITaskLog log, string what, string stateFile, int files, string output, GroupResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Kiln {what} group {Path.GetFileName(stateFile)}: {files} files -> {output}, {(result.Report.UpToDate ? "up to date" : "built")} in {result.Report.Elapsed.TotalMilliseconds:F0} ms (process {Environment.ProcessId})");
        var separator = ": ";
        foreach (var span in result.Report.Spans)
        {
            if (span.Category == "phase")
            {
                text.Append(separator).Append(CultureInfo.InvariantCulture, $"{span.Name} {span.Duration.TotalMilliseconds:F1} ms");
                separator = ", ";
            }
        }

        log.Message(detailed: true, text.ToString());
    }

    /// <summary>
    /// What the groups of one task run add up to: the state files in use, the generated files
    /// (compiled or not, with the IDL item that made each), and the counts for the summary.
    /// </summary>
    private sealed class GroupTally(CompileRequest request)
    {
        private readonly HashSet<string> _states = new(StringComparer.Ordinal);
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
        private readonly string _stateDirectory = Full(request, request.StateDirectory);
        private int _written, _unchanged, _deleted, _built;

        public List<GeneratedFile> Compiled { get; } = [];

        public List<GeneratedFile> Other { get; } = [];

        /// <summary>The state file of a group (its settings' key), counted as in use.</summary>
        public string StateFile(string key)
        {
            var stateFile = GroupBuild.StateFile(_stateDirectory, key);
            _states.Add(Path.GetFullPath(stateFile));
            return stateFile;
        }

        /// <summary>A group's build: its counts.</summary>
        public void Built(GroupResult result)
        {
            _built += result.Report.UpToDate ? 0 : 1;
            _written += result.Report.Written.Count;
            _unchanged += result.Report.Unchanged;
            _deleted += result.Report.Deleted.Count;
        }

        /// <summary>A group's generated files, each with the item that made it (<paramref name="itemSpecOf"/> its owner's full path).</summary>
        public void Add(IReadOnlyList<OutputRecord> outputs, Func<string, string> itemSpecOf, bool compileOutputs)
        {
            var into = compileOutputs ? Compiled : Other;
            into.EnsureCapacity(into.Count + outputs.Count);
            if (compileOutputs && Compiled.Count > 0 && _compiledSet is null)
            {
                // A second group that compiles files: what is compiled already is looked up.
                _compiledSet = new HashSet<string>(Compiled.Count + outputs.Count, StringComparer.Ordinal);
                foreach (var file in Compiled)
                {
                    _compiledSet.Add(file.Path);
                }
            }

            foreach (var output in outputs)
            {
                // A group's outputs are distinct; a file another group compiles already (the same
                // item twice, with other settings) is compiled once (the targets add the list to
                // Compile as it is).
                if (compileOutputs && _compiledSet is not null && !_compiledSet.Add(output.Path))
                {
                    continue;
                }

                into.Add(new GeneratedFile(output.Path, itemSpecOf(output.Owner)));
            }
        }

        /// <summary>The compiled files' paths, made when a second group compiles files (null until then: one group's files are distinct).</summary>
        private HashSet<string>? _compiledSet;

        /// <summary>After a real build: removes what groups no longer in use generated and logs the summary.</summary>
        public void Finish(ITaskLog log, string what, int groups, int inputs)
        {
            _deleted += GroupBuild.RemoveStaleGroups(_stateDirectory, _states, Produced).Count;
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
            log.Message(detailed: false, _built == 0 && _deleted == 0
                ? string.Create(CultureInfo.InvariantCulture, $"Kiln {what}: {inputs} files in {groups} groups, up to date ({_unchanged} outputs) in {elapsed:F0} ms")
                : string.Create(CultureInfo.InvariantCulture, $"Kiln {what}: {inputs} files in {groups} groups, {_written} written, {_unchanged} unchanged, {_deleted} deleted in {elapsed:F0} ms"));
        }

        public CompileReply Reply() => new(Compiled, Other);

        /// <summary>Every file the groups generated (made only when a stale group's outputs are to be removed).</summary>
        private HashSet<string> Produced()
        {
            var produced = new HashSet<string>(Compiled.Count + Other.Count, StringComparer.Ordinal);
            foreach (var file in Compiled)
            {
                produced.Add(file.Path);
            }

            foreach (var file in Other)
            {
                produced.Add(file.Path);
            }

            return produced;
        }
    }
}
