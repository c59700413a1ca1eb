namespace Kiln.Text;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One message about a source file, with a stable code (<c>KTH0001</c>, <c>KPB0012</c>, ...).
/// Positions are 1-based; a diagnostic about a whole file (or none) has line and column 0.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string Message, string Path, int Line, int Column)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public static Diagnostic Create(DiagnosticSeverity severity, string code, string message, SourceText source, int offset)
    {
        var position = source.GetLinePosition(offset);
        return new Diagnostic(severity, code, message, source.Path, position.Line, position.Column);
    }

    /// <summary>The shape MSBuild and IDEs parse: <c>path(line,col): error CODE: message</c>.</summary>
    public string ToMSBuildFormat()
    {
        var severity = SeverityWord(Severity);
        var location = Path.Length == 0 ? "kiln" : Line > 0 ? $"{Path}({Line},{Column})" : Path;
        return $"{location}: {severity} {Code}: {Message}";
    }

    /// <summary>protoc's shape, kept for scripts that parse it: <c>path:line:col: message</c>.</summary>
    public string ToProtocFormat()
    {
        var prefix = Severity == DiagnosticSeverity.Warning ? "warning: " : "";
        return Line > 0 ? $"{Path}:{Line}:{Column}: {prefix}{Message}" : $"{Path}: {prefix}{Message}";
    }

    public override string ToString() => ToMSBuildFormat();

    private static string SeverityWord(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
