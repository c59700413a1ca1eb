namespace Kiln.Thrift.Syntax;

/// <summary>
/// Hands out one string per distinct name, looked up by span, so that parsing does not allocate
/// a new string for every identifier it meets: a thrift file repeats the same few names (field
/// names, type names, <c>inc.Type</c> references) over and over, and the syntax trees of a big
/// workspace all stay in memory for the whole build. One table per thread, shared by the files
/// that thread parses; it is only a cache, so it is emptied when it grows large.
/// </summary>
internal sealed class NameTable
{
    /// <summary>Beyond this many names the table starts over, so memory stays bounded in long-lived processes.</summary>
    private const int MaxNames = 1 << 16;

    /// <summary>Names this long are rarely repeated; they are not worth keeping.</summary>
    private const int MaxInternedLength = 64;

    [ThreadStatic]
    private static NameTable? t_current;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private NameTable() => _bySpan = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The table of the calling thread.</summary>
    public static NameTable ForCurrentThread() => t_current ??= new NameTable();

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxInternedLength)
        {
            return text.ToString();
        }

        if (_bySpan.TryGetValue(text, out var name))
        {
            return name;
        }

        if (_names.Count >= MaxNames)
        {
            _names.Clear();
        }

        name = text.ToString();
        _names.Add(name, name);
        return name;
    }
}
