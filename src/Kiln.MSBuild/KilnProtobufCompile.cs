using System.Globalization;
using Kiln.Build.Workspace;
using Microsoft.Build.Framework;

namespace Kiln.MSBuild;

/// <summary>
/// Compiles <c>&lt;Protobuf&gt;</c> items in-process with Kiln, with Grpc.Tools' metadata and
/// output paths: <c>OutputDir/&lt;folder relative to ProtoRoot&gt;/Name.cs</c> and
/// <c>GrpcOutputDir/.../NameGrpc.cs</c>. Items with the same settings are one Kiln build (one
/// state file, parallel parse/link/generate, write-if-changed); a build with nothing changed
/// reads only the state and the files' stamps.
/// </summary>
public sealed class KilnProtobufCompile : KilnTaskBase
{
    /// <summary>The <c>Protobuf</c> items, with <c>ProtoRoot</c> already set (the targets guess it as Grpc.Tools does).</summary>
    [Required]
    public ITaskItem[] Protobuf { get; set; } = [];

    /// <summary>The folder of the well-known types (<c>google/protobuf/*.proto</c>) shipped in the package.</summary>
    public string StandardImportsPath { get; set; } = "";

    protected override void Run()
    {
        var messages = new List<PlanMessage>();
        var items = Protobuf.Select(i => new ProtoItem(
            i.ItemSpec,
            i.GetMetadata("ProtoRoot"),
            i.GetMetadata("OutputDir"),
            i.GetMetadata("GrpcOutputDir"),
            i.GetMetadata("GrpcServices"),
            i.GetMetadata("Access"),
            i.GetMetadata("AdditionalImportDirs"),
            i.GetMetadata("AdditionalProtocArguments"),
            i.GetMetadata("OutputOptions"),
            i.GetMetadata("GrpcOutputOptions"),
            !i.GetMetadata("CompileOutputs").Equals("false", StringComparison.OrdinalIgnoreCase))).ToList();
        var groups = ProtobufPlan.Plan(items, ProjectDirectory, StandardImportsPath, messages);
        Report(messages);

        var compile = new List<ITaskItem>();
        var all = new List<ITaskItem>();
        if (PredictOnly)
        {
            foreach (var group in groups)
            {
                for (var i = 0; i < group.Files.Count; i++)
                {
                    foreach (var output in ProtobufPlan.ExpectedOutputs(group, group.Files[i]))
                    {
                        (group.CompileOutputs ? compile : all).Add(Output(output, group.Items[i].ItemSpec));
                    }
                }
            }

            GeneratedFiles = [.. compile];
            AllGeneratedFiles = [.. compile, .. all];
            return;
        }

        var tally = new GroupTally(this);
        foreach (var group in groups)
        {
            var stateFile = tally.StateFile(group.Key);
            if (GroupBuild.FileInside(group.Files, group.CSharpOut, group.GrpcOut, Full(CacheDirectory)) is { } inside)
            {
                Log.LogError(null, "KLN0107", null, inside, 0, 0, 0, 0, "'{0}' lies inside its own output folder ({1}); Kiln.MSBuild cannot generate into a folder that holds its .proto files. Set OutputDir (and GrpcOutputDir) to another folder.", inside, group.CSharpOut);
                continue;
            }

            var root = GroupBuild.CommonDirectory(group.Files);
            var protobuf = new ProtobufConfig(
                GroupBuild.Patterns(root, group.Files),
                [],
                group.ImportPaths,
                new GeneratorConfig(group.CSharpOut, group.CSharpOptions),
                group.GrpcOut is null ? null : new GeneratorConfig(group.GrpcOut, group.GrpcOptions ?? ""));
            var config = new KilnConfig(root, null, protobuf, null, Full(CacheDirectory), stateFile);
            var patterns = GroupBuild.CompactPatterns(root, group.Files, p => config.Expand(p, []));
            config = config with { Protobuf = protobuf with { Inputs = patterns } };
            var result = GroupBuild.Run(config, KeepInMemory);
            Log.LogMessage(MessageImportance.Low, string.Create(CultureInfo.InvariantCulture, $"Kiln protobuf group {Path.GetFileName(stateFile)}: {group.Files.Count} files ({patterns.Count} patterns) -> {group.CSharpOut}, {(result.Report.UpToDate ? "up to date" : "built")}, build {result.Report.Elapsed.TotalMilliseconds:F0} ms (process {Environment.ProcessId}, kept builders reused {GroupBuild.Reuses} times)"));
            Report(result.Diagnostics, group.FatalWarnings);
            tally.Built(result, group.Files);
            tally.Add(result.Outputs, group.Files, group.Items.Select(i => i.ItemSpec), group.CompileOutputs);
        }

        tally.Finish("protobuf", "_Kiln_ProtobufLast", groups.Count, items.Count);
    }
}
