using static Kiln.CSharp.Protobuf.CSharpHelpers;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// What protoc's three repeated-field generators share: a static codec, a <c>RepeatedField</c>, and
/// collection-wide merge, parse, write, size, hash, equality and clone code.
/// </summary>
internal abstract class RepeatedFieldGeneratorBase : FieldGeneratorBase
{
    protected RepeatedFieldGeneratorBase(CsField field, int presenceIndex, CSharpOptions options)
        : base(field, presenceIndex, options)
    {
    }

    public override void GenerateMembers(ProtocPrinter printer)
    {
        printer.Print(Variables, "private static readonly pb::FieldCodec<$type_name$> _repeated_$name$_codec\n    = ");
        GenerateElementCodec(printer);
        printer.Print(";\n");
        printer.Print(Variables, "private readonly pbc::RepeatedField<$type_name$> $name$_ = new pbc::RepeatedField<$type_name$>();\n");
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ pbc::RepeatedField<$type_name$> $property_name$ {\n  get { return $name$_; }\n}\n");
    }

    /// <summary>The codec of one element (what follows <c>= </c> in the codec declaration).</summary>
    protected abstract void GenerateElementCodec(ProtocPrinter printer);

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_.Add(other.$name$_);\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) => printer.Print(Variables, useParseContext
        ? "$name$_.AddEntriesFrom(ref input, _repeated_$name$_codec);\n"
        : "$name$_.AddEntriesFrom(input, _repeated_$name$_codec);\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) => printer.Print(Variables, useWriteContext
        ? "$name$_.WriteTo(ref output, _repeated_$name$_codec);\n"
        : "$name$_.WriteTo(output, _repeated_$name$_codec);\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) => printer.Print(Variables, "size += $name$_.CalculateSize(_repeated_$name$_codec);\n");

    public override void WriteHash(ProtocPrinter printer) => printer.Print(Variables, "hash ^= $name$_.GetHashCode();\n");

    public override void WriteEquals(ProtocPrinter printer) => printer.Print(Variables, "if(!$name$_.Equals(other.$name$_)) return false;\n");

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_ = other.$name$_.Clone();\n");

    protected override string ExtensionClass => "pb::RepeatedExtension";

    protected override void GenerateExtensionCodec(ProtocPrinter printer) => GenerateElementCodec(printer);
}

/// <summary>protoc's <c>RepeatedPrimitiveFieldGenerator</c>.</summary>
internal sealed class RepeatedPrimitiveFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
    : RepeatedFieldGeneratorBase(field, presenceIndex, options)
{
    protected override void GenerateElementCodec(ProtocPrinter printer) => printer.Print(Variables, "pb::FieldCodec.For$capitalized_type_name$($tag$)");
}

/// <summary>protoc's <c>RepeatedEnumFieldGenerator</c>.</summary>
internal sealed class RepeatedEnumFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
    : RepeatedFieldGeneratorBase(field, presenceIndex, options)
{
    protected override void GenerateElementCodec(ProtocPrinter printer) => printer.Print(Variables, "pb::FieldCodec.ForEnum($tag$, x => (int) x, x => ($type_name$) x)");
}

/// <summary>protoc's <c>RepeatedMessageFieldGenerator</c>: the element codec is the singular (message or wrapper) field's.</summary>
internal sealed class RepeatedMessageFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
    : RepeatedFieldGeneratorBase(field, presenceIndex, options)
{
    protected override void GenerateElementCodec(ProtocPrinter printer)
    {
        FieldGeneratorBase single = IsWrapperType(Field)
            ? new WrapperFieldGenerator(Field, PresenceIndex, Options)
            : new MessageFieldGenerator(Field, PresenceIndex, Options);
        single.GenerateCodecCode(printer);
    }
}

/// <summary>protoc's <c>MapFieldGenerator</c>.</summary>
internal sealed class MapFieldGenerator(CsField field, int presenceIndex, CSharpOptions options)
    : FieldGeneratorBase(field, presenceIndex, options)
{
    public override void GenerateMembers(ProtocPrinter printer)
    {
        var entry = Field.MessageType!;
        Variables["key_type_name"] = TypeName(entry.MapKey);
        Variables["value_type_name"] = TypeName(entry.MapValue);
        var key = FieldGenerators.Create(entry.MapKey, 1, Options);
        var value = FieldGenerators.Create(entry.MapValue, 2, Options);
        printer.Print(Variables,
            "private static readonly pbc::MapField<$key_type_name$, $value_type_name$>.Codec _map_$name$_codec\n    = new pbc::MapField<$key_type_name$, $value_type_name$>.Codec(");
        key.GenerateCodecCode(printer);
        printer.Print(", ");
        value.GenerateCodecCode(printer);
        printer.Print(Variables,
            ", $tag$);\nprivate readonly pbc::MapField<$key_type_name$, $value_type_name$> $name$_ = new pbc::MapField<$key_type_name$, $value_type_name$>();\n");
        WritePropertyDocComment(printer);
        AddPublicMemberAttributes(printer);
        printer.Print(Variables, "$access_level$ pbc::MapField<$key_type_name$, $value_type_name$> $property_name$ {\n  get { return $name$_; }\n}\n");
    }

    public override void GenerateMergingCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_.MergeFrom(other.$name$_);\n");

    public override void GenerateParsingCode(ProtocPrinter printer, bool useParseContext) => printer.Print(Variables, useParseContext
        ? "$name$_.AddEntriesFrom(ref input, _map_$name$_codec);\n"
        : "$name$_.AddEntriesFrom(input, _map_$name$_codec);\n");

    public override void GenerateSerializationCode(ProtocPrinter printer, bool useWriteContext) => printer.Print(Variables, useWriteContext
        ? "$name$_.WriteTo(ref output, _map_$name$_codec);\n"
        : "$name$_.WriteTo(output, _map_$name$_codec);\n");

    public override void GenerateSerializedSizeCode(ProtocPrinter printer) => printer.Print(Variables, "size += $name$_.CalculateSize(_map_$name$_codec);\n");

    public override void WriteHash(ProtocPrinter printer) => printer.Print(Variables, "hash ^= $property_name$.GetHashCode();\n");

    public override void WriteEquals(ProtocPrinter printer) => printer.Print(Variables, "if (!$property_name$.Equals(other.$property_name$)) return false;\n");

    public override void GenerateCloningCode(ProtocPrinter printer) => printer.Print(Variables, "$name$_ = other.$name$_.Clone();\n");
}

/// <summary>protoc's <c>CreateFieldGenerator</c>: the generator for each kind of field.</summary>
internal static class FieldGenerators
{
    public static FieldGeneratorBase Create(CsField field, int presenceIndex, CSharpOptions options)
    {
        var inOneof = field.RealContainingOneof != null;
        switch (field.Type)
        {
            case FieldType.Group or FieldType.Message:
                if (field.IsRepeated)
                {
                    return field.IsMap
                        ? new MapFieldGenerator(field, presenceIndex, options)
                        : new RepeatedMessageFieldGenerator(field, presenceIndex, options);
                }

                if (IsWrapperType(field))
                {
                    return inOneof ? new WrapperOneofFieldGenerator(field, presenceIndex, options) : new WrapperFieldGenerator(field, presenceIndex, options);
                }

                return inOneof ? new MessageOneofFieldGenerator(field, presenceIndex, options) : new MessageFieldGenerator(field, presenceIndex, options);
            case FieldType.Enum:
                if (field.IsRepeated)
                {
                    return new RepeatedEnumFieldGenerator(field, presenceIndex, options);
                }

                return inOneof ? new EnumOneofFieldGenerator(field, presenceIndex, options) : new EnumFieldGenerator(field, presenceIndex, options);
            default:
                if (field.IsRepeated)
                {
                    return new RepeatedPrimitiveFieldGenerator(field, presenceIndex, options);
                }

                return inOneof ? new PrimitiveOneofFieldGenerator(field, presenceIndex, options) : new PrimitiveFieldGenerator(field, presenceIndex, options);
        }
    }
}
