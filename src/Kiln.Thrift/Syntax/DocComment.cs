using System.Buffers;

namespace Kiln.Thrift.Syntax;

/// <summary>The text of a <c>/** */</c> comment as thrift 0.17 keeps it (<c>clean_up_doctext</c> in main.cc).</summary>
internal static class DocComment
{
    /// <summary>Removes the comment markers, the common <c>*</c> prefix and indentation, and trailing blanks; each line ends in '\n'.</summary>
    /// <remarks>
    /// Every struct, field and function of a documented IDL has one of these, so the steps of
    /// thrift's algorithm work on (start, length) slices of one scratch copy of the comment, and
    /// only the finished text becomes a string.
    /// </remarks>
    public static string? Clean(ReadOnlySpan<char> comment)
    {
        // thrift keeps the text after "/**", with the closing "*/" turned into one space; '\r' is dropped.
        var inner = comment.Length >= 5 ? comment[3..^2] : default;
        char[]? rented = null;
        var body = inner.Length < 512 ? stackalloc char[inner.Length + 1] : (rented = ArrayPool<char>.Shared.Rent(inner.Length + 1));
        var bodyLength = 0;
        foreach (var c in inner)
        {
            if (c != '\r')
            {
                body[bodyLength++] = c;
            }
        }

        body[bodyLength++] = ' ';
        body = body[..bodyLength];

        var lines = t_lines ??= [];
        lines.Clear();
        try
        {
            return Clean(body, lines);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Scratch list of line slices, reused by every comment a thread cleans.</summary>
    [ThreadStatic]
    private static List<Slice>? t_lines;

    /// <summary>A line of the comment body: where it starts and how long it is now.</summary>
    private record struct Slice(int Start, int Length)
    {
        public readonly Slice Skip(int count) => Length <= count ? new Slice(Start, 0) : new Slice(Start + count, Length - count);
    }

    private static string? Clean(ReadOnlySpan<char> body, List<Slice> lines)
    {
        var last = 0;
        while (true)
        {
            var newline = body[last..].IndexOf('\n');
            if (newline < 0)
            {
                if (body[last..].TrimStart(" \t").Length > 0)
                {
                    lines.Add(new Slice(last, body.Length - last));
                }

                break;
            }

            lines.Add(new Slice(last, newline));
            last += newline + 1;
        }

        if (lines.Count == 0)
        {
            return null;
        }

        var first = lines[0];
        var leading = body.Slice(first.Start, first.Length).Length - body.Slice(first.Start, first.Length).TrimStart(" \t").Length;
        lines[0] = first.Skip(leading);

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

            var text = body.Slice(line.Start, line.Length);
            var position = FirstNonBlank(text);
            if (!foundPrefix)
            {
                if (position >= 0)
                {
                    if (text[position] == '*')
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
                    lines[i] = new Slice(line.Start, 0);
                }
            }
            else if (position >= 0 && text[position] == '*' && position == prefixLength)
            {
                // Same prefix: fine.
            }
            else if (position < 0)
            {
                lines[i] = new Slice(line.Start, 0);
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
                lines[i] = lines[i].Skip(prefixLength);
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

            var position = FirstNonBlank(body.Slice(lines[i].Start, lines[i].Length));
            if (position >= 0 && position < indent)
            {
                indent = position;
            }
        }

        if (indent != int.MaxValue)
        {
            for (var i = 1; i < lines.Count; i++)
            {
                lines[i] = lines[i].Skip(indent);
            }
        }

        var total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            lines[i] = new Slice(line.Start, body.Slice(line.Start, line.Length).TrimEnd(" \t").Length);
            total += lines[i].Length + 1;
        }

        var from = 0;
        if (lines[0].Length == 0)
        {
            from = 1;
            total--;
        }

        if (total == 0)
        {
            return "";
        }

        char[]? rented = null;
        var output = total <= 512 ? stackalloc char[total] : (rented = ArrayPool<char>.Shared.Rent(total));
        var at = 0;
        for (var i = from; i < lines.Count; i++)
        {
            body.Slice(lines[i].Start, lines[i].Length).CopyTo(output[at..]);
            at += lines[i].Length;
            output[at++] = '\n';
        }

        var result = new string(output[..total]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }

    private static int FirstNonBlank(ReadOnlySpan<char> line)
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
