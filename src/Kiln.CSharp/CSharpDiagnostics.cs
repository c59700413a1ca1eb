using Kiln.Text;

namespace Kiln.CSharp;

/// <summary>
/// Every diagnostic the C# emitters report: one table, explicit codes that are never reused
/// (a retired code stays here as a comment), each message next to its code.
/// </summary>
public static class CSharpDiagnostics
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    // Generator options: 0001-0019.
    public static readonly DiagnosticDescriptor UnknownNetstdOption = new("KCS0001", Error, "Unknown option netstd:{0}. Valid options: {1}.");
    // Retired: KCS0002 "Option netstd:{0} is accepted but not implemented yet" (wcf, serial and net6 are implemented).

    // Output paths: 0020-0039.
    public static readonly DiagnosticDescriptor UnsafeNamespace = new("KCS0020", Error, "Namespace \"{0}\" cannot name an output folder: {1}.");
    public static readonly DiagnosticDescriptor UnsafeFileName = new("KCS0021", Error, "\"{0}\" cannot name an output file: {1}.");

    // Model: 0040-0059.
    public static readonly DiagnosticDescriptor UnresolvedType = new("KCS0040", Error, "Type \"{0}\" in {1} did not resolve; no code is generated for the file.");
    public static readonly DiagnosticDescriptor InvalidConstant = new("KCS0041", Error, "Constant \"{0}\" has an invalid value; no code is generated for the file.");

    /// <summary>Every descriptor above, for the table test and for documentation.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        UnknownNetstdOption,
        UnsafeNamespace, UnsafeFileName,
        UnresolvedType, InvalidConstant,
    ];
}
