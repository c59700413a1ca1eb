using Microsoft.Build.Framework;

namespace Kiln.MSBuild;

/// <summary>
/// Compiles <c>&lt;Protobuf&gt;</c> items with Kiln, with Grpc.Tools' metadata and output paths:
/// <c>OutputDir/&lt;folder relative to ProtoRoot&gt;/Name.cs</c> and
/// <c>GrpcOutputDir/.../NameGrpc.cs</c>. Items with the same settings are one Kiln build (one
/// state file, parallel parse/link/generate, write-if-changed); a build with nothing changed
/// reads only the state and the files' stamps. The work is <see cref="Compilation"/>'s, in the
/// build server or in this process.
/// </summary>
public sealed class KilnProtobufCompile : KilnTaskBase
{
    /// <summary>
    /// The <c>Protobuf</c> items. Those whose <c>ProtoCompile</c> is not <c>true</c> are left
    /// alone; one without <c>ProtoRoot</c> gets Grpc.Tools' guess (<see cref="ProtobufPlan.ProtoRootOf"/>).
    /// </summary>
    [Required]
    public ITaskItem[] Protobuf { get; set; } = [];

    /// <summary><c>$(Protobuf_ProtoRoot)</c>: the <c>ProtoRoot</c> of items outside the project folder that name none.</summary>
    public string DefaultProtoRoot { get; set; } = "";

    /// <summary>The folder of the well-known types (<c>google/protobuf/*.proto</c>) shipped in the package.</summary>
    public string StandardImportsPath { get; set; } = "";

    private protected override ITaskItem[] InputItems => Protobuf;

    private protected override CompileRequest Request() =>
        Request(CompileKind.Protobuf, Protobuf, DefaultProtoRoot, StandardImportsPath);
}
