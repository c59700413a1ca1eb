using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;
using static Kiln.CSharp.Protobuf.CSharpHelpers;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// protoc's <c>FieldGeneratorBase</c>: the template variables every field generator shares (names,
/// tags, default value, presence checks) and the members each kind of field overrides.
/// </summary>
internal abstract class FieldGeneratorBase
{
    protected FieldGeneratorBase(CsField field, int presenceIndex, CSharpOptions options)
    {
        Field = field;
        PresenceIndex = presenceIndex;
        Options = options;
        SetCommonFieldVariables();
    }

    protected CsField Field { get; }

    protected int PresenceIndex { get; }

    protected CSharpOptions Options { get; }

    /// <summary>The template variables (about 25 per field; sized once, not grown).</summary>
    protected Dictionary<string, string> Variables { get; } = new(32, StringComparer.Ordinal);

    public abstract void GenerateMembers(ProtocPrinter printer);

    public abstract void GenerateMergingCode(ProtocPrinter printer);

    public abstract void GenerateParsingCode(ProtocPrinter printer, bool useParseContext);

    public abstract void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext);

    public abstract void GenerateSerializedSizeCode(ProtocPrinter printer);

    public abstract void WriteHash(ProtocPrinter printer);

    public abstract void WriteEquals(ProtocPrinter printer);

    public abstract void GenerateCloningCode(ProtocPrinter printer);

    public virtual void GenerateCodecCode(ProtocPrinter printer)
    {
    }

    /// <summary>
    /// The static <c>pb::Extension</c> of a singular extension (protoc writes the same text from each
    /// singular generator; repeated ones override this, and a map is never an extension).
    /// </summary>
    public void GenerateExtensionCode(ProtocPrinter printer)
    {
        WritePropertyDocComment(printer);
        AddDeprecatedFlag(printer);
        printer.Print("$access_level$ static readonly $extension$<$extended_type$, $type_name$> $property_name$ =\n  new $extension$<$extended_type$, $type_name$>($number$, ",
            "access_level", Variables["access_level"], "extension", ExtensionClass, "extended_type", Variables["extended_type"], "type_name", Variables["type_name"],
            "property_name", Variables["property_name"], "number", Variables["number"]);
        GenerateExtensionCodec(printer);
        printer.Print(");\n");
    }

    /// <summary>The runtime's extension class: <c>pb::Extension</c>, or <c>pb::RepeatedExtension</c> for repeated fields.</summary>
    protected virtual string ExtensionClass => "pb::Extension";

    /// <summary>The codec an extension is made with (a repeated extension takes its element's).</summary>
    protected virtual void GenerateExtensionCodec(ProtocPrinter printer) => GenerateCodecCode(printer);

    /// <summary>
    /// A property over the nullable field <c>name_</c> (message and wrapper fields), with Has/Clear
    /// members when the field has the presence API; protoc's wrapper templates put a blank line after
    /// the property and after Has, its message templates do not.
    /// </summary>
    protected void WriteNullableProperty(ProtocPrinter printer, bool blankLines)
    {
        var end = blankLines ? "}\n\n" : "}\n";
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ $type_name$ $property_name$ {\n  get { return $name$_; }\n  set {\n    $name$_ = value;\n  }\n");
        printer.Print(end);
        if (!SupportsPresenceApi(Field))
        {
            return;
        }

        printer.Print(Variables, "/// <summary>Gets whether the $descriptor_name$ field is set</summary>\n");
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ bool Has$property_name$ {\n  get { return $name$_ != null; }\n");
        printer.Print(end);
        printer.Print(Variables, "/// <summary>Clears the value of the $descriptor_name$ field</summary>\n");
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ void Clear$property_name$() {\n  $name$_ = null;\n}\n");
    }

    private void SetCommonFieldVariables()
    {
        // Packed and unpacked tags differ only in the low three bits, never in size.
        var tagSize = VarintSize(MakeTag(Field.Number, 0)) * (Field.Type == FieldType.Group ? 2 : 1);
        var partTagSize = Field.Type == FieldType.Group ? tagSize / 2 : tagSize;
        var tag = MakeTag(Field.Number, WireTypeOf(Field));
        var v = Variables;
        v["tag"] = tag.ToString(CultureInfo.InvariantCulture);
        v["tag_size"] = Decimal(tagSize);
        v["tag_bytes"] = TagBytes(tag, partTagSize);
        if (Field.Type == FieldType.Group)
        {
            var endTag = MakeTag(Field.Number, 4);
            v["end_tag"] = endTag.ToString(CultureInfo.InvariantCulture);
            v["end_tag_bytes"] = TagBytes(endTag, partTagSize);
        }

        v["access_level"] = "public";
        v["property_name"] = PropertyName;
        v["type_name"] = TypeName(Field);
        v["extended_type"] = Field.ContainingType.ClassName;
        v["name"] = Name;
        v["descriptor_name"] = Field.Name;
        v["default_value"] = DefaultValue(Field);
        v["capitalized_type_name"] = CapitalizedTypeName;
        v["number"] = Decimal(Field.Number);
        v["name_def_message"] = HasDefaultValue() && !SupportsPresenceApi(Field) ? v["name"] + "_ = " + v["default_value"] : v["name"] + "_";
        if (SupportsPresenceApi(Field))
        {
            v["has_property_check"] = "Has" + v["property_name"];
            v["other_has_property_check"] = "other.Has" + v["property_name"];
            v["has_not_property_check"] = "!" + v["has_property_check"];
            v["other_has_not_property_check"] = "!" + v["other_has_property_check"];
            if (PresenceIndex != -1)
            {
                var number = PresenceIndex / 32;
                var mask = (1 << (PresenceIndex % 32)).ToString(CultureInfo.InvariantCulture);
                v["has_field_check"] = $"(_hasBits{number} & {mask}) != 0";
                v["set_has_field"] = $"_hasBits{number} |= {mask}";
                v["clear_has_field"] = $"_hasBits{number} &= ~{mask}";
            }
        }
        else
        {
            v["has_property_check"] = v["property_name"] + " != " + v["default_value"];
            v["other_has_property_check"] = "other." + v["property_name"] + " != " + v["default_value"];
        }
    }

    protected void SetCommonOneofFieldVariables()
    {
        var v = Variables;
        v["oneof_name"] = OneofName;
        v["has_property_check"] = SupportsPresenceApi(Field)
            ? "Has" + PropertyName
            : OneofName + "Case_ == " + OneofPropertyName + "OneofCase." + GetOneofCaseName(Field);
        v["oneof_case_name"] = GetOneofCaseName(Field);
        v["oneof_property_name"] = OneofPropertyName;
    }

    /// <summary>protoc's <c>WireTypeForField</c>: a packed field's tag is length-delimited.</summary>
    private static int WireTypeOf(CsField field) => field.IsPacked ? 2 : WireType(field.Type);

    protected string PropertyName => GetPropertyName(Field);

    protected string Name => CSharpNames.UnderscoresToCamelCase(GetFieldName(Field), capNextLetter: false);

    protected string OneofName => CSharpNames.UnderscoresToCamelCase(Field.ContainingOneof!.Name, capNextLetter: false);

    protected string OneofPropertyName => CSharpNames.UnderscoresToCamelCase(Field.ContainingOneof!.Name, capNextLetter: true);

    protected void AddDeprecatedFlag(ProtocPrinter printer)
    {
        if (Field.IsDeprecated || (Field.Type == FieldType.Message && Field.MessageType!.IsDeprecated))
        {
            printer.Print("[global::System.ObsoleteAttribute]\n");
        }
    }

    protected void AddPublicMemberAttributes(ProtocPrinter printer)
    {
        AddDeprecatedFlag(printer);
        MessageGenerator.WriteGeneratedCodeAttributes(printer);
    }

    /// <summary>Has/Clear members of a oneof field with the presence API (proto2 and editions).</summary>
    protected void WriteOneofPresenceMembers(ProtocPrinter printer)
    {
        if (!SupportsPresenceApi(Field))
        {
            return;
        }

        printer.Print(Variables, "/// <summary>Gets whether the \"$descriptor_name$\" field is set</summary>\n");
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ bool Has$property_name$ {\n  get { return $oneof_name$Case_ == $oneof_property_name$OneofCase.$oneof_case_name$; }\n}\n");
        printer.Print(Variables, "/// <summary> Clears the value of the oneof if it's currently set to \"$descriptor_name$\" </summary>\n");
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ void Clear$property_name$() {\n  if ($has_property_check$) {\n    Clear$oneof_property_name$();\n  }\n}\n");
    }

    protected void WritePropertyDocComment(ProtocPrinter printer) => DocComments.Write(printer, Options, Field.File, Field.Path);

    /// <summary>The C# type of a field's value.</summary>
    public static string TypeName(CsField field) => field.Type switch
    {
        FieldType.Enum => field.EnumType!.ClassName,
        FieldType.Message or FieldType.Group when IsWrapperType(field) => WrapperTypeName(field),
        FieldType.Message or FieldType.Group => field.MessageType!.ClassName,
        FieldType.Double => "double",
        FieldType.Float => "float",
        FieldType.Int64 or FieldType.Sfixed64 or FieldType.Sint64 => "long",
        FieldType.Uint64 or FieldType.Fixed64 => "ulong",
        FieldType.Int32 or FieldType.Sfixed32 or FieldType.Sint32 => "int",
        FieldType.Fixed32 or FieldType.Uint32 => "uint",
        FieldType.Bool => "bool",
        FieldType.String => "string",
        FieldType.Bytes => "pb::ByteString",
        _ => throw new InvalidOperationException($"Unknown field type {field.Type}."),
    };

    private static string WrapperTypeName(CsField field)
    {
        var wrapped = field.MessageType!.Fields[0];
        var name = TypeName(wrapped);
        return wrapped.Type is FieldType.String or FieldType.Bytes ? name : name + "?";
    }

    private bool HasDefaultValue()
    {
        var d = Field.Proto.DefaultValue;
        return Field.Type switch
        {
            FieldType.Enum or FieldType.Message or FieldType.Group or FieldType.String or FieldType.Bytes => true,
            FieldType.Double => ParseDouble(d) != 0.0,
            FieldType.Float => ParseFloat(d) != 0.0f,
            FieldType.Bool => d == "true",
            FieldType.Int64 or FieldType.Sfixed64 or FieldType.Sint64 => ParseLong(d) != 0,
            FieldType.Uint64 or FieldType.Fixed64 => ParseULong(d) != 0,
            FieldType.Int32 or FieldType.Sfixed32 or FieldType.Sint32 => ParseLong(d) != 0,
            FieldType.Uint32 or FieldType.Fixed32 => ParseULong(d) != 0,
            _ => true,
        };
    }

    /// <summary>A C# literal for the field's default value.</summary>
    public static string DefaultValue(CsField field)
    {
        var d = field.Proto.DefaultValue;
        switch (field.Type)
        {
            case FieldType.Enum:
                {
                    var type = field.EnumType!;
                    var valueName = field.Proto.HasDefaultValue ? d : type.Proto.Value[0].Name;
                    return type.ClassName + "." + CSharpNames.GetEnumValueName(type.Name, valueName);
                }

            case FieldType.Message or FieldType.Group:
                return IsWrapperType(field) ? DefaultValue(field.MessageType!.Fields[0]) : "null";
            case FieldType.Double:
                {
                    var value = ParseDouble(d);
                    return double.IsPositiveInfinity(value) ? "double.PositiveInfinity"
                        : double.IsNegativeInfinity(value) ? "double.NegativeInfinity"
                        : double.IsNaN(value) ? "double.NaN"
                        : SixDigits(value) + "D";
                }

            case FieldType.Float:
                {
                    var value = ParseFloat(d);
                    return float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
                        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
                        : float.IsNaN(value) ? "float.NaN"
                        : SixDigits(value) + "F";
                }

            case FieldType.Int64 or FieldType.Sfixed64 or FieldType.Sint64:
                return ParseLong(d).ToString(CultureInfo.InvariantCulture) + "L";
            case FieldType.Uint64 or FieldType.Fixed64:
                return ParseULong(d).ToString(CultureInfo.InvariantCulture) + "UL";
            case FieldType.Int32 or FieldType.Sfixed32 or FieldType.Sint32:
                return ParseLong(d).ToString(CultureInfo.InvariantCulture);
            case FieldType.Uint32 or FieldType.Fixed32:
                return ParseULong(d).ToString(CultureInfo.InvariantCulture);
            case FieldType.Bool:
                return d == "true" ? "true" : "false";
            case FieldType.String:
                {
                    if (d.Length == 0)
                    {
                        return "\"\"";
                    }

                    var bytes = Encoding.UTF8.GetBytes(d);
                    return "global::System.Text.Encoding.UTF8.GetString(global::System.Convert.FromBase64String(\"" + Convert.ToBase64String(bytes) + "\"), 0, " + Decimal(bytes.Length) + ")";
                }

            case FieldType.Bytes:
                {
                    var bytes = UnescapeBytes(d);
                    return bytes.Length == 0 ? "pb::ByteString.Empty" : "pb::ByteString.FromBase64(\"" + Convert.ToBase64String(bytes) + "\")";
                }

            default:
                throw new InvalidOperationException($"Unknown field type {field.Type}.");
        }
    }

    private string CapitalizedTypeName => Field.Type switch
    {
        FieldType.Enum => "Enum",
        FieldType.Message => "Message",
        FieldType.Group => "Group",
        FieldType.Double => "Double",
        FieldType.Float => "Float",
        FieldType.Int64 => "Int64",
        FieldType.Uint64 => "UInt64",
        FieldType.Int32 => "Int32",
        FieldType.Fixed64 => "Fixed64",
        FieldType.Fixed32 => "Fixed32",
        FieldType.Bool => "Bool",
        FieldType.String => "String",
        FieldType.Bytes => "Bytes",
        FieldType.Uint32 => "UInt32",
        FieldType.Sfixed32 => "SFixed32",
        FieldType.Sfixed64 => "SFixed64",
        FieldType.Sint32 => "SInt32",
        FieldType.Sint64 => "SInt64",
        _ => throw new InvalidOperationException($"Unknown field type {Field.Type}."),
    };

    private static double ParseDouble(string text) => text switch
    {
        "" => 0,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static float ParseFloat(string text) => text switch
    {
        "" => 0,
        "inf" => float.PositiveInfinity,
        "-inf" => float.NegativeInfinity,
        "nan" or "-nan" => float.NaN,
        _ => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static long ParseLong(string text) => text.Length == 0 ? 0 : long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static ulong ParseULong(string text) => text.Length == 0 ? 0 : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
