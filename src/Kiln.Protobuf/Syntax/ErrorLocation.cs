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
    private readonly Dictionary<Key, (int Line, int Column)> _map = new();
    private readonly Dictionary<(object, string), (int Line, int Column)> _imports = new(ImportKeyComparer.Instance);

    private readonly record struct Key(object Element, ErrorLocation Location)
    {
        public bool Equals(Key other) => ReferenceEquals(Element, other.Element) && Location == other.Location;

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Element) * 31 + (int)Location;
    }

    public void Add(object element, ErrorLocation location, int line, int column) => _map[new Key(element, location)] = (line, column);

    public void AddImport(object element, string name, int line, int column) => _imports[(element, name)] = (line, column);

    public bool Find(object element, ErrorLocation location, out int line, out int column)
    {
        if (_map.TryGetValue(new Key(element, location), out var p))
        {
            (line, column) = p;
            return true;
        }

        line = -1;
        column = 0;
        return false;
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
