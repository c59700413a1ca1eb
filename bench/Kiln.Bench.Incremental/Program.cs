using System.Diagnostics;
using System.Globalization;
using Kiln.Build;
using Kiln.CSharp.Netstd;

// Rebuild after an edit, in one process (what `kiln watch` will do): a workspace made by
// bench/Kiln.Bench.ThriftCorpus is built once (load, bind, generate netstd for every file), then
// one file is edited N times and the whole workspace is rebuilt after each edit. Reports the
// cold build, and the median rebuild time and what re-ran, for two kinds of edit:
//   comment: a comment added to a bottom-layer file (positions move, meaning does not);
//   field:   a field added to a struct of a bottom-layer file (its includers must regenerate).
// Usage: dotnet run -c Release --project bench/Kiln.Bench.Incremental -- WORKSPACE_DIR [EDITS=10]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Kiln.Bench.Incremental WORKSPACE_DIR [EDITS=10]");
    return 2;
}

var dir = Path.GetFullPath(args[0]);
var edits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var top = Directory.GetDirectories(dir, "layer*").Order(StringComparer.Ordinal).Last();
var roots = Directory.GetFiles(top, "*.thrift").Order(StringComparer.Ordinal).ToArray();
var edited = Path.Combine(dir, "layer0", "f0.thrift");
var original = File.ReadAllText(edited);
var workspace = new ThriftWorkspace([]);
long lastBuild = 0;

try
{
    var cold = Stopwatch.StartNew();
    var emitted = Build();
    Console.WriteLine($"cold build: {cold.ElapsedMilliseconds} ms, {workspace.Files.Count} files, {emitted} generated files");

    Measure("comment", i => original.Replace("// Layer 0,", $"// Edit {i}.\n// Layer 0,", StringComparison.Ordinal));
    Measure("field", i => original.Replace("  1: required i64 id\n", $"  1: required i64 id\n  99: optional i32 added{i}\n", StringComparison.Ordinal));
}
finally
{
    File.WriteAllText(edited, original);
}

return 0;

// Loads and binds everything, then generates only the files whose output changed since the
// last build (GetChangedAt answers without holding or recomputing unchanged outputs).
int Build()
{
    var targets = workspace.Load(roots).Concat(roots.SelectMany(r => workspace.IncludedFiles(Path.GetFullPath(r)))).Distinct().ToArray();
    workspace.BindAll();
    var count = 0;
    Parallel.ForEach(targets, target =>
    {
        var key = (target, NetstdOptions.Default);
        if (workspace.EmitNetstd.GetChangedAt(workspace.Database, key) > lastBuild)
        {
            Interlocked.Add(ref count, workspace.EmitNetstd.Get(workspace.Database, key).Files.Length);
        }
    });
    lastBuild = workspace.Database.Revision;
    return count;
}

void Measure(string kind, Func<int, string> edit)
{
    var times = new List<double>();
    var regenerated = 0;
    var before = Executions();
    for (var i = 0; i < edits; i++)
    {
        File.WriteAllText(edited, edit(i));
        var watch = Stopwatch.StartNew();
        regenerated += Build();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var after = Executions();
    var reran = string.Join(", ", after.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => $"{kv.Key} {(kv.Value - before.GetValueOrDefault(kv.Key)) / (double)edits:0.#}"));
    Console.WriteLine($"{kind} edit: median rebuild {times[times.Count / 2]:0.0} ms (min {times[0]:0.0}, max {times[^1]:0.0}); re-ran per edit: {reran}; generated files per edit: {regenerated / (double)edits:0.#}");
}

Dictionary<string, long> Executions() => workspace.Database.GetStatistics().ToDictionary(s => s.Query, s => s.Executions);
