using System.Runtime.CompilerServices;

namespace Kiln.Protobuf.Syntax;

/// <summary>protoc's <c>DescriptorPool::ErrorCollector::ErrorLocation</c>.</summary>
internal enum ErrorLocation : byte
{
    Name,
    Number,
    Type,
    Extendee,
    DefaultValue,
    InputType,
    OutputType,
    OptionName,
    OptionValue,
    Import,
    Editions,
    Other,
}

/// <summary>
/// protoc's <c>SourceLocationTable</c>: where in the text a descriptor element came from, keyed by
/// the identity of the parsed proto object, so the linker can report errors at protoc's positions.
/// </summary>
internal sealed class SourceLocationTable
{
    // Positions are recorded for every element but looked up only when the linker reports an error
    // or a warning, which few files have. So they are appended to a list, and the identity-keyed
    // dictionary is built on the first lookup: hashing every parsed element up front (identity hash
    // codes are assigned lazily, per object) was a visible share of parsing.
    private readonly List<(Key Key, int Line, int Column)> _entries;
    private readonly Lock _gate = new();
    private Dictionary<Key, (int Line, int Column)>? _map;
    private readonly Dictionary<(object, string), (int Line, int Column)> _imports = new(ImportKeyComparer.Instance);

    /// <param name="expectedEntries">How many positions the parser will probably record (growing the list by doubling allocated it twice over).</param>
    public SourceLocationTable(int expectedEntries = 0) => _entries = new(expectedEntries);

    private readonly record struct Key(object Element, ErrorLocation Location)
    {
        public bool Equals(Key other) => ReferenceEquals(Element, other.Element) && Location == other.Location;

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Element) * 31 + (int)Location;
    }

    public void Add(object element, ErrorLocation location, int line, int column)
    {
        _entries.Add((new Key(element, location), line, column));
        _map = null;
    }

    public void AddImport(object element, string name, int line, int column) => _imports[(element, name)] = (line, column);

    public bool Find(object element, ErrorLocation location, out int line, out int column)
    {
        if (Map().TryGetValue(new Key(element, location), out var p))
        {
            (line, column) = p;
            return true;
        }

        line = -1;
        column = 0;
        return false;
    }

    private Dictionary<Key, (int Line, int Column)> Map()
    {
        lock (_gate)
        {
            if (_map == null)
            {
                var map = new Dictionary<Key, (int Line, int Column)>(_entries.Count);
                foreach (var (key, line, column) in _entries)
                {
                    map[key] = (line, column); // a later record of the same element wins, as before
                }

                _map = map;
            }

            return _map;
        }
    }

    public bool FindImport(object element, string name, out int line, out int column)
    {
        if (_imports.TryGetValue((element, name), out var p))
        {
            (line, column) = p;
            return true;
        }

        line = -1;
        column = 0;
        return false;
    }

    private sealed class ImportKeyComparer : IEqualityComparer<(object, string)>
    {
        public static readonly ImportKeyComparer Instance = new();

        public bool Equals((object, string) x, (object, string) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((object, string) obj) => RuntimeHelpers.GetHashCode(obj.Item1) ^ obj.Item2.GetHashCode(StringComparison.Ordinal);
    }
}
