using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>
/// Every diagnostic the Protobuf front end reports. Codes are explicit and never reused; retired
/// codes stay here as comments. Messages keep protoc's wording (Kiln prints them in protoc's
/// <c>file:line:col: message</c> shape for <c>kiln protoc</c>), so most carry the text as <c>{0}</c>.
/// </summary>
public static class ProtobufDiagnostics
{
    /// <summary>A lexical error (bad character, unterminated string or comment, bad number).</summary>
    public static readonly DiagnosticDescriptor LexicalError = new("KPB0001", DiagnosticSeverity.Error, "{0}");

    /// <summary>A syntax error from the parser.</summary>
    public static readonly DiagnosticDescriptor SyntaxError = new("KPB0002", DiagnosticSeverity.Error, "{0}");

    /// <summary>A parser warning (e.g. a reserved name that is not an identifier).</summary>
    public static readonly DiagnosticDescriptor SyntaxWarning = new("KPB0003", DiagnosticSeverity.Warning, "{0}");

    /// <summary>Messages nested deeper than protoc allows (32 levels).</summary>
    public static readonly DiagnosticDescriptor NestingTooDeep = new("KPB0004", DiagnosticSeverity.Error, "Reached maximum recursion limit for nested messages.");

    /// <summary>An import that the resolver could not find, or that had errors.</summary>
    public static readonly DiagnosticDescriptor ImportNotFound = new("KPB0010", DiagnosticSeverity.Error, "Import \"{0}\" was not found or had errors.");

    /// <summary>An import file that does not exist.</summary>
    public static readonly DiagnosticDescriptor FileNotFound = new("KPB0011", DiagnosticSeverity.Error, "{0}: File not found.");

    /// <summary>A cycle of imports.</summary>
    public static readonly DiagnosticDescriptor ImportCycle = new("KPB0012", DiagnosticSeverity.Error, "File recursively imports itself: {0}");

    /// <summary>The same import listed twice.</summary>
    public static readonly DiagnosticDescriptor ImportListedTwice = new("KPB0013", DiagnosticSeverity.Error, "Import \"{0}\" was listed twice.");

    /// <summary>An import that nothing in the file uses.</summary>
    public static readonly DiagnosticDescriptor UnusedImport = new("KPB0014", DiagnosticSeverity.Warning, "Import {0} is unused.");

    /// <summary>A name that does not resolve.</summary>
    public static readonly DiagnosticDescriptor NotDefined = new("KPB0020", DiagnosticSeverity.Error, "{0}");

    /// <summary>A name defined twice.</summary>
    public static readonly DiagnosticDescriptor AlreadyDefined = new("KPB0021", DiagnosticSeverity.Error, "{0}");

    /// <summary>A name that resolves to a file the current file does not import.</summary>
    public static readonly DiagnosticDescriptor NotImported = new("KPB0022", DiagnosticSeverity.Error, "{0}");

    /// <summary>A field number, range or name that clashes with another declaration.</summary>
    public static readonly DiagnosticDescriptor NumberConflict = new("KPB0030", DiagnosticSeverity.Error, "{0}");

    /// <summary>An option that cannot be interpreted (unknown name, wrong value type, set twice).</summary>
    public static readonly DiagnosticDescriptor OptionError = new("KPB0040", DiagnosticSeverity.Error, "{0}");

    /// <summary>Any other rule protoc's descriptor builder checks.</summary>
    public static readonly DiagnosticDescriptor ValidationError = new("KPB0050", DiagnosticSeverity.Error, "{0}");

    /// <summary>A warning from protoc's descriptor builder.</summary>
    public static readonly DiagnosticDescriptor ValidationWarning = new("KPB0051", DiagnosticSeverity.Warning, "{0}");

    /// <summary>Every descriptor, for tests that check the table.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        LexicalError, SyntaxError, SyntaxWarning, NestingTooDeep,
        ImportNotFound, FileNotFound, ImportCycle, ImportListedTwice, UnusedImport,
        NotDefined, AlreadyDefined, NotImported,
        NumberConflict, OptionError, ValidationError, ValidationWarning,
    ];

    /// <summary>A diagnostic at protoc's 0-based line and column (line -1: position unknown).</summary>
    internal static Diagnostic At(DiagnosticDescriptor descriptor, string path, int line, int column, string message) =>
        line < 0
            ? new Diagnostic(descriptor.Severity, descriptor.Code, descriptor.Format(message), path, 0, 0)
            : new Diagnostic(descriptor.Severity, descriptor.Code, descriptor.Format(message), path, line + 1, column + 1);
}
