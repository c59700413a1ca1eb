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
    /// <summary>
    /// The <c>Protobuf</c> items. Those whose <c>ProtoCompile</c> is not <c>true</c> are left
    /// alone; one without <c>ProtoRoot</c> gets Grpc.Tools' guess (<see cref="ProtoRootOf"/>).
    /// </summary>
    [Required]
    public ITaskItem[] Protobuf { get; set; } = [];

    /// <summary><c>$(Protobuf_ProtoRoot)</c>: the <c>ProtoRoot</c> of items outside the project folder that name none.</summary>
    public string DefaultProtoRoot { get; set; } = "";

    /// <summary>The folder of the well-known types (<c>google/protobuf/*.proto</c>) shipped in the package.</summary>
    public string StandardImportsPath { get; set; } = "";

    protected override void Run()
    {
        var messages = new List<PlanMessage>();
        var items = new List<ProtoItem>(Protobuf.Length);
        foreach (var i in Protobuf)
        {
            if (!i.GetMetadata("ProtoCompile").Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            items.Add(new ProtoItem(
                i.ItemSpec,
                ProtoRootOf(i.ItemSpec, i.GetMetadata("ProtoRoot"), ProjectDirectory, DefaultProtoRoot),
                i.GetMetadata("OutputDir"),
                i.GetMetadata("GrpcOutputDir"),
                i.GetMetadata("GrpcServices"),
                i.GetMetadata("Access"),
                i.GetMetadata("AdditionalImportDirs"),
                i.GetMetadata("AdditionalProtocArguments"),
                i.GetMetadata("OutputOptions"),
                i.GetMetadata("GrpcOutputOptions"),
                !i.GetMetadata("CompileOutputs").Equals("false", StringComparison.OrdinalIgnoreCase)));
        }

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
                [],
                [],
                group.ImportPaths,
                new GeneratorConfig(group.CSharpOut, group.CSharpOptions),
                group.GrpcOut is null ? null : new GeneratorConfig(group.GrpcOut, group.GrpcOptions ?? ""),
                Files: group.Files);
            var config = new KilnConfig(root, null, protobuf, null, Full(CacheDirectory), stateFile);
            var result = GroupBuild.Run(config, KeepInMemory);
            LogGroup("protobuf", stateFile, group.Files.Count, group.CSharpOut, result);
            Report(result.Diagnostics, group.FatalWarnings);
            tally.Built(result);
            tally.Add(result.Outputs, group.Files, group.Items.Select(i => i.ItemSpec), group.CompileOutputs);
        }

        tally.Finish("protobuf", groups.Count, items.Count);
    }

    /// <summary>
    /// An item's <c>ProtoRoot</c> (<paramref name="protoRoot"/>, its metadata), guessed as
    /// Grpc.Tools guesses it when the item names none: the project folder (<c>.</c>) for a file
    /// inside it, otherwise <paramref name="defaultProtoRoot"/> (<c>$(Protobuf_ProtoRoot)</c>) or
    /// the file's own folder.
    /// </summary>
    internal static string ProtoRootOf(string itemSpec, string protoRoot, string projectDirectory, string defaultProtoRoot)
    {
        if (protoRoot.Length > 0)
        {
            return protoRoot;
        }

        var full = ProtobufPlan.Full(projectDirectory, itemSpec);
        if (GroupBuild.IsUnder(full, Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory))))
        {
            return ".";
        }

        return defaultProtoRoot.Length > 0 ? defaultProtoRoot : Path.GetDirectoryName(full) ?? "";
    }
}
