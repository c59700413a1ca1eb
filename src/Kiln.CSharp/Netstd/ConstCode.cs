using System.Globalization;
using System.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>C# for constant values: literals for scalars, statements that fill containers and structs.</summary>
internal sealed class ConstCode
{
    private readonly NetstdTypes _types;
    private readonly TempNames _temps;
    private readonly Func<DefinitionRef, StructModel?> _structOf;
    private readonly NetstdOptions _options;

    public ConstCode(NetstdTypes types, TempNames temps, Func<DefinitionRef, StructModel?> structOf, NetstdOptions options)
    {
        _types = types;
        _temps = temps;
        _structOf = structOf;
        _options = options;
    }

    /// <summary>True when the value is a literal expression; false when it needs statements (<see cref="Assign"/>).</summary>
    public static bool IsScalar(ThriftType type) => !NetstdTypes.IsContainer(type) && !NetstdTypes.IsStructLike(type);

    /// <summary>A literal (or simple expression) of a scalar type.</summary>
    public string Literal(ThriftType type, ConstValue value)
    {
        var category = NetstdTypes.Category(type);
        switch (category)
        {
            case TypeCategory.Bool:
                return value switch
                {
                    IntegerConst integer => integer.Value != 0 ? "true" : "false",
                    _ => "false",
                };
            case TypeCategory.I8 or TypeCategory.I16 or TypeCategory.I32 or TypeCategory.I64:
                return value switch
                {
                    IntegerConst integer => IntegerLiteral(integer.Value, category),
                    EnumConst member => member.Value.ToString(CultureInfo.InvariantCulture),
                    _ => "0",
                };
            case TypeCategory.Double:
                return value switch
                {
                    IntegerConst integer => integer.Value.ToString(CultureInfo.InvariantCulture),
                    DoubleConst real => DoubleLiteral(real.Value),
                    _ => "0",
                };
            case TypeCategory.String:
                return value is StringConst text ? StringLiteral(text.Value) : "\"\"";
            case TypeCategory.Binary:
                return value is StringConst bytes ? $"System.Text.Encoding.UTF8.GetBytes({StringLiteral(bytes.Value)})" : "new byte[0]";
            case TypeCategory.Uuid:
                return value is StringConst uuid ? $"new global::System.Guid({StringLiteral(uuid.Value)})" : "global::System.Guid.Empty";
            case TypeCategory.Enum:
                {
                    var name = _types.Name(type);
                    return value switch
                    {
                        EnumConst member => $"{name}.{NetstdNames.Escape(member.Member)}",
                        IntegerConst integer => $"({name}){integer.Value.ToString(CultureInfo.InvariantCulture)}",
                        _ => $"default({name})",
                    };
                }

            default:
                return "null";
        }
    }

    /// <summary>
    /// Statements that make <paramref name="target"/> hold the value: a new container filled item by item,
    /// or a new struct with its fields set, as thrift's netstd generator initializes them.
    /// </summary>
    public void Assign(CodeWriter w, ThriftType type, ConstValue value, string target, bool create = true)
    {
        if (IsScalar(type))
        {
            w.Line($"{target} = {Literal(type, value)};");
            return;
        }

        var name = _types.Name(type);
        if (create)
        {
            w.Line($"{target} = new {name}();");
        }

        if (value is ListConst { Constant: not null } or MapConst { Constant: not null } && NetstdQuirks.ContainerNamingAConstantStartsEmpty)
        {
            return;
        }

        switch (type.TrueType, value)
        {
            case (ListType list, ListConst items):
                foreach (var item in items.Items)
                {
                    // Value may write statements of its own (a nested struct or container), so it runs
                    // before the line starts: CodeWriter.Line writes interpolation holes in place.
                    var element = Value(w, list.Element, item);
                    w.Line($"{target}.Add({element});");
                }

                break;
            case (SetType set, ListConst items):
                foreach (var item in items.Items)
                {
                    // Value may write statements of its own (a nested struct or container), so it runs
                    // before the line starts: CodeWriter.Line writes interpolation holes in place.
                    var element = Value(w, set.Element, item);
                    w.Line($"{target}.Add({element});");
                }

                break;
            case (MapType map, MapConst entries):
                foreach (var entry in entries.Entries)
                {
                    var key = Value(w, map.Key, entry.Key);
                    var item = Value(w, map.Value, entry.Value);
                    w.Line($"{target}[{key}] = {item};");
                }

                break;
            case (NamedType named, StructConst fields):
                var model = _structOf(named.Definition);
                if (model is null)
                {
                    break;
                }

                var properties = NetstdNames.Properties(model.Name, model.Fields.Select(field => field.Name), _options.Pascal);
                foreach (var field in fields.Fields)
                {
                    var index = IndexOf(model, field.Name);
                    if (index < 0)
                    {
                        continue;
                    }

                    var item = Value(w, model.Fields[index].Type, field.Value);
                    w.Line($"{target}.{properties[index]} = {item};");
                }

                break;
        }
    }

    /// <summary>An expression for a value, declaring a temporary first when it is a container or struct.</summary>
    public string Value(CodeWriter w, ThriftType type, ConstValue value)
    {
        if (IsScalar(type))
        {
            return Literal(type, value);
        }

        var temp = _temps.Next();
        w.Line($"{_types.Name(type)} {temp} = new {_types.Name(type)}();");
        Assign(w, type, value, temp, create: false);
        return temp;
    }

    private static int IndexOf(StructModel model, string fieldName)
    {
        for (var i = 0; i < model.Fields.Count; i++)
        {
            if (model.Fields[i].Name == fieldName)
            {
                return i;
            }
        }

        return -1;
    }

    private static string IntegerLiteral(long value, TypeCategory category)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return category switch
        {
            // long.MinValue has no literal form; the others convert implicitly from an int or long literal.
            TypeCategory.I64 when value == long.MinValue => "long.MinValue",
            TypeCategory.I64 => text,
            TypeCategory.I8 when value is < sbyte.MinValue or > sbyte.MaxValue => $"unchecked((sbyte){text})",
            TypeCategory.I16 when value is < short.MinValue or > short.MaxValue => $"unchecked((short){text})",
            TypeCategory.I32 when value is < int.MinValue or > int.MaxValue => $"unchecked((int){text})",
            _ => text,
        };
    }

    public static string DoubleLiteral(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        // Integral values print without ".0", as thrift writes them; C# converts the int literal.
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A C# regular string literal with every character that needs it escaped.</summary>
    public static string StringLiteral(string value)
    {
        var result = new StringBuilder(value.Length + 2);
        result.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case '\0': result.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        result.Append('"');
        return result.ToString();
    }
}
