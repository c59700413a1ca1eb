namespace Kiln.Text;

/// <summary>
/// The text of one source file and the path it is reported under. Line starts are computed
/// once, lazily, so that turning an offset into a line and column is a binary search.
/// </summary>
/// <remarks>
/// The path is opaque here: this layer never touches the disk. Columns count UTF-16 code
/// units from 1; front ends that need another convention (protoc's tab stops) convert.
/// </remarks>
public sealed class SourceText
{
    private int[]? _lineStarts;

    public SourceText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        Path = path;
        Text = text;
    }

    public string Path { get; }

    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>Offsets at which each line starts; the first is always 0.</summary>
    public ReadOnlySpan<int> LineStarts => _lineStarts ??= ComputeLineStarts(Text);

    public LinePosition GetLinePosition(int offset)
    {
        if ((uint)offset > (uint)Text.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset is outside the text of {Path} (length {Text.Length})");
        }

        var starts = LineStarts;
        var line = starts.BinarySearch(offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new LinePosition(line + 1, offset - starts[line] + 1);
    }

    /// <summary>The text of a 1-based line, without its line break.</summary>
    public ReadOnlySpan<char> GetLineText(int line)
    {
        var starts = LineStarts;
        if (line < 1 || line > starts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(line), line, $"{Path} has {starts.Length} lines");
        }

        var start = starts[line - 1];
        var end = line < starts.Length ? starts[line] : Text.Length;
        var span = Text.AsSpan(start, end - start);
        return span.TrimEnd("\r\n");
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                starts.Add(i + 1);
            }
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }
}
