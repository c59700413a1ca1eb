using System.Text;

namespace Kiln.Thrift.Syntax;

/// <summary>The text of a <c>/** */</c> comment as thrift 0.17 keeps it (<c>clean_up_doctext</c> in main.cc).</summary>
internal static class DocComment
{
    /// <summary>Removes the comment markers, the common <c>*</c> prefix and indentation, and trailing blanks; each line ends in '\n'.</summary>
    public static string? Clean(ReadOnlySpan<char> comment)
    {
        // thrift keeps the text after "/**", with the closing "*/" turned into one space.
        var body = comment.Length >= 5 ? comment[3..^2].ToString() + " " : " ";
        body = body.Replace("\r", "", StringComparison.Ordinal);

        var lines = new List<string>();
        var last = 0;
        while (true)
        {
            var newline = body.IndexOf('\n', last);
            if (newline < 0)
            {
                var rest = body[last..];
                if (rest.AsSpan().TrimStart(" \t").Length > 0)
                {
                    lines.Add(rest);
                }

                break;
            }

            lines.Add(body[last..newline]);
            last = newline + 1;
        }

        if (lines.Count == 0)
        {
            return null;
        }

        lines[0] = lines[0].TrimStart(' ', '\t');

        // A common "*" prefix at the same column on every non-blank line after the first.
        var havePrefix = true;
        var foundPrefix = false;
        var prefixLength = 0;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var position = FirstNonBlank(line);
            if (!foundPrefix)
            {
                if (position >= 0)
                {
                    if (line[position] == '*')
                    {
                        foundPrefix = true;
                        prefixLength = position;
                    }
                    else
                    {
                        havePrefix = false;
                        break;
                    }
                }
                else
                {
                    lines[i] = "";
                }
            }
            else if (position >= 0 && line[position] == '*' && position == prefixLength)
            {
                // Same prefix: fine.
            }
            else if (position < 0)
            {
                lines[i] = "";
            }
            else
            {
                havePrefix = false;
                break;
            }
        }

        if (havePrefix)
        {
            prefixLength++;
            for (var i = 1; i < lines.Count; i++)
            {
                lines[i] = lines[i].Length <= prefixLength ? "" : lines[i][prefixLength..];
            }
        }

        // The common indentation of the lines after the first.
        var indent = int.MaxValue;
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var position = FirstNonBlank(lines[i]);
            if (position >= 0 && position < indent)
            {
                indent = position;
            }
        }

        if (indent != int.MaxValue)
        {
            for (var i = 1; i < lines.Count; i++)
            {
                lines[i] = lines[i].Length <= indent ? "" : lines[i][indent..];
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd(' ', '\t');
        }

        if (lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static int FirstNonBlank(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is not (' ' or '\t'))
            {
                return i;
            }
        }

        return -1;
    }
}
