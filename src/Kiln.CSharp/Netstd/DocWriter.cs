namespace Kiln.CSharp.Netstd;

/// <summary>XML doc comments from IDL doc comments, as <c>/// &lt;summary&gt;</c> blocks.</summary>
internal static class DocWriter
{
    public static void Summary(CodeWriter w, string? doc, IEnumerable<string>? parameters = null, string? seeAlso = null)
    {
        if (seeAlso is null && string.IsNullOrWhiteSpace(doc))
        {
            return;
        }

        w.Line("/// <summary>");
        foreach (var line in (doc ?? "").Trim().Split('\n'))
        {
            var text = Escape(line.TrimEnd('\r').TrimEnd());
            w.Line(text.Length == 0 ? "///" : "/// " + text);
        }

        if (seeAlso is not null)
        {
            w.Line($"/// <seealso cref=\"{seeAlso}\"/>");
        }

        w.Line("/// </summary>");
        foreach (var parameter in parameters ?? [])
        {
            w.Line($"/// <param name=\"{parameter.TrimStart('@')}\"></param>");
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}
