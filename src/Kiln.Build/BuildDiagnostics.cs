using Kiln.Text;

namespace Kiln.Build;

/// <summary>Diagnostics of the build driver and the CLI (<c>KLN</c>); codes are never reused.</summary>
public static class BuildDiagnostics
{
    public static readonly DiagnosticDescriptor UsageError = new("KLN0001", DiagnosticSeverity.Error, "{0}");
    public static readonly DiagnosticDescriptor CannotRead = new("KLN0002", DiagnosticSeverity.Error, "Cannot read '{0}': {1}");
    public static readonly DiagnosticDescriptor CannotWrite = new("KLN0003", DiagnosticSeverity.Error, "Cannot write '{0}': {1}");
    public static readonly DiagnosticDescriptor FileNotFound = new("KLN0004", DiagnosticSeverity.Error, "Could not find file '{0}'.");
    public static readonly DiagnosticDescriptor OutputCollision = new("KLN0006", DiagnosticSeverity.Error, "The generated file '{0}' is also generated from '{1}'; two IDL files define the same type in the same namespace.");
    public static readonly DiagnosticDescriptor BadConfig = new("KLN0007", DiagnosticSeverity.Error, "{0}");
    public static readonly DiagnosticDescriptor OutsideImportPaths = new("KLN0008", DiagnosticSeverity.Error, "'{0}' is not under any of the import paths ({1}); protoc needs every input inside one.");
    public static readonly DiagnosticDescriptor NoInputs = new("KLN0009", DiagnosticSeverity.Warning, "No file matches the {0} inputs ({1}).");
    public static readonly DiagnosticDescriptor GeneratorFailed = new("KLN0010", DiagnosticSeverity.Error, "{0}");
    public static readonly DiagnosticDescriptor StateNotSaved = new("KLN0011", DiagnosticSeverity.Warning, "The build state '{0}' could not be saved after the last build ({1}); this build was checked against the one before.");
    public static readonly DiagnosticDescriptor IncludeNotFound = new("KLN0005", DiagnosticSeverity.Error, "Could not find include file '{0}' (searched {1}).");
}
