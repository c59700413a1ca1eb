using static Kiln.CSharp.Protobuf.CSharpHelpers;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.CSharp.Protobuf;

/// <summary>protoc's <c>PrimitiveFieldGenerator</c>: a singular scalar, string or bytes field.</summary>
internal class PrimitiveFieldGenerator : FieldGeneratorBase
{
    public PrimitiveFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
        IsValueType = field.Type is not (FieldType.String or FieldType.Bytes);
        if (!IsValueType && !SupportsPresenceApi(field))
        {
            Variables["has_property_check"] = Variables["property_name"] + ".Length != 0";
            Variables["other_has_property_check"] = "other." + Variables["property_name"] + ".Length != 0";
        }
    }

    protected bool IsValueType { get; }

    public override void GenerateMembers(ProtocPrinter printer)
    {
        // Explicit presence keeps the default in a static field ("readonly static" is protoc's order).
        if (Field.HasPresence)
        {
            printer.Print(Variables, "private readonly static $type_name$ $property_name$DefaultValue = $default_value$;\n\n");
            Variables["default_value_access"] = Variables["property_name"] + "DefaultValue";
        }
        else
        {
            Variables["default_value_access"] = Variables["default_value"];
        }

        printer.Print(Variables, "private $type_name$ $name_def_message$;\n");
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ $type_name$ $property_name$ {\n");
        if (SupportsPresenceApi(Field))
        {
            printer.Print(Variables, IsNullable(Field)
                ? "  get { return $name$_ ?? $default_value_access$; }\n"
                : "  get { if ($has_field_check$) { return $name$_; } else { return $default_value_access$; } }\n");
        }
        else
        {
            printer.Print(Variables, "  get { return $name$_; }\n");
        }

        printer.Print("  set {\n");
        if (PresenceIndex != -1)
        {
            printer.Print(Variables, "    $set_has_field$;\n");
        }

        printer.Print(Variables, IsValueType ? "    $name$_ = value;\n" : "    $name$_ = pb::ProtoPreconditions.CheckNotNull(value, \"value\");\n");
        printer.Print("  }\n}\n");
        if (SupportsPresenceApi(Field))
        {
            printer.Print(Variables, "/// <summary>Gets whether the \"$descriptor_name$\" field is set</summary>\n");
            AddPublicMemberAttributes(printer);
            printer.Print(Variables, "$access_level$ bool Has$property_name$ {\n  get { return ");
            printer.Print(Variables, IsNullable(Field) ? "$name$_ != null; }\n}\n" : "$has_field_check$; }\n}\n");
            printer.Print(Variables, "/// <summary>Clears the value of the \"$descriptor_name$\" field</summary>\n");
            AddPublicMemberAttributes(printer);
            printer.Print(Variables, "$access_level$ void Clear$property_name$() {\n");
            printer.Print(Variables, IsNullable(Field) ? "  $name$_ = null;\n" : "  $clear_has_field$;\n");
            printer.Print("}\n");
        }
    }

    public override void GenerateMergingCode(ProtocPrinter printer) =>
        printer.Print(Variables, "if ($other_has_property_check$) {\n  $property_name$ = other.$property_name$;\n}\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) =>
        printer.Print(Variables, "$property_name$ = input.Read$capitalized_type_name$();\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  output.WriteRawTag($tag_bytes$);\n  output.Write$capitalized_type_name$($property_name$);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer)
    {
        printer.Print(Variables, "if ($has_property_check$) {\n");
        printer.Indent();
        var fixedSize = GetFixedSize(Field.Type);
        if (fixedSize == -1)
        {
            printer.Print(Variables, "size += $tag_size$ + pb::CodedOutputStream.Compute$capitalized_type_name$Size($property_name$);\n");
        }
        else
        {
            printer.Print("size += $tag_size$ + $fixed_size$;\n", "fixed_size", Decimal(fixedSize), "tag_size", Variables["tag_size"]);
        }

        printer.Outdent();
        printer.Print("}\n");
    }

    public override void WriteHash(ProtocPrinter printer) => printer.Print(Variables, Field.Type switch
    {
        FieldType.Float => "if ($has_property_check$) hash ^= pbc::ProtobufEqualityComparers.BitwiseSingleEqualityComparer.GetHashCode($property_name$);\n",
        FieldType.Double => "if ($has_property_check$) hash ^= pbc::ProtobufEqualityComparers.BitwiseDoubleEqualityComparer.GetHashCode($property_name$);\n",
        _ => "if ($has_property_check$) hash ^= $property_name$.GetHashCode();\n",
    });

    public override void WriteEquals(ProtocPrinter printer) => printer.Print(Variables, Field.Type switch
    {
        FieldType.Float => "if (!pbc::ProtobufEqualityComparers.BitwiseSingleEqualityComparer.Equals($property_name$, other.$property_name$)) return false;\n",
        FieldType.Double => "if (!pbc::ProtobufEqualityComparers.BitwiseDoubleEqualityComparer.Equals($property_name$, other.$property_name$)) return false;\n",
        _ => "if ($property_name$ != other.$property_name$) return false;\n",
    });

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_ = other.$name$_;\n");

    public override void GenerateCodecCode(ProtocPrinter printer) =>
        printer.Print(Variables, "pb::FieldCodec.For$capitalized_type_name$($tag$, $default_value$)");
}

/// <summary>protoc's <c>PrimitiveOneofFieldGenerator</c>: a scalar, string or bytes member of a oneof.</summary>
internal class PrimitiveOneofFieldGenerator : PrimitiveFieldGenerator
{
    public PrimitiveOneofFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options) => SetCommonOneofFieldVariables();

    public override void GenerateMembers(ProtocPrinter printer)
    {
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ $type_name$ $property_name$ {\n  get { return $has_property_check$ ? ($type_name$) $oneof_name$_ : $default_value$; }\n  set {\n");
        printer.Print(Variables, IsValueType ? "    $oneof_name$_ = value;\n" : "    $oneof_name$_ = pb::ProtoPreconditions.CheckNotNull(value, \"value\");\n");
        printer.Print(Variables, "    $oneof_name$Case_ = $oneof_property_name$OneofCase.$oneof_case_name$;\n  }\n}\n");
        WriteOneofPresenceMembers(printer);
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables, "$property_name$ = other.$property_name$;\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) =>
        printer.Print(Variables, "$property_name$ = input.Read$capitalized_type_name$();\n");

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$property_name$ = other.$property_name$;\n");
}

/// <summary>protoc's <c>EnumFieldGenerator</c>.</summary>
internal sealed class EnumFieldGenerator : PrimitiveFieldGenerator
{
    public EnumFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
    }

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) =>
        printer.Print(Variables, "$property_name$ = ($type_name$) input.ReadEnum();\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  output.WriteRawTag($tag_bytes$);\n  output.WriteEnum((int) $property_name$);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  size += $tag_size$ + pb::CodedOutputStream.ComputeEnumSize((int) $property_name$);\n}\n");

    public override void GenerateCodecCode(ProtocPrinter printer) =>
        printer.Print(Variables, "pb::FieldCodec.ForEnum($tag$, x => (int) x, x => ($type_name$) x, $default_value$)");
}

/// <summary>protoc's <c>EnumOneofFieldGenerator</c>.</summary>
internal sealed class EnumOneofFieldGenerator : PrimitiveOneofFieldGenerator
{
    public EnumOneofFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
    }

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) =>
        printer.Print(Variables, "$oneof_name$_ = input.ReadEnum();\n$oneof_name$Case_ = $oneof_property_name$OneofCase.$oneof_case_name$;\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  output.WriteRawTag($tag_bytes$);\n  output.WriteEnum((int) $property_name$);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  size += $tag_size$ + pb::CodedOutputStream.ComputeEnumSize((int) $property_name$);\n}\n");
}
