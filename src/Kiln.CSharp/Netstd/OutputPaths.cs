using System.Collections.Immutable;
using System.Text;
using Kiln.Text;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Output paths from IDL content, kept inside the output folder: a namespace becomes folders
/// (<c>thrift.test</c> → <c>thrift/test/</c>), each part a plain identifier; anything that could
/// climb out or name a device (<c>..</c>, rooted paths, separators, odd characters) is rejected.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The folder for a namespace, ending in <c>/</c> (empty for none); null after reporting an error.</summary>
    public static string? NamespaceFolder(string? ns, string sourcePath, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return "";
        }

        var folder = new StringBuilder();
        foreach (var part in ns.Split('.'))
        {
            if (Problem(part, allowDots: false) is { } problem)
            {
                diagnostics.Add(CSharpDiagnostics.UnsafeNamespace.ForFile(sourcePath, ns, problem));
                return null;
            }

            folder.Append(part).Append('/');
        }

        return folder.ToString();
    }

    /// <summary>A file path under <paramref name="folder"/>; null after reporting an error.</summary>
    public static string? File(string folder, string name, string sourcePath, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (Problem(name, allowDots: true) is { } problem)
        {
            diagnostics.Add(CSharpDiagnostics.UnsafeFileName.ForFile(sourcePath, name, problem));
            return null;
        }

        return folder + name;
    }

    /// <summary>A class name made from a program name: characters C# does not allow become <c>_</c>.</summary>
    public static string ClassName(string name)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    private static string? Problem(string part, bool allowDots)
    {
        if (part.Length == 0)
        {
            return "an empty name";
        }

        if (part is "." or ".." || part.StartsWith('.') || part.Contains("..", StringComparison.Ordinal))
        {
            return "it would leave the output folder";
        }

        if (part.Length > 200)
        {
            return "the name is too long";
        }

        foreach (var c in part)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || (allowDots && c == '.');
            if (!ok)
            {
                return c is '/' or '\\' or ':' ? "it would leave the output folder" : $"the character '{(char.IsControl(c) ? '?' : c)}' is not allowed";
            }
        }

        return null;
    }
}
