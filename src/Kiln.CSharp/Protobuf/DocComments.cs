namespace Kiln.CSharp.Protobuf;

/// <summary>
/// protoc's <c>csharp_doc_comment.cc</c>: the leading comment (else the trailing one) of an element
/// as a <c>&lt;summary&gt;</c>; <c>&amp;</c> and <c>&lt;</c> escaped, runs of blank lines squashed to
/// one <c>///</c>, trailing blank lines dropped, a leading <c>/</c> written <c>&amp;#x2F;</c>.
/// </summary>
internal static class DocComments
{
    public static void Write(ProtocPrinter printer, CSharpOptions options, CsFile file, int[] path)
    {
        if (options.StripNonfunctionalCodegen || file.GetLocation(path) is not { } location)
        {
            return;
        }

        var comments = location.LeadingComments.Length == 0 ? location.TrailingComments : location.LeadingComments;
        if (comments.Length == 0)
        {
            return;
        }

        comments = comments.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
        printer.Print("/// <summary>\n");
        var lastWasEmpty = false;
        foreach (var part in comments.Split('\n'))
        {
            if (part.Length == 0)
            {
                lastWasEmpty = true;
                continue;
            }

            if (lastWasEmpty)
            {
                printer.Print("///\n");
            }

            lastWasEmpty = false;
            // A second slash would make "///" a "////" line the C# compiler rejects in XML docs (grpc issue 35905).
            var line = part[0] == '/' ? "&#x2F;" + part[1..] : part;
            printer.Print("///$line$\n", "line", line);
        }

        printer.Print("/// </summary>\n");
    }
}
