namespace Kiln.Text;

/// <summary>
/// A code, its default severity and a message template with <c>{0}</c>-style holes. Each front
/// end keeps one table of these with explicit numbers that are never reused.
/// </summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string MessageFormat)
{
    public string Format(params object?[] args)
    {
        var message = args.Length == 0 ? MessageFormat : string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, args);
        return message;
    }

    public Diagnostic At(SourceText source, int offset, params object?[] args) =>
        Diagnostic.Create(Severity, Code, Format(args), source, offset);

    /// <summary>A diagnostic about a file as a whole, or about no file (path empty).</summary>
    public Diagnostic ForFile(string path, params object?[] args) =>
        new(Severity, Code, Format(args), path, 0, 0);
}
