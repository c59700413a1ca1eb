using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>
/// The codes of the sequence file format (<c>docs/sequencing-format.md</c>). They share the
/// <c>KSQ</c> prefix with the compiler's codes (<see cref="SequenceDiagnostics"/>, KSQ0001–KSQ0099)
/// and take the KSQ1xxx range so the two tables never collide. Numbers are never reused.
/// </summary>
public static class SeqLanguageDiagnostics
{
    // Lexical (KSQ10xx)
    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("KSQ1001", DiagnosticSeverity.Error,
        "unexpected character '{0}'");

    public static readonly DiagnosticDescriptor BadHexString = new("KSQ1002", DiagnosticSeverity.Error,
        "invalid hex string: {0}");

    public static readonly DiagnosticDescriptor BadNumber = new("KSQ1003", DiagnosticSeverity.Error,
        "invalid number '{0}': {1}");

    public static readonly DiagnosticDescriptor BadChannelLiteral = new("KSQ1004", DiagnosticSeverity.Error,
        "invalid channel '{0}': expected B<board>:<TTL|RWG|SYNC|OPAQUE|T<n>>:<local>, e.g. B0:TTL:3");

    // Syntax (KSQ11xx)
    public static readonly DiagnosticDescriptor Expected = new("KSQ1101", DiagnosticSeverity.Error,
        "expected {0}, found {1}");

    public static readonly DiagnosticDescriptor TooDeep = new("KSQ1102", DiagnosticSeverity.Error,
        "expression nested too deeply");

    public static readonly DiagnosticDescriptor ExpectedStatement = new("KSQ1103", DiagnosticSeverity.Error,
        "expected a statement (clock, let, param, seq, main or scan), found {0}");

    // Names and definitions (KSQ12xx)
    public static readonly DiagnosticDescriptor UnknownName = new("KSQ1201", DiagnosticSeverity.Error,
        "unknown name '{0}'");

    public static readonly DiagnosticDescriptor DuplicateName = new("KSQ1202", DiagnosticSeverity.Error,
        "'{0}' is already defined at ({1})");

    public static readonly DiagnosticDescriptor RecursiveDefinition = new("KSQ1203", DiagnosticSeverity.Error,
        "recursive definition: {0}");

    public static readonly DiagnosticDescriptor ArgumentCount = new("KSQ1204", DiagnosticSeverity.Error,
        "'{0}' takes {1}, but {2} given");

    public static readonly DiagnosticDescriptor MissingMain = new("KSQ1205", DiagnosticSeverity.Error,
        "the file has no 'main = ...' statement");

    public static readonly DiagnosticDescriptor DuplicateStatement = new("KSQ1206", DiagnosticSeverity.Error,
        "only one '{0}' statement is allowed (the first is at ({1}))");

    public static readonly DiagnosticDescriptor NotCallable = new("KSQ1207", DiagnosticSeverity.Error,
        "'{0}' is {1}, not something that can be called with arguments");

    public static readonly DiagnosticDescriptor NamedArgument = new("KSQ1208", DiagnosticSeverity.Error,
        "a named argument ('{0} = ...') is only allowed in product(...) and zip(...) of a scan");

    public static readonly DiagnosticDescriptor UnusedDefinition = new("KSQ1209", DiagnosticSeverity.Warning,
        "'{0}' is defined but never used");

    public static readonly DiagnosticDescriptor ReservedName = new("KSQ1210", DiagnosticSeverity.Error,
        "'{0}' is a built-in function and cannot be redefined");

    // Types and values (KSQ13xx)
    public static readonly DiagnosticDescriptor TypeMismatch = new("KSQ1301", DiagnosticSeverity.Error,
        "expected {0}, found {1}");

    public static readonly DiagnosticDescriptor OutOfRange = new("KSQ1302", DiagnosticSeverity.Error,
        "{0}");

    public static readonly DiagnosticDescriptor ParameterExpression = new("KSQ1303", DiagnosticSeverity.Error,
        "{0}");

    public static readonly DiagnosticDescriptor TooLarge = new("KSQ1304", DiagnosticSeverity.Error,
        "the sequence is too large: {0}");

    public static readonly DiagnosticDescriptor BadOperator = new("KSQ1305", DiagnosticSeverity.Error,
        "operator '{0}' cannot be applied to {1} and {2}");

    // Scans (KSQ14xx)
    public static readonly DiagnosticDescriptor BadScan = new("KSQ1401", DiagnosticSeverity.Error,
        "invalid scan: {0}");

    public static readonly DiagnosticDescriptor BadScanPoint = new("KSQ1402", DiagnosticSeverity.Error,
        "scan point {0} ({1}): {2}");

    /// <summary>Every descriptor, for the table test.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        UnexpectedCharacter, BadHexString, BadNumber, BadChannelLiteral,
        Expected, TooDeep, ExpectedStatement,
        UnknownName, DuplicateName, RecursiveDefinition, ArgumentCount, MissingMain, DuplicateStatement, NotCallable, NamedArgument, UnusedDefinition, ReservedName,
        TypeMismatch, OutOfRange, ParameterExpression, TooLarge, BadOperator,
        BadScan, BadScanPoint,
    ];
}
