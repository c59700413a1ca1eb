using System.Collections.Immutable;
using Kiln.Text;

namespace Kiln.Thrift;

internal static class DiagnosticOrder
{
    /// <summary>By file, line and column, keeping the report order of equal positions (a stable sort).</summary>
    public static EquatableArray<Diagnostic> Sort(IReadOnlyList<Diagnostic> diagnostics)
    {
        var indexed = new (Diagnostic Diagnostic, int Index)[diagnostics.Count];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = (diagnostics[i], i);
        }

        Array.Sort(indexed, static (a, b) =>
        {
            var byPath = string.CompareOrdinal(a.Diagnostic.Path, b.Diagnostic.Path);
            if (byPath != 0)
            {
                return byPath;
            }

            var byLine = a.Diagnostic.Line.CompareTo(b.Diagnostic.Line);
            if (byLine != 0)
            {
                return byLine;
            }

            var byColumn = a.Diagnostic.Column.CompareTo(b.Diagnostic.Column);
            return byColumn != 0 ? byColumn : a.Index.CompareTo(b.Index);
        });

        var builder = ImmutableArray.CreateBuilder<Diagnostic>(indexed.Length);
        foreach (var (diagnostic, _) in indexed)
        {
            builder.Add(diagnostic);
        }

        return builder.MoveToImmutable();
    }
}
