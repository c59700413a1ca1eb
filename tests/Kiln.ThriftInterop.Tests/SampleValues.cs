using System.Collections;
using System.Reflection;
using System.Text;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
using ThriftConfiguration = Thrift.TConfiguration;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// Deterministic pseudo-random values of generated types, built by reflection. The same seed gives
/// the same value for two types of the same shape (Kiln's and thrift's), because members are visited
/// in name order and every random draw depends only on the shape.
/// </summary>
internal sealed class SampleValues(int seed)
{
    private const int MaxDepth = 7;
    private readonly Random random = new(seed);

    public static readonly string[] ProtocolNames = ["binary", "compact", "json"];

    public static TProtocol Protocol(string name, TTransport transport) => name switch
    {
        "binary" => new TBinaryProtocol(transport),
        "compact" => new TCompactProtocol(transport),
        "json" => new TJsonProtocol(transport),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "binary, compact or json"),
    };

    /// <summary>
    /// Generated structs and exceptions of an assembly (every public <see cref="TBase"/>, the services'
    /// nested argument and result structs too), by name.
    /// </summary>
    public static IReadOnlyList<Type> DataTypes(Assembly assembly) =>
        [.. assembly.GetExportedTypes()
            .Where(type => !type.IsAbstract && typeof(TBase).IsAssignableFrom(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal)];

    /// <summary>A type's name without its namespace: <c>Xtruct</c>, <c>ThriftTest.InternalStructs.testI32_args</c>.</summary>
    public static string ShortName(Type type) => type.IsNested ? ShortName(type.DeclaringType!) + "." + type.Name : type.Name;

    /// <summary>Public settable instance properties, in name order: the fields of a generated type.</summary>
    public static IReadOnlyList<PropertyInfo> Fields(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(property => property.CanWrite && property.GetIndexParameters().Length == 0)
            .OrderBy(property => property.Name, StringComparer.Ordinal)];

    /// <summary>The <c>__isset</c> flags of a generated type, by name; empty when it has none.</summary>
    public static IReadOnlyList<FieldInfo> IssetFlags(Type type) =>
        type.GetField("__isset", BindingFlags.Public | BindingFlags.Instance) is { } isset
            ? [.. isset.FieldType.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(flag => flag.FieldType == typeof(bool)).OrderBy(flag => flag.Name, StringComparer.Ordinal)]
            : [];

    /// <summary>A short description of a type's shape (fields and their types, isset flags), to check both sides agree before comparing values.</summary>
    public static string Shape(Type type) =>
        string.Join(", ", Fields(type).Select(property => $"{property.Name}: {TypeName(property.PropertyType)}"))
        + " | isset: " + string.Join(", ", IssetFlags(type).Select(flag => flag.Name));

    public static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.IsEnum || typeof(TBase).IsAssignableFrom(type) ? type.FullName! : type.Name;

    /// <summary>A value with every field filled, then about a third of the optional ones unset again.</summary>
    public object Create(Type type) => CreateValue(type, 0)!;

    private object? CreateValue(Type type, int depth)
    {
        if (type == typeof(bool)) return random.Next(2) == 1;
        if (type == typeof(sbyte)) return (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
        if (type == typeof(short)) return (short)random.Next(short.MinValue, short.MaxValue + 1);
        if (type == typeof(int)) return random.Next(4) == 0 ? random.Next(-100, 100) : random.Next(int.MinValue, int.MaxValue);
        if (type == typeof(long)) return random.Next(4) == 0 ? random.Next(-100, 100) : random.NextInt64(long.MinValue, long.MaxValue);
        if (type == typeof(double)) return random.Next(3) switch
        {
            0 => random.Next(-1000, 1000) / 8.0,
            1 => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FEF_FFFF_FFFF_FFFF)) * (random.Next(2) == 0 ? -1 : 1),
            _ => random.NextDouble(),
        };
        if (type == typeof(string)) return RandomString();
        if (type == typeof(byte[])) return RandomBytes();
        if (type == typeof(Guid)) return new Guid(RandomBytes(16));
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().OrderBy(Convert.ToInt64).ToList();
            return values.Count == 0 ? Activator.CreateInstance(type) : values[random.Next(values.Count)];
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            var collection = Activator.CreateInstance(type)!;
            var count = depth >= MaxDepth ? 0 : random.Next(depth < 3 ? 1 : 0, 4);
            for (var i = 0; i < count; i++)
            {
                if (definition == typeof(Dictionary<,>))
                {
                    var key = CreateValue(arguments[0], depth + 1);
                    var value = CreateValue(arguments[1], depth + 1);
                    if (key is not null && value is not null)
                    {
                        ((IDictionary)collection)[key] = value;
                    }
                }
                else
                {
                    var element = CreateValue(arguments[0], depth + 1);
                    if (element is not null)
                    {
                        type.GetMethod("Add")!.Invoke(collection, [element]);
                    }
                }
            }

            return collection;
        }

        if (depth > MaxDepth * 2)
        {
            return null;
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var property in Fields(type))
        {
            var value = CreateValue(property.PropertyType, depth + 1);
            if (value is not null)
            {
                property.SetValue(instance, value);
            }
        }

        // Unset about a third of the fields that have a flag (required fields have none).
        if (type.GetField("__isset", BindingFlags.Public | BindingFlags.Instance) is { } issetField)
        {
            var isset = issetField.GetValue(instance)!;
            foreach (var flag in IssetFlags(type))
            {
                if (random.Next(3) == 0)
                {
                    flag.SetValue(isset, false);
                }
            }

            issetField.SetValue(instance, isset);
        }

        return instance;
    }

    private string RandomString()
    {
        const string alphabet = "abcXYZ09 _-\"\\/\n\t\u00e9\u00df\u2713\u4e2d";
        var length = random.Next(0, 12);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(10) == 0)
            {
                text.Append("\U0001F600");
            }
            else
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }
        }

        return text.ToString();
    }

    private byte[] RandomBytes(int? length = null)
    {
        var bytes = new byte[length ?? random.Next(0, 9)];
        random.NextBytes(bytes);
        return bytes;
    }

    public static async Task<byte[]> WriteAsync(TBase value, string protocol, CancellationToken cancellationToken)
    {
        using var transport = new TMemoryBufferTransport(new ThriftConfiguration());
        await value.WriteAsync(Protocol(protocol, transport), cancellationToken);
        await transport.FlushAsync(cancellationToken);
        return transport.GetBuffer();
    }

    public static async Task<TBase> ReadAsync(Type type, byte[] bytes, string protocol, CancellationToken cancellationToken)
    {
        using var transport = new TMemoryBufferTransport(bytes, new ThriftConfiguration());
        var value = (TBase)Activator.CreateInstance(type)!;
        await value.ReadAsync(Protocol(protocol, transport), cancellationToken);
        return value;
    }

    /// <summary>
    /// Compares two values of generated types field by field (and across the two generators' types):
    /// fields whose flag is unset on both sides are not compared; containers in iteration order
    /// (a reader keeps the wire order, so a value read back iterates like the one written).
    /// Returns null when equal, else the path of the first difference.
    /// </summary>
    public static string? Difference(object? a, object? b, string path = "")
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? null : $"{path}: {Show(a)} vs {Show(b)}";
        }

        var type = a.GetType();
        if (a is byte[] bytesA)
        {
            return b is byte[] bytesB && bytesA.AsSpan().SequenceEqual(bytesB) ? null : $"{path}: {Show(a)} vs {Show(b)}";
        }

        if (type.IsPrimitive || a is string || a is Guid || type.IsEnum)
        {
            if (a is double x && b is double y)
            {
                return BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y) ? null : $"{path}: {x:R} vs {y:R}";
            }

            return type.IsEnum && b.GetType().IsEnum
                ? Convert.ToInt64(a) == Convert.ToInt64(b) && a.ToString() == b.ToString() ? null : $"{path}: {a} vs {b}"
                : a.Equals(b) ? null : $"{path}: {Show(a)} vs {Show(b)}";
        }

        if (a is IDictionary dictionaryA)
        {
            if (b is not IDictionary dictionaryB || dictionaryA.Count != dictionaryB.Count)
            {
                return $"{path}: a map of {dictionaryA.Count} vs {Show(b)}";
            }

            var entriesA = Entries(dictionaryA);
            var entriesB = Entries(dictionaryB);
            for (var index = 0; index < entriesA.Count; index++)
            {
                var difference = Difference(entriesA[index].Key, entriesB[index].Key, $"{path}[key {index}]")
                    ?? Difference(entriesA[index].Value, entriesB[index].Value, $"{path}[value {index}]");
                if (difference is not null)
                {
                    return difference;
                }
            }

            return null;
        }

        if (a is IEnumerable enumerableA)
        {
            if (b is not IEnumerable enumerableB)
            {
                return $"{path}: a collection vs {Show(b)}";
            }

            var itemsA = enumerableA.Cast<object?>().ToList();
            var itemsB = enumerableB.Cast<object?>().ToList();
            if (itemsA.Count != itemsB.Count)
            {
                return $"{path}: {itemsA.Count} vs {itemsB.Count} elements";
            }

            for (var i = 0; i < itemsA.Count; i++)
            {
                if (Difference(itemsA[i], itemsB[i], $"{path}[{i}]") is { } difference)
                {
                    return difference;
                }
            }

            return null;
        }

        // A generated struct: compare flags, then the fields that are set.
        var typeB = b.GetType();
        if (type.Name != typeB.Name)
        {
            return $"{path}: {type.Name} vs {typeB.Name}";
        }

        var issetA = type.GetField("__isset")?.GetValue(a);
        var issetB = typeB.GetField("__isset")?.GetValue(b);
        var flagsB = IssetFlags(typeB).ToDictionary(flag => flag.Name, StringComparer.Ordinal);
        foreach (var flag in IssetFlags(type))
        {
            if (!flagsB.TryGetValue(flag.Name, out var flagB))
            {
                return $"{path}.__isset.{flag.Name}: missing on the other side";
            }

            if ((bool)flag.GetValue(issetA)! != (bool)flagB.GetValue(issetB)!)
            {
                return $"{path}.__isset.{flag.Name}: {flag.GetValue(issetA)} vs {flagB.GetValue(issetB)}";
            }
        }

        foreach (var property in Fields(type))
        {
            var propertyB = typeB.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (propertyB is null)
            {
                return $"{path}.{property.Name}: missing on the other side";
            }

            // A field whose flag is unset (on both sides, checked above) holds no value to compare.
            if (FlagOf(type, property) is { } flag && !(bool)flag.GetValue(issetA)!)
            {
                continue;
            }

            if (Difference(property.GetValue(a), propertyB.GetValue(b), $"{path}.{property.Name}") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    /// <summary>
    /// The isset flag of a property: the flag with the property's name up to case and trailing
    /// underscores (which netstd adds on name clashes), when exactly one matches.
    /// </summary>
    private static FieldInfo? FlagOf(Type type, PropertyInfo property)
    {
        var name = property.Name.TrimEnd('_');
        var matches = IssetFlags(type).Where(flag => string.Equals(flag.Name.TrimEnd('_'), name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : matches.FirstOrDefault(flag => flag.Name == char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);
    }

    private static List<DictionaryEntry> Entries(IDictionary dictionary)
    {
        var entries = new List<DictionaryEntry>(dictionary.Count);
        var enumerator = dictionary.GetEnumerator();
        while (enumerator.MoveNext())
        {
            entries.Add(enumerator.Entry);
        }

        return entries;
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        string text => $"\"{text}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
