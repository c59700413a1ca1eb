using Microsoft.Build.Framework;

namespace Kiln.MSBuild;

/// <summary>
/// Compiles <c>&lt;Thrift&gt;</c> items with Kiln into what <c>thrift --gen netstd</c> 0.17
/// writes (one file per type, under the namespace's folders of <c>OutputDir</c>). The files a
/// Thrift build makes are known only after it ran, so the compiled list is the build's manifest.
/// The work is <see cref="Compilation"/>'s, in this process or (opted in) in the build server.
/// </summary>
public sealed class KilnThriftCompile : KilnTaskBase
{
    /// <summary>The <c>Thrift</c> items (metadata <c>Options</c>, <c>OutputDir</c>, <c>IncludeDirs</c>, <c>CompileOutputs</c>).</summary>
    [Required]
    public ITaskItem[] Thrift { get; set; } = [];

    private protected override ITaskItem[] InputItems => Thrift;

    private protected override CompileRequest Request() => Request(CompileKind.Thrift, Thrift, "", "");
}
