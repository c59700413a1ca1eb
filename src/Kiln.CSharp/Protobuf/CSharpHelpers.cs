using System.Globalization;
using System.Text;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.CSharp.Protobuf;

/// <summary>protoc's <c>csharp_helpers.cc</c>: member names, presence rules, wire tags and literals.</summary>
internal static class CSharpHelpers
{
    private static readonly HashSet<string> ReservedMemberNames = new(StringComparer.Ordinal)
    {
        "Types", "Descriptor", "Equals", "ToString", "GetHashCode", "WriteTo", "Clone", "CalculateSize", "MergeFrom", "OnConstruction", "Parser",
    };

    /// <summary>A group's field takes its type's name (the field name is the lower-cased type name).</summary>
    public static string GetFieldName(CsField field) => IsGroupLike(field) ? field.MessageType!.Name : field.Name;

    /// <summary>protoc's <c>IsGroupLike</c>: a group (or delimited) field named as its type lower-cased, declared beside it in the same file.</summary>
    public static bool IsGroupLike(CsField field)
    {
        if (field.Type != FieldType.Group)
        {
            return false;
        }

        var type = field.MessageType!;
        if (field.Name != type.Name.ToLowerInvariant() || type.File != field.File)
        {
            return false;
        }

        return field.IsExtension ? type.ContainingType == field.ExtensionScope : type.ContainingType == field.ContainingType;
    }

    /// <summary>The property name: Pascal case, with <c>_</c> when it would clash with the message's name or a generated member.</summary>
    public static string GetPropertyName(CsField field)
    {
        var name = CSharpNames.UnderscoresToPascalCase(GetFieldName(field));
        return name == field.ContainingType.Name || ReservedMemberNames.Contains(name) ? name + "_" : name;
    }

    public static string GetFieldConstantName(CsField field) => GetPropertyName(field) + "FieldNumber";

    public static string GetOneofCaseName(CsField field)
    {
        var name = GetPropertyName(field);
        return name == "None" ? "None_" : name;
    }

    public static string GetFullExtensionName(CsField extension) => extension.ExtensionScope != null
        ? extension.ExtensionScope.ClassName + ".Extensions." + GetPropertyName(extension)
        : CSharpNames.GetExtensionClassUnqualifiedName(extension.File.Proto) + "." + GetPropertyName(extension);

    public static bool IsWrapperType(CsField field) => field.Type == FieldType.Message && field.MessageType!.File.Name == "google/protobuf/wrappers.proto";

    /// <summary>Has/Clear members: fields with presence except singular messages (null is their "not set").</summary>
    public static bool SupportsPresenceApi(CsField field) => field.Type != FieldType.Message && field.HasPresence;

    /// <summary>A has-bit is kept for value-typed fields with presence outside oneofs.</summary>
    public static bool RequiresPresenceBit(CsField field) => SupportsPresenceApi(field) && !IsNullable(field) && !field.IsExtension && field.RealContainingOneof == null;

    public static bool IsNullable(CsField field) => field.IsRepeated || field.Type is FieldType.Message or FieldType.Group or FieldType.String or FieldType.Bytes;

    public static bool IsDescriptorProto(CsFile file) => file.Name is "google/protobuf/descriptor.proto" or "net/proto2/proto/descriptor.proto";

    /// <summary>The byte size of fixed-width encodings, -1 for the others.</summary>
    public static int GetFixedSize(FieldType type) => type switch
    {
        FieldType.Fixed32 or FieldType.Sfixed32 or FieldType.Float => 4,
        FieldType.Fixed64 or FieldType.Sfixed64 or FieldType.Double => 8,
        FieldType.Bool => 1,
        _ => -1,
    };

    public static int WireType(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.Sfixed64 => 1,
        FieldType.String or FieldType.Bytes or FieldType.Message => 2,
        FieldType.Group => 3,
        FieldType.Float or FieldType.Fixed32 or FieldType.Sfixed32 => 5,
        _ => 0,
    };

    public static uint MakeTag(int number, int wireType) => ((uint)number << 3) | (uint)wireType;

    public static int VarintSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>The tag's varint bytes as protoc lists them for <c>WriteRawTag</c>: <c>"8"</c>, <c>"146, 1"</c>.</summary>
    public static string TagBytes(uint tag, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            var b = tag & 0x7F;
            tag >>= 7;
            text.Append((tag != 0 ? b | 0x80 : b).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public static string Decimal(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>absl's <c>StrCat</c> of a double: six significant digits, as C's <c>%.6g</c>.</summary>
    public static string SixDigits(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var text = value.ToString("G6", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        return e < 0 ? text : string.Concat(text.AsSpan(0, e), "e", text.AsSpan(e + 1));
    }

    /// <summary>A default value's bytes from the descriptor's C-escaped text (protoc writes bytes defaults with <c>CEscape</c>).</summary>
    public static byte[] UnescapeBytes(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                if (c < 0x80)
                {
                    bytes.Add((byte)c);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }

                continue;
            }

            c = text[++i];
            switch (c)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case 'x' or 'X':
                    {
                        var value = 0;
                        var digits = 0;
                        while (digits < 2 && i + 1 < text.Length && char.IsAsciiHexDigit(text[i + 1]))
                        {
                            value = (value * 16) + Convert.ToInt32(text[++i].ToString(), 16);
                            digits++;
                        }

                        bytes.Add((byte)value);
                        break;
                    }

                case >= '0' and <= '7':
                    {
                        var value = c - '0';
                        for (var digits = 1; digits < 3 && i + 1 < text.Length && text[i + 1] is >= '0' and <= '7'; digits++)
                        {
                            value = (value * 8) + (text[++i] - '0');
                        }

                        bytes.Add((byte)value);
                        break;
                    }

                default: bytes.Add((byte)c); break;
            }
        }

        return [.. bytes];
    }
}
