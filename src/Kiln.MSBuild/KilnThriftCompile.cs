using System.Diagnostics;
using Kiln.Build.Workspace;
using Microsoft.Build.Framework;

namespace Kiln.MSBuild;

/// <summary>
/// Compiles <c>&lt;Thrift&gt;</c> items in-process with Kiln into what <c>thrift --gen netstd</c>
/// 0.17 writes (one file per type, under the namespace's folders of <c>OutputDir</c>). The files a
/// Thrift build makes are known only after it ran, so the compiled list is the build's manifest.
/// </summary>
public sealed class KilnThriftCompile : KilnTaskBase
{
    /// <summary>The <c>Thrift</c> items (metadata <c>Options</c>, <c>OutputDir</c>, <c>IncludeDirs</c>, <c>CompileOutputs</c>).</summary>
    [Required]
    public ITaskItem[] Thrift { get; set; } = [];

    protected override void Run()
    {
        var items = Thrift.Select(i => new ThriftItem(
            i.ItemSpec,
            i.GetMetadata("Options"),
            i.GetMetadata("OutputDir"),
            i.GetMetadata("IncludeDirs"),
            !i.GetMetadata("CompileOutputs").Equals("false", StringComparison.OrdinalIgnoreCase))).ToList();
        var groups = ThriftPlan.Plan(items, ProjectDirectory);
        var compile = new List<ITaskItem>();
        var all = new List<ITaskItem>();
        var start = Stopwatch.GetTimestamp();
        var states = new HashSet<string>(StringComparer.Ordinal);
        var stateDirectory = Full(StateDirectory);
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        int written = 0, unchanged = 0, deleted = 0;
        foreach (var group in groups)
        {
            var stateFile = GroupBuild.StateFile(stateDirectory, group.Key);
            states.Add(Path.GetFullPath(stateFile));
            IReadOnlyList<OutputRecord> outputs;
            if (PredictOnly)
            {
                // A design-time build that may not compile sees what the last build made.
                outputs = GroupBuild.LastOutputs(stateFile);
            }
            else if (GroupBuild.FileInside(group.Files, group.OutputDir, Full(CacheDirectory)) is { } inside)
            {
                Log.LogError(null, "KLN0107", null, inside, 0, 0, 0, 0, "'{0}' lies inside its own output folder ({1}); Kiln.MSBuild cannot generate into a folder that holds its .thrift files. Set OutputDir to another folder.", inside, group.OutputDir);
                continue;
            }
            else
            {
                var root = GroupBuild.CommonDirectory(group.Files);
                var thrift = new ThriftConfig(GroupBuild.Patterns(root, group.Files), [], group.IncludeDirs, new GeneratorConfig(group.OutputDir, group.Options));
                var config = new KilnConfig(root, null, null, thrift, Full(CacheDirectory), stateFile);
                var patterns = GroupBuild.CompactPatterns(root, group.Files, p => config.Expand(p, []));
                config = config with { Thrift = thrift with { Inputs = patterns } };
                var result = GroupBuild.Run(config, KeepInMemory);
                Report(result.Diagnostics, warningsAsErrors: false);
                read.UnionWith(result.Read);
                read.ExceptWith(group.Files);
                written += result.Report.Written.Count;
                unchanged += result.Report.Unchanged;
                deleted += result.Report.Deleted.Count;
                outputs = result.Outputs;
            }

            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < group.Files.Count; i++)
            {
                sources[group.Files[i]] = group.Items[i].ItemSpec;
            }

            foreach (var output in outputs)
            {
                produced.Add(output.Path);
                (group.CompileOutputs ? compile : all).Add(Output(output.Path, sources.GetValueOrDefault(output.Owner, "")));
            }
        }

        if (!PredictOnly)
        {
            deleted += GroupBuild.RemoveStaleGroups(stateDirectory, states, produced).Count;
            Summary("thrift", groups.Count, items.Count, written, unchanged, deleted, Stopwatch.GetElapsedTime(start));
        }

        GeneratedFiles = [.. compile];
        AllGeneratedFiles = [.. compile, .. all];
        if (!PredictOnly)
        {
            WriteResults("_Kiln_ThriftLast", read, compile, all);
        }
    }
}
