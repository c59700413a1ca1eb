using System.Globalization;
using Kiln.Build.Workspace;
using Kiln.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Kiln.MSBuild;

/// <summary>
/// What the Protobuf and Thrift tasks share: diagnostics reported to MSBuild with file, line,
/// column and Kiln's code, and no exception ever reaching MSBuild (a failure is one error line,
/// never a stack trace).
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

    /// <summary>Opt-in (<c>Kiln_KeepInMemory=true</c>): keep each group's compiler state in this process for the next build (see <see cref="GroupBuild.Run"/>).</summary>
    public bool KeepInMemory { get; set; }

    /// <summary>True in a design-time build that must not run the compiler: only the expected outputs are returned.</summary>
    public bool PredictOnly { get; set; }

    /// <summary>The generated files to add to <c>Compile</c> (with <c>Source</c>: the IDL file that made each).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; set; } = [];

    /// <summary>Every file generated, compiled or not: for <c>FileWrites</c>, so that <c>dotnet clean</c> removes them.</summary>
    [Output]
    public ITaskItem[] AllGeneratedFiles { get; set; } = [];

    public override bool Execute()
    {
        try
        {
            Run();
        }
        catch (Exception e)
        {
            Log.LogError(null, "KLN0100", null, null, 0, 0, 0, 0, "Kiln failed: {0}: {1}", e.GetType().Name, e.Message);
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }

        return !Log.HasLoggedErrors;
    }

    protected abstract void Run();

    protected string Full(string path) => ProtobufPlan.Full(ProjectDirectory, path);

    protected void Report(IEnumerable<Diagnostic> diagnostics, bool warningsAsErrors)
    {
        foreach (var d in diagnostics)
        {
            var file = DiagnosticFile(d.Path);
            if (d.IsError || (warningsAsErrors && d.Severity == DiagnosticSeverity.Warning))
            {
                Log.LogError(null, d.Code, null, file, d.Line, d.Column, 0, 0, "{0}", d.Message);
            }
            else if (d.Severity == DiagnosticSeverity.Warning)
            {
                Log.LogWarning(null, d.Code, null, file, d.Line, d.Column, 0, 0, "{0}", d.Message);
            }
            else
            {
                Log.LogMessage(null, d.Code, null, file, d.Line, d.Column, 0, 0, MessageImportance.Normal, "{0}", d.Message);
            }
        }
    }

    /// <summary>A diagnostic's file as a full path when it names one on disk (relative paths are relative to the working folder); otherwise as given (protoc's "x.proto: File not found").</summary>
    private static string? DiagnosticFile(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : path;
    }

    /// <summary>One group's build at detailed verbosity: what it did and where its time went, phase by phase.</summary>
    private protected void LogGroup(string what, string stateFile, int files, string output, GroupResult result)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Kiln {what} group {Path.GetFileName(stateFile)}: {files} files -> {output}, {(result.Report.UpToDate ? "up to date" : "built")} in {result.Report.Elapsed.TotalMilliseconds:F0} ms (process {Environment.ProcessId}, kept builders reused {GroupBuild.Reuses} times)");
        var separator = ": ";
        foreach (var span in result.Report.Spans)
        {
            if (span.Category == "phase")
            {
                text.Append(separator).Append(CultureInfo.InvariantCulture, $"{span.Name} {span.Duration.TotalMilliseconds:F1} ms");
                separator = ", ";
            }
        }

        Log.LogMessage(MessageImportance.Low, text.ToString());
    }

    private protected void Report(IEnumerable<PlanMessage> messages)
    {
        foreach (var m in messages)
        {
            if (m.IsError)
            {
                Log.LogError(null, m.Code, null, m.File, 0, 0, 0, 0, "{0}", m.Message);
            }
            else
            {
                Log.LogWarning(null, m.Code, null, m.File, 0, 0, 0, 0, "{0}", m.Message);
            }
        }
    }

    protected static TaskItem Output(string path, string source)
    {
        var item = new TaskItem(path);
        if (source.Length > 0)
        {
            item.SetMetadata("Source", source);
        }

        return item;
    }

    /// <summary>
    /// What the groups of one task run add up to: the state files in use, the generated files
    /// (compiled or not, with the IDL item that made each), and the counts for the summary.
    /// Shared by the Protobuf and Thrift tasks.
    /// </summary>
    private protected sealed class GroupTally(KilnTaskBase task)
    {
        private readonly HashSet<string> _states = new(StringComparer.Ordinal);
        private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _written, _unchanged, _deleted, _built;

        public List<ITaskItem> Compiled { get; } = [];

        public List<ITaskItem> Other { get; } = [];

        /// <summary>The state file of a group (its settings' key), counted as in use.</summary>
        public string StateFile(string key)
        {
            var stateFile = GroupBuild.StateFile(task.Full(task.StateDirectory), key);
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

        /// <summary>A group's generated files, each with the item (<paramref name="itemSpecs"/>, parallel to <paramref name="files"/>) that made it.</summary>
        public void Add(IReadOnlyList<OutputRecord> outputs, IReadOnlyList<string> files, IEnumerable<string> itemSpecs, bool compileOutputs)
        {
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (file, itemSpec) in files.Zip(itemSpecs))
            {
                sources[file] = itemSpec;
            }

            foreach (var output in outputs)
            {
                _produced.Add(output.Path);
                (compileOutputs ? Compiled : Other).Add(Output(output.Path, sources.GetValueOrDefault(output.Owner, "")));
            }
        }

        /// <summary>
        /// After a real build: removes what groups no longer in use generated, sets the task's
        /// outputs and logs the summary.
        /// </summary>
        public void Finish(string what, int groups, int inputs)
        {
            _deleted += GroupBuild.RemoveStaleGroups(task.Full(task.StateDirectory), _states, _produced).Count;

            task.GeneratedFiles = [.. Compiled];
            task.AllGeneratedFiles = [.. Compiled, .. Other];
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
            // Formatted here: arguments sent to another MSBuild node lose their number formats.
            task.Log.LogMessage(MessageImportance.Normal, _built == 0 && _deleted == 0
                ? string.Create(CultureInfo.InvariantCulture, $"Kiln {what}: {inputs} files in {groups} groups, up to date ({_unchanged} outputs) in {elapsed:F0} ms")
                : string.Create(CultureInfo.InvariantCulture, $"Kiln {what}: {inputs} files in {groups} groups, {_written} written, {_unchanged} unchanged, {_deleted} deleted in {elapsed:F0} ms"));
        }
    }
}
