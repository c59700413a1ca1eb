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
        var tally = new GroupTally(this);
        foreach (var group in groups)
        {
            var stateFile = tally.StateFile(group.Key);
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
                var thrift = new ThriftConfig([], [], group.IncludeDirs, new GeneratorConfig(group.OutputDir, group.Options), Files: group.Files);
                var config = new KilnConfig(root, null, null, thrift, Full(CacheDirectory), stateFile);
                var result = GroupBuild.Run(config, KeepInMemory);
                LogGroup("thrift", stateFile, group.Files.Count, group.OutputDir, result);
                Report(result.Diagnostics, warningsAsErrors: false);
                tally.Built(result);
                outputs = result.Outputs;
            }

            tally.Add(outputs, group.Files, group.Items.Select(i => i.ItemSpec), group.CompileOutputs);
        }

        if (PredictOnly)
        {
            GeneratedFiles = [.. tally.Compiled];
            AllGeneratedFiles = [.. tally.Compiled, .. tally.Other];
        }
        else
        {
            tally.Finish("thrift", groups.Count, items.Count);
        }
    }
}
