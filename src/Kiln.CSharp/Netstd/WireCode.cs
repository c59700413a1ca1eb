using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Statements that read and write one value on a <c>TProtocol</c> (<c>iprot</c> / <c>oprot</c>),
/// and the expressions that deep-copy, compare and hash it, as the netstd generator writes them.
/// </summary>
internal sealed class WireCode
{
    private readonly NetstdTypes _types;
    private readonly TempNames _temps;
    private readonly NetstdOptions _options;

    public WireCode(NetstdTypes types, TempNames temps, NetstdOptions options)
    {
        _types = types;
        _temps = temps;
        _options = options;
    }

    /// <summary>Reads a value of <paramref name="type"/> into <paramref name="target"/>, an assignable expression.</summary>
    public void Read(CodeWriter w, ThriftType type, string target)
    {
        var name = _types.Name(type);
        switch (NetstdTypes.Category(type))
        {
            case TypeCategory.Enum:
                w.Line($"{target} = ({name})await iprot.ReadI32Async(cancellationToken);");
                break;
            case TypeCategory.Union when _options.Union:
                w.Line($"{target} = await {name}.ReadAsync(iprot, cancellationToken);");
                break;
            case TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception:
                w.Line($"{target} = new {name}();");
                w.Line($"await {target}.ReadAsync(iprot, cancellationToken);");
                break;
            case TypeCategory.List or TypeCategory.Set:
                ReadSequence(w, type.TrueType, target, name);
                break;
            case TypeCategory.Map:
                ReadMap(w, (MapType)type.TrueType, target, name);
                break;
            default:
                w.Line($"{target} = await iprot.{ReadMethod(type)}(cancellationToken);");
                break;
        }
    }

    private void ReadSequence(CodeWriter w, ThriftType type, string target, string name)
    {
        var isList = type is ListType;
        var element = type is ListType list ? list.Element : ((SetType)type).Element;
        var kind = isList ? "List" : "Set";
        using (w.Block())
        {
            var header = _temps.Next(isList ? "_list" : "_set");
            w.Line($"var {header} = await iprot.Read{kind}BeginAsync(cancellationToken);");
            w.Line($"{target} = new {name}({header}.Count);");
            var index = _temps.Next("_i");
            using (w.Block($"for(int {index} = 0; {index} < {header}.Count; ++{index})"))
            {
                var elem = _temps.Next("_elem");
                w.Line($"{_types.Name(element)} {elem};");
                Read(w, element, elem);
                w.Line($"{target}.Add({elem});");
            }

            w.Line($"await iprot.Read{kind}EndAsync(cancellationToken);");
        }
    }

    private void ReadMap(CodeWriter w, MapType map, string target, string name)
    {
        using (w.Block())
        {
            var header = _temps.Next("_map");
            w.Line($"var {header} = await iprot.ReadMapBeginAsync(cancellationToken);");
            w.Line($"{target} = new {name}({header}.Count);");
            var index = _temps.Next("_i");
            using (w.Block($"for(int {index} = 0; {index} < {header}.Count; ++{index})"))
            {
                var key = _temps.Next("_key");
                var value = _temps.Next("_val");
                w.Line($"{_types.Name(map.Key)} {key};");
                w.Line($"{_types.Name(map.Value)} {value};");
                Read(w, map.Key, key);
                Read(w, map.Value, value);
                w.Line($"{target}[{key}] = {value};");
            }

            w.Line("await iprot.ReadMapEndAsync(cancellationToken);");
        }
    }

    /// <summary>Writes the value of <paramref name="value"/>, an expression of <paramref name="type"/>.</summary>
    public void Write(CodeWriter w, ThriftType type, string value)
    {
        switch (NetstdTypes.Category(type))
        {
            case TypeCategory.Enum:
                w.Line($"await oprot.WriteI32Async((int){value}, cancellationToken);");
                break;
            case TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception:
                w.Line($"await {value}.WriteAsync(oprot, cancellationToken);");
                break;
            case TypeCategory.List or TypeCategory.Set:
                {
                    var isList = type.TrueType is ListType;
                    var element = type.TrueType is ListType list ? list.Element : ((SetType)type.TrueType).Element;
                    var kind = isList ? "List" : "Set";
                    var header = isList ? "TList" : "TSet";
                    w.Line($"await oprot.Write{kind}BeginAsync(new {header}({NetstdTypes.TType(element)}, {value}.Count), cancellationToken);");
                    var iter = _temps.Next("_iter");
                    using (w.Block($"foreach ({_types.Name(element)} {iter} in {value})"))
                    {
                        Write(w, element, iter);
                    }

                    w.Line($"await oprot.Write{kind}EndAsync(cancellationToken);");
                    break;
                }

            case TypeCategory.Map:
                {
                    var map = (MapType)type.TrueType;
                    w.Line($"await oprot.WriteMapBeginAsync(new TMap({NetstdTypes.TType(map.Key)}, {NetstdTypes.TType(map.Value)}, {value}.Count), cancellationToken);");
                    var iter = _temps.Next("_iter");
                    using (w.Block($"foreach ({_types.Name(map.Key)} {iter} in {value}.Keys)"))
                    {
                        Write(w, map.Key, iter);
                        Write(w, map.Value, $"{value}[{iter}]");
                    }

                    w.Line("await oprot.WriteMapEndAsync(cancellationToken);");
                    break;
                }

            default:
                w.Line($"await oprot.{WriteMethod(type)}({value}, cancellationToken);");
                break;
        }
    }

    /// <summary>A deep copy of a non-null <paramref name="value"/>.</summary>
    public string DeepCopy(ThriftType type, string value) => NetstdTypes.Category(type) switch
    {
        TypeCategory.List or TypeCategory.Set or TypeCategory.Map => $"{value}.DeepCopy()",
        TypeCategory.Binary => $"{value}.ToArray()",
        TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception => $"({_types.Name(type)}){value}.DeepCopy()",
        _ => value,
    };

    /// <summary>
    /// A deep copy inside the collection extensions: null stays null, as thrift writes it; under <c>net6</c> thrift
    /// asserts the element is not null instead (see <see cref="NetstdQuirks.Net6CopiesNullAsEmpty"/>).
    /// </summary>
    public string ElementCopy(ThriftType type, string value)
    {
        var category = NetstdTypes.Category(type);
        if (!NetstdTypes.IsNullable(type))
        {
            return value;
        }

        var copy = category switch
        {
            TypeCategory.List or TypeCategory.Set or TypeCategory.Map or TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception => $"{value}.DeepCopy()",
            TypeCategory.Binary => $"{value}.ToArray()",
            _ => value,
        };
        return _options.Net6 ? copy + "!" : $"({value} != null) ? {copy} : null";
    }

    public static bool ComparesAsCollection(ThriftType type) =>
        NetstdTypes.Category(type) is TypeCategory.List or TypeCategory.Set or TypeCategory.Map or TypeCategory.Binary;

    /// <summary>Equality of two values: by elements for containers and binary.</summary>
    public static string Equal(ThriftType type, string left, string right) => ComparesAsCollection(type)
        ? $"TCollections.Equals({left}, {right})"
        : $"global::System.Object.Equals({left}, {right})";

    /// <summary>A hash of a non-null value consistent with <see cref="Equal"/>.</summary>
    public static string Hash(ThriftType type, string value) => ComparesAsCollection(type)
        ? $"TCollections.GetHashCode({value})"
        : $"{value}.GetHashCode()";

    private static string ReadMethod(ThriftType type) => NetstdTypes.Category(type) switch
    {
        TypeCategory.Bool => "ReadBoolAsync",
        TypeCategory.I8 => "ReadByteAsync",
        TypeCategory.I16 => "ReadI16Async",
        TypeCategory.I32 => "ReadI32Async",
        TypeCategory.I64 => "ReadI64Async",
        TypeCategory.Double => "ReadDoubleAsync",
        TypeCategory.Binary => "ReadBinaryAsync",
        TypeCategory.Uuid => "ReadUuidAsync",
        _ => "ReadStringAsync",
    };

    private static string WriteMethod(ThriftType type) => NetstdTypes.Category(type) switch
    {
        TypeCategory.Bool => "WriteBoolAsync",
        TypeCategory.I8 => "WriteByteAsync",
        TypeCategory.I16 => "WriteI16Async",
        TypeCategory.I32 => "WriteI32Async",
        TypeCategory.I64 => "WriteI64Async",
        TypeCategory.Double => "WriteDoubleAsync",
        TypeCategory.Binary => "WriteBinaryAsync",
        TypeCategory.Uuid => "WriteUuidAsync",
        _ => "WriteStringAsync",
    };
}
