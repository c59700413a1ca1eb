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

    /// <summary>
    /// Where a real build writes what it read and generated as MSBuild items (an MSBuild file the
    /// targets import): a later build whose inputs are all older than its stamp skips the task and
    /// takes the generated files from there. Empty: not written.
    /// </summary>
    public string ResultsFile { get; set; } = "";

    private bool _warned;

    /// <summary>True when the task ran (MSBuild leaves it empty when it skips the target).</summary>
    [Output]
    public bool Ran { get; set; }

    /// <summary>The generated files to add to <c>Compile</c> (with <c>Source</c>: the IDL file that made each).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; set; } = [];

    /// <summary>Every file generated, compiled or not: for <c>FileWrites</c>, so that <c>dotnet clean</c> removes them.</summary>
    [Output]
    public ITaskItem[] AllGeneratedFiles { get; set; } = [];

    public override bool Execute()
    {
        Ran = true;
        try
        {
            Run();
        }
        catch (Exception e)
        {
            Log.LogError(null, "KLN0100", null, null, 0, 0, 0, 0, "Kiln failed: {0}: {1}", e.GetType().Name, e.Message);
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }

        if (Log.HasLoggedErrors && ResultsFile.Length > 0 && !PredictOnly)
        {
            // A failed build must not be skipped next time as if it had succeeded.
            try
            {
                File.Delete(Full(ResultsFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogMessage(MessageImportance.Low, e.ToString());
            }
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
                _warned = true;
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
                _warned = true;
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
    /// Writes <see cref="ResultsFile"/>: three properties, <paramref name="prefix"/>Read (the files
    /// the build read besides the items: imports, includes), <paramref name="prefix"/>Compiled and
    /// <paramref name="prefix"/>Other (the generated files, compiled or not), as ;-separated lists.
    /// Properties, not items: MSBuild evaluates a property of thousands of paths in a fraction of a
    /// millisecond and makes items of it only in the build that skips the task. Written by rename,
    /// and only when it changes.
    /// </summary>
    /// <remarks>
    /// A build that logged an error or a warning leaves no results file, so the next build runs the
    /// task again and reports them again (with <c>-warnaserror</c>, a warning fails every build
    /// until it is fixed, as it should).
    /// </remarks>
    protected void WriteResults(string prefix, IEnumerable<string> read, IReadOnlyList<ITaskItem> compiled, IReadOnlyList<ITaskItem> other)
    {
        if (ResultsFile.Length == 0)
        {
            return;
        }

        if (_warned || Log.HasLoggedErrors)
        {
            File.Delete(Full(ResultsFile));
            return;
        }

        var text = new System.Text.StringBuilder();
        text.Append("<Project>\n  <!-- Written by Kiln.MSBuild after each build: what it read and generated. -->\n  <PropertyGroup>\n");
        AppendList(text, prefix + "Read", read.Order(StringComparer.Ordinal));
        AppendList(text, prefix + "Compiled", compiled.Select(i => i.ItemSpec));
        AppendList(text, prefix + "Other", other.Select(i => i.ItemSpec));
        text.Append("  </PropertyGroup>\n</Project>\n");
        var path = Full(ResultsFile);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Kiln.Build.OutputWriter.ReplaceAtomically(path, [bytes]);
    }

    private static void AppendList(System.Text.StringBuilder text, string name, IEnumerable<string> paths)
    {
        text.Append("    <").Append(name).Append('>');
        var first = true;
        foreach (var path in paths)
        {
            text.Append(first ? "" : ";").Append(Escape(path));
            first = false;
        }

        text.Append("</").Append(name).Append(">\n");
    }

    /// <summary>A path as an MSBuild value in XML: MSBuild's special characters %-escaped (no wildcard, list or expansion), then XML's.</summary>
    internal static string Escape(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '%' or '*' or '?' or ';' or '@' or '$' or '\'')
            {
                text.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return System.Security.SecurityElement.Escape(text.ToString());
    }

    /// <summary>
    /// What the groups of one task run add up to: the state files in use, the generated files
    /// (compiled or not, with the IDL item that made each), the files read besides the items, and
    /// the counts for the summary. Shared by the Protobuf and Thrift tasks.
    /// </summary>
    private protected sealed class GroupTally(KilnTaskBase task)
    {
        private readonly HashSet<string> _states = new(StringComparer.Ordinal);
        private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _written, _unchanged, _deleted;

        public List<ITaskItem> Compiled { get; } = [];

        public List<ITaskItem> Other { get; } = [];

        /// <summary>The state file of a group (its settings' key), counted as in use.</summary>
        public string StateFile(string key)
        {
            var stateFile = GroupBuild.StateFile(task.Full(task.StateDirectory), key);
            _states.Add(Path.GetFullPath(stateFile));
            return stateFile;
        }

        /// <summary>A group's build: what it read besides its own items, and its counts.</summary>
        public void Built(GroupResult result, IReadOnlyList<string> files)
        {
            _read.UnionWith(result.Read);
            _read.ExceptWith(files);
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
        /// outputs, writes the results file and logs the summary.
        /// </summary>
        public void Finish(string what, string resultsPrefix, int groups, int inputs)
        {
            _deleted += GroupBuild.RemoveStaleGroups(task.Full(task.StateDirectory), _states, _produced).Count;
            task.GeneratedFiles = [.. Compiled];
            task.AllGeneratedFiles = [.. Compiled, .. Other];
            task.WriteResults(resultsPrefix, _read, Compiled, Other);
            task.Summary(what, groups, inputs, _written, _unchanged, _deleted, System.Diagnostics.Stopwatch.GetElapsedTime(_start));
        }
    }

    /// <summary>One line per build (formatted here: arguments sent to another MSBuild node lose their number formats).</summary>
    protected void Summary(string what, int groups, int inputs, int written, int unchanged, int deleted, TimeSpan elapsed) =>
        Log.LogMessage(MessageImportance.Normal, string.Create(CultureInfo.InvariantCulture, $"Kiln {what}: {inputs} files in {groups} groups, {written} written, {unchanged} unchanged, {deleted} deleted in {elapsed.TotalMilliseconds:F0} ms"));
}
