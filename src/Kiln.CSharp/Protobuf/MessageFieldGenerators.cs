using static Kiln.CSharp.Protobuf.CSharpHelpers;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.CSharp.Protobuf;

/// <summary>protoc's <c>MessageFieldGenerator</c>: a singular message or group field.</summary>
internal class MessageFieldGenerator : FieldGeneratorBase
{
    public MessageFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
        if (!SupportsPresenceApi(field))
        {
            Variables["has_property_check"] = Name + "_ != null";
            Variables["has_not_property_check"] = Name + "_ == null";
        }
    }

    private bool IsGroup => Field.Type != FieldType.Message;

    public override void GenerateMembers(ProtocPrinter printer)
    {
        printer.Print(Variables, "private $type_name$ $name$_;\n");
        WriteNullableProperty(printer, blankLines: false);
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables,
        "if (other.$has_property_check$) {\n  if ($has_not_property_check$) {\n    $property_name$ = new $type_name$();\n  }\n  $property_name$.MergeFrom(other.$property_name$);\n}\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext)
    {
        printer.Print(Variables, "if ($has_not_property_check$) {\n  $property_name$ = new $type_name$();\n}\n");
        printer.Print(Variables, IsGroup ? "input.ReadGroup($property_name$);\n" : "input.ReadMessage($property_name$);\n");
    }

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) => printer.Print(Variables, IsGroup
        ? "if ($has_property_check$) {\n  output.WriteRawTag($tag_bytes$);\n  output.WriteGroup($property_name$);\n  output.WriteRawTag($end_tag_bytes$);\n}\n"
        : "if ($has_property_check$) {\n  output.WriteRawTag($tag_bytes$);\n  output.WriteMessage($property_name$);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) => printer.Print(Variables, IsGroup
        ? "if ($has_property_check$) {\n  size += $tag_size$ + pb::CodedOutputStream.ComputeGroupSize($property_name$);\n}\n"
        : "if ($has_property_check$) {\n  size += $tag_size$ + pb::CodedOutputStream.ComputeMessageSize($property_name$);\n}\n");

    public override void WriteHash(ProtocPrinter printer) => printer.Print(Variables, "if ($has_property_check$) hash ^= $property_name$.GetHashCode();\n");

    public override void WriteEquals(ProtocPrinter printer) => printer.Print(Variables, "if (!object.Equals($property_name$, other.$property_name$)) return false;\n");

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_ = other.$has_property_check$ ? other.$name$_.Clone() : null;\n");

    public override void GenerateCodecCode(ProtocPrinter printer) => printer.Print(Variables, IsGroup
        ? "pb::FieldCodec.ForGroup($tag$, $end_tag$, $type_name$.Parser)"
        : "pb::FieldCodec.ForMessage($tag$, $type_name$.Parser)");
}

/// <summary>protoc's <c>MessageOneofFieldGenerator</c>.</summary>
internal sealed class MessageOneofFieldGenerator : MessageFieldGenerator
{
    public MessageOneofFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options) => SetCommonOneofFieldVariables();

    public override void GenerateMembers(ProtocPrinter printer)
    {
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables,
            "$access_level$ $type_name$ $property_name$ {\n  get { return $has_property_check$ ? ($type_name$) $oneof_name$_ : null; }\n  set {\n    $oneof_name$_ = value;\n    $oneof_name$Case_ = value == null ? $oneof_property_name$OneofCase.None : $oneof_property_name$OneofCase.$oneof_case_name$;\n  }\n}\n");
        WriteOneofPresenceMembers(printer);
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables,
        "if ($property_name$ == null) {\n  $property_name$ = new $type_name$();\n}\n$property_name$.MergeFrom(other.$property_name$);\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext)
    {
        printer.Print(Variables, "$type_name$ subBuilder = new $type_name$();\nif ($has_property_check$) {\n  subBuilder.MergeFrom($property_name$);\n}\n");
        printer.Print(Field.Type == FieldType.Message ? "input.ReadMessage(subBuilder);\n" : "input.ReadGroup(subBuilder);\n");
        printer.Print(Variables, "$property_name$ = subBuilder;\n");
    }

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$property_name$ = other.$property_name$.Clone();\n");
}

/// <summary>protoc's <c>WrapperFieldGenerator</c>: a field of a wrappers.proto type, shown as a nullable value.</summary>
internal class WrapperFieldGenerator : FieldGeneratorBase
{
    public WrapperFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
        Variables["has_property_check"] = Name + "_ != null";
        Variables["has_not_property_check"] = Name + "_ == null";
        var wrapped = field.MessageType!.Fields[0];
        IsValueType = wrapped.Type is not (FieldType.String or FieldType.Bytes);
        if (IsValueType)
        {
            Variables["nonnullable_type_name"] = TypeName(wrapped);
        }
    }

    private bool IsValueType { get; }

    private FieldType WrappedType => Field.MessageType!.Fields[0].Type;

    public override void GenerateMembers(ProtocPrinter printer)
    {
        printer.Print(Variables, "private static readonly pb::FieldCodec<$type_name$> _single_$name$_codec = ");
        GenerateCodecCode(printer);
        printer.Print(Variables, ";\nprivate $type_name$ $name$_;\n");
        WriteNullableProperty(printer, blankLines: true);
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables,
        "if (other.$has_property_check$) {\n  if ($has_not_property_check$ || other.$property_name$ != $default_value$) {\n    $property_name$ = other.$property_name$;\n  }\n}\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) => printer.Print(Variables, useParseContext
        ? "$type_name$ value = _single_$name$_codec.Read(ref input);\nif ($has_not_property_check$ || value != $default_value$) {\n  $property_name$ = value;\n}\n"
        : "$type_name$ value = _single_$name$_codec.Read(input);\nif ($has_not_property_check$ || value != $default_value$) {\n  $property_name$ = value;\n}\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) => printer.Print(Variables, useWriteContext
        ? "if ($has_property_check$) {\n  _single_$name$_codec.WriteTagAndValue(ref output, $property_name$);\n}\n"
        : "if ($has_property_check$) {\n  _single_$name$_codec.WriteTagAndValue(output, $property_name$);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  size += _single_$name$_codec.CalculateSizeWithTag($property_name$);\n}\n");

    public override void WriteHash(ProtocPrinter printer) => printer.Print(Variables, WrappedType switch
    {
        FieldType.Float => "if ($has_property_check$) hash ^= pbc::ProtobufEqualityComparers.BitwiseNullableSingleEqualityComparer.GetHashCode($property_name$);\n",
        FieldType.Double => "if ($has_property_check$) hash ^= pbc::ProtobufEqualityComparers.BitwiseNullableDoubleEqualityComparer.GetHashCode($property_name$);\n",
        _ => "if ($has_property_check$) hash ^= $property_name$.GetHashCode();\n",
    });

    public override void WriteEquals(ProtocPrinter printer) => printer.Print(Variables, WrappedType switch
    {
        FieldType.Float => "if (!pbc::ProtobufEqualityComparers.BitwiseNullableSingleEqualityComparer.Equals($property_name$, other.$property_name$)) return false;\n",
        FieldType.Double => "if (!pbc::ProtobufEqualityComparers.BitwiseNullableDoubleEqualityComparer.Equals($property_name$, other.$property_name$)) return false;\n",
        _ => "if ($property_name$ != other.$property_name$) return false;\n",
    });

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$property_name$ = other.$property_name$;\n");

    public override void GenerateCodecCode(ProtocPrinter printer) => printer.Print(Variables, IsValueType
        ? "pb::FieldCodec.ForStructWrapper<$nonnullable_type_name$>($tag$)"
        : "pb::FieldCodec.ForClassWrapper<$type_name$>($tag$)");
}

/// <summary>protoc's <c>WrapperOneofFieldGenerator</c>.</summary>
internal sealed class WrapperOneofFieldGenerator : WrapperFieldGenerator
{
    public WrapperOneofFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options) => SetCommonOneofFieldVariables();

    public override void GenerateMembers(ProtocPrinter printer)
    {
        // One codec per field: _oneof_$name$_codec, not per oneof.
        printer.Print(Variables, "private static readonly pb::FieldCodec<$type_name$> _oneof_$name$_codec = ");
        GenerateCodecCode(printer);
        printer.Print(";\n");
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables,
            "$access_level$ $type_name$ $property_name$ {\n  get { return $has_property_check$ ? ($type_name$) $oneof_name$_ : ($type_name$) null; }\n  set {\n    $oneof_name$_ = value;\n    $oneof_name$Case_ = value == null ? $oneof_property_name$OneofCase.None : $oneof_property_name$OneofCase.$oneof_case_name$;\n  }\n}\n");
        WriteOneofPresenceMembers(printer);
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables, "$property_name$ = other.$property_name$;\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) => printer.Print(Variables, useParseContext
        ? "$property_name$ = _oneof_$name$_codec.Read(ref input);\n"
        : "$property_name$ = _oneof_$name$_codec.Read(input);\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) => printer.Print(Variables, useWriteContext
        ? "if ($has_property_check$) {\n  _oneof_$name$_codec.WriteTagAndValue(ref output, ($type_name$) $oneof_name$_);\n}\n"
        : "if ($has_property_check$) {\n  _oneof_$name$_codec.WriteTagAndValue(output, ($type_name$) $oneof_name$_);\n}\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) =>
        printer.Print(Variables, "if ($has_property_check$) {\n  size += _oneof_$name$_codec.CalculateSizeWithTag($property_name$);\n}\n");
}
