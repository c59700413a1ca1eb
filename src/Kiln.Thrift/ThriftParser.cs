using Kiln.Text;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift;

/// <summary>
/// The result of parsing one file: its syntax tree and its lexical and syntax diagnostics.
/// This is what an engine's <c>parse(file)</c> query returns; it depends on the file's text only.
/// </summary>
public sealed record ParsedFile(SourceText Source, DocumentSyntax Syntax, EquatableArray<Diagnostic> Diagnostics)
{
    public string Path => Source.Path;

    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
            {
                if (diagnostic.IsError)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>Parses Thrift IDL. Pure: no IO, never throws on any input.</summary>
public static class ThriftParser
{
    public static ParsedFile Parse(SourceText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var diagnostics = new DiagnosticBag();
        var syntax = new Parser(source, diagnostics).ParseDocument();
        return new ParsedFile(source, syntax, DiagnosticOrder.Sort(diagnostics.Items));
    }

    public static ParsedFile Parse(string path, string text) => Parse(new SourceText(path, text));
}
