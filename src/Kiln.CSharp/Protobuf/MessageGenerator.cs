using static Kiln.CSharp.Protobuf.CSharpHelpers;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// protoc's <c>MessageGenerator</c>: one sealed partial class per message, members in protoc's order
/// (declaration order, except that serialization, parse cases and has-bits follow field numbers).
/// </summary>
internal sealed class MessageGenerator
{
    private readonly CsMessage _message;
    private readonly CSharpOptions _options;
    private readonly CsField[] _fieldsByNumber;
    private readonly int _hasBitFieldCount;
    private readonly bool _hasExtensionRanges;
    private readonly FieldGeneratorBase?[] _fieldGenerators;
    private readonly FieldGeneratorBase?[] _extensionGenerators;

    public MessageGenerator(CsMessage message, CSharpOptions options)
    {
        _message = message;
        _options = options;
        _hasExtensionRanges = message.Proto.ExtensionRange.Count > 0;
        _fieldsByNumber = [.. message.Fields];
        Array.Sort(_fieldsByNumber, static (a, b) => a.Number.CompareTo(b.Number)); // numbers are unique
        var presenceBits = 0;
        foreach (var field in message.Fields)
        {
            if (RequiresPresenceBit(field))
            {
                presenceBits++;
            }
        }

        _hasBitFieldCount = (presenceBits + 31) / 32;
        _fieldGenerators = new FieldGeneratorBase?[message.Fields.Count];
        _extensionGenerators = new FieldGeneratorBase?[message.Extensions.Count];
    }

    private string ClassName => _message.Name;

    public static void WriteGeneratedCodeAttributes(ProtocPrinter printer)
    {
        printer.Print("[global::System.Diagnostics.DebuggerNonUserCodeAttribute]\n");
        printer.Print("[global::System.CodeDom.Compiler.GeneratedCode(\"protoc\", null)]\n");
    }

    /// <summary>The generator of one of this message's fields or extensions, made once (its variables are reused by every member it writes).</summary>
    private FieldGeneratorBase Generator(CsField field)
    {
        var generators = field.IsExtension ? _extensionGenerators : _fieldGenerators;
        return generators[field.IndexInParent] ??= FieldGenerators.Create(field, GetPresenceIndex(field), _options);
    }

    /// <summary>Has-bit index of a field: its rank by field number among the fields that need one.</summary>
    private int GetPresenceIndex(CsField field)
    {
        if (!RequiresPresenceBit(field))
        {
            return -1;
        }

        var index = 0;
        foreach (var f in _fieldsByNumber)
        {
            if (f == field)
            {
                return index;
            }

            if (RequiresPresenceBit(f))
            {
                index++;
            }
        }

        return -1;
    }

    public void Generate(ProtocPrinter printer)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["class_name"] = ClassName,
            ["access_level"] = _options.ClassAccessLevel,
        };
        DocComments.Write(printer, _options, _message.File, _message.Path);
        if (_message.IsDeprecated)
        {
            printer.Print("[global::System.ObsoleteAttribute]\n");
        }

        if (_options.Serializable)
        {
            printer.Print("[global::System.SerializableAttribute]\n");
        }

        printer.Print("[global::System.Diagnostics.DebuggerDisplayAttribute(\"{ToString(),nq}\")]\n");
        printer.Print(vars, "$access_level$ sealed partial class $class_name$ : ");
        printer.Print(vars, _hasExtensionRanges ? "pb::IExtendableMessage<$class_name$>\n" : "pb::IMessage<$class_name$>\n");
        printer.Print("#if !GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE\n");
        printer.Print("    , pb::IBufferMessage\n");
        printer.Print("#endif\n");
        printer.Print("{\n");
        printer.Indent();

        printer.Print(vars, "private static readonly pb::MessageParser<$class_name$> _parser = new pb::MessageParser<$class_name$>(() => new $class_name$());\n");
        printer.Print("private pb::UnknownFieldSet _unknownFields;\n");
        if (_hasExtensionRanges)
        {
            // descriptor.proto's option messages expose their extensions to the runtime's CustomOptions.
            printer.Print(vars, IsDescriptorProto(_message.File)
                ? "internal pb::ExtensionSet<$class_name$> _extensions;\n"
                : "private pb::ExtensionSet<$class_name$> _extensions;\n");
            printer.Print(vars, "private pb::ExtensionSet<$class_name$> _Extensions { get { return _extensions; } }\n");
        }

        for (var i = 0; i < _hasBitFieldCount; i++)
        {
            printer.Print("private int _hasBits$i$;\n", "i", Decimal(i));
        }

        WriteGeneratedCodeAttributes(printer);
        printer.Print(vars, "public static pb::MessageParser<$class_name$> Parser { get { return _parser; } }\n\n");
        vars["descriptor_accessor"] = _message.ContainingType == null
            ? CSharpNames.GetReflectionClassName(_message.File.Proto) + ".Descriptor.MessageTypes[" + Decimal(_message.IndexInParent) + "]"
            : _message.ContainingType.ClassName + ".Descriptor.NestedTypes[" + Decimal(_message.IndexInParent) + "]";
        WriteGeneratedCodeAttributes(printer);
        printer.Print(vars, "public static pbr::MessageDescriptor Descriptor {\n  get { return $descriptor_accessor$; }\n}\n\n");
        WriteGeneratedCodeAttributes(printer);
        printer.Print(vars, "pbr::MessageDescriptor pb::IMessage.Descriptor {\n  get { return Descriptor; }\n}\n\n");
        WriteGeneratedCodeAttributes(printer);
        printer.Print(vars, "public $class_name$() {\n  OnConstruction();\n}\n\npartial void OnConstruction();\n\n");

        GenerateCloningCode(printer);

        foreach (var field in _message.Fields)
        {
            printer.Print("/// <summary>Field number for the \"$field_name$\" field.</summary>\npublic const int $field_constant_name$ = $index$;\n",
                "field_name", field.Name, "field_constant_name", GetFieldConstantName(field), "index", Decimal(field.Number));
            Generator(field).GenerateMembers(printer);
            printer.Print("\n");
        }

        for (var i = 0; i < _message.RealOneofCount; i++)
        {
            var oneof = _message.Oneofs[i];
            vars["name"] = CSharpNames.UnderscoresToCamelCase(oneof.Name, capNextLetter: false);
            vars["property_name"] = CSharpNames.UnderscoresToCamelCase(oneof.Name, capNextLetter: true);
            vars["original_name"] = oneof.Name;
            printer.Print(vars, "private object $name$_;\n/// <summary>Enum of possible cases for the \"$original_name$\" oneof.</summary>\npublic enum $property_name$OneofCase {\n");
            printer.Indent();
            printer.Print("None = 0,\n");
            foreach (var field in oneof.Fields)
            {
                printer.Print("$oneof_case_name$ = $index$,\n", "oneof_case_name", GetOneofCaseName(field), "index", Decimal(field.Number));
            }

            printer.Outdent();
            printer.Print("}\n");
            printer.Print(vars, "private $property_name$OneofCase $name$Case_ = $property_name$OneofCase.None;\n");
            WriteGeneratedCodeAttributes(printer);
            printer.Print(vars, "public $property_name$OneofCase $property_name$Case {\n  get { return $name$Case_; }\n}\n\n");
            WriteGeneratedCodeAttributes(printer);
            printer.Print(vars, "public void Clear$property_name$() {\n  $name$Case_ = $property_name$OneofCase.None;\n  $name$_ = null;\n}\n\n");
        }

        GenerateFrameworkMethods(printer);
        GenerateMessageSerializationMethods(printer);
        GenerateMergingMethods(printer);

        if (_hasExtensionRanges)
        {
            printer.Print(vars,
                "public TValue GetExtension<TValue>(pb::Extension<$class_name$, TValue> extension) {\n" +
                "  return pb::ExtensionSet.Get(ref _extensions, extension);\n" +
                "}\n" +
                "public pbc::RepeatedField<TValue> GetExtension<TValue>(pb::RepeatedExtension<$class_name$, TValue> extension) {\n" +
                "  return pb::ExtensionSet.Get(ref _extensions, extension);\n" +
                "}\n" +
                "public pbc::RepeatedField<TValue> GetOrInitializeExtension<TValue>(pb::RepeatedExtension<$class_name$, TValue> extension) {\n" +
                "  return pb::ExtensionSet.GetOrInitialize(ref _extensions, extension);\n" +
                "}\n" +
                "public void SetExtension<TValue>(pb::Extension<$class_name$, TValue> extension, TValue value) {\n" +
                "  pb::ExtensionSet.Set(ref _extensions, extension, value);\n" +
                "}\n" +
                "public bool HasExtension<TValue>(pb::Extension<$class_name$, TValue> extension) {\n" +
                "  return pb::ExtensionSet.Has(ref _extensions, extension);\n" +
                "}\n" +
                "public void ClearExtension<TValue>(pb::Extension<$class_name$, TValue> extension) {\n" +
                "  pb::ExtensionSet.Clear(ref _extensions, extension);\n" +
                "}\n" +
                "public void ClearExtension<TValue>(pb::RepeatedExtension<$class_name$, TValue> extension) {\n" +
                "  pb::ExtensionSet.Clear(ref _extensions, extension);\n" +
                "}\n\n");
        }

        if (HasNestedGeneratedTypes())
        {
            printer.Print(vars, "#region Nested types\n/// <summary>Container for nested types declared in the $class_name$ message type.</summary>\n");
            WriteGeneratedCodeAttributes(printer);
            printer.Print("public static partial class Types {\n");
            printer.Indent();
            foreach (var e in _message.EnumTypes)
            {
                EnumGenerator.Generate(printer, _options, e);
            }

            foreach (var nested in _message.NestedTypes)
            {
                // Map entries have no class of their own.
                if (!nested.IsMapEntry)
                {
                    new MessageGenerator(nested, _options).Generate(printer);
                }
            }

            printer.Outdent();
            printer.Print("}\n#endregion\n\n");
        }

        if (_message.Extensions.Count > 0)
        {
            printer.Print(vars, "#region Extensions\n/// <summary>Container for extensions for other messages declared in the $class_name$ message type.</summary>\n");
            WriteGeneratedCodeAttributes(printer);
            printer.Print("public static partial class Extensions {\n");
            printer.Indent();
            foreach (var extension in _message.Extensions)
            {
                Generator(extension).GenerateExtensionCode(printer);
            }

            printer.Outdent();
            printer.Print("}\n#endregion\n\n");
        }

        printer.Outdent();
        printer.Print("}\n\n");
    }

    private bool HasNestedGeneratedTypes()
    {
        if (_message.EnumTypes.Count > 0)
        {
            return true;
        }

        foreach (var nested in _message.NestedTypes)
        {
            if (!nested.IsMapEntry)
            {
                return true;
            }
        }

        return false;
    }

    private void GenerateCloningCode(ProtocPrinter printer)
    {
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public $class_name$($class_name$ other) : this() {\n", "class_name", ClassName);
        printer.Indent();
        for (var i = 0; i < _hasBitFieldCount; i++)
        {
            printer.Print("_hasBits$i$ = other._hasBits$i$;\n", "i", Decimal(i));
        }

        // Fields outside real oneofs first (proto3 optional counts as outside), then each oneof's set case.
        foreach (var field in _message.Fields)
        {
            if (field.RealContainingOneof == null)
            {
                Generator(field).GenerateCloningCode(printer);
            }
        }

        for (var i = 0; i < _message.RealOneofCount; i++)
        {
            WriteOneofSwitch(printer, _message.Oneofs[i], static (g, p) => g.GenerateCloningCode(p));
        }

        printer.Print("_unknownFields = pb::UnknownFieldSet.Clone(other._unknownFields);\n");
        if (_hasExtensionRanges)
        {
            printer.Print("_extensions = pb::ExtensionSet.Clone(other._extensions);\n");
        }

        printer.Outdent();
        printer.Print("}\n\n");
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public $class_name$ Clone() {\n  return new $class_name$(this);\n}\n\n", "class_name", ClassName);
    }

    /// <summary><c>switch (other.XCase) { case XOneofCase.Y: ... break; }</c> over a real oneof's fields.</summary>
    private void WriteOneofSwitch(ProtocPrinter printer, CsOneof oneof, Action<FieldGeneratorBase, ProtocPrinter> body)
    {
        var propertyName = CSharpNames.UnderscoresToCamelCase(oneof.Name, capNextLetter: true);
        printer.Print("switch (other.$property_name$Case) {\n", "property_name", propertyName);
        printer.Indent();
        foreach (var field in oneof.Fields)
        {
            printer.Print("case $property_name$OneofCase.$oneof_case_name$:\n", "property_name", propertyName, "oneof_case_name", GetOneofCaseName(field));
            printer.Indent();
            body(Generator(field), printer);
            printer.Print("break;\n");
            printer.Outdent();
        }

        printer.Outdent();
        printer.Print("}\n\n");
    }

    private void GenerateFrameworkMethods(ProtocPrinter printer)
    {
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public override bool Equals(object other) {\n  return Equals(other as $class_name$);\n}\n\n", "class_name", ClassName);
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public bool Equals($class_name$ other) {\n  if (ReferenceEquals(other, null)) {\n    return false;\n  }\n  if (ReferenceEquals(other, this)) {\n    return true;\n  }\n",
            "class_name", ClassName);
        printer.Indent();
        foreach (var field in _message.Fields)
        {
            Generator(field).WriteEquals(printer);
        }

        for (var i = 0; i < _message.RealOneofCount; i++)
        {
            printer.Print("if ($property_name$Case != other.$property_name$Case) return false;\n",
                "property_name", CSharpNames.UnderscoresToCamelCase(_message.Oneofs[i].Name, capNextLetter: true));
        }

        if (_hasExtensionRanges)
        {
            printer.Print("if (!Equals(_extensions, other._extensions)) {\n  return false;\n}\n");
        }

        printer.Outdent();
        printer.Print("  return Equals(_unknownFields, other._unknownFields);\n}\n\n");

        WriteGeneratedCodeAttributes(printer);
        printer.Print("public override int GetHashCode() {\n  int hash = 1;\n");
        printer.Indent();
        foreach (var field in _message.Fields)
        {
            Generator(field).WriteHash(printer);
        }

        for (var i = 0; i < _message.RealOneofCount; i++)
        {
            printer.Print("hash ^= (int) $name$Case_;\n", "name", CSharpNames.UnderscoresToCamelCase(_message.Oneofs[i].Name, capNextLetter: false));
        }

        if (_hasExtensionRanges)
        {
            printer.Print("if (_extensions != null) {\n  hash ^= _extensions.GetHashCode();\n}\n");
        }

        printer.Print("if (_unknownFields != null) {\n  hash ^= _unknownFields.GetHashCode();\n}\nreturn hash;\n");
        printer.Outdent();
        printer.Print("}\n\n");

        WriteGeneratedCodeAttributes(printer);
        printer.Print("public override string ToString() {\n  return pb::JsonFormatter.ToDiagnosticString(this);\n}\n\n");
    }

    private void GenerateMessageSerializationMethods(ProtocPrinter printer)
    {
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public void WriteTo(pb::CodedOutputStream output) {\n");
        printer.Print("#if !GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE\n");
        printer.Indent();
        printer.Print("output.WriteRawMessage(this);\n");
        printer.Outdent();
        printer.Print("#else\n");
        printer.Indent();
        GenerateWriteToBody(printer, useWriteContext: false);
        printer.Outdent();
        printer.Print("#endif\n");
        printer.Print("}\n\n");

        printer.Print("#if !GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE\n");
        WriteGeneratedCodeAttributes(printer);
        printer.Print("void pb::IBufferMessage.InternalWriteTo(ref pb::WriteContext output) {\n");
        printer.Indent();
        GenerateWriteToBody(printer, useWriteContext: true);
        printer.Outdent();
        printer.Print("}\n");
        printer.Print("#endif\n\n");

        WriteGeneratedCodeAttributes(printer);
        printer.Print("public int CalculateSize() {\n");
        printer.Indent();
        printer.Print("int size = 0;\n");
        foreach (var field in _message.Fields)
        {
            Generator(field).GenerateSerializedSizeCode(printer);
        }

        if (_hasExtensionRanges)
        {
            printer.Print("if (_extensions != null) {\n  size += _extensions.CalculateSize();\n}\n");
        }

        printer.Print("if (_unknownFields != null) {\n  size += _unknownFields.CalculateSize();\n}\n");
        printer.Print("return size;\n");
        printer.Outdent();
        printer.Print("}\n\n");
    }

    private void GenerateWriteToBody(ProtocPrinter printer, bool useWriteContext)
    {
        foreach (var field in _fieldsByNumber)
        {
            Generator(field).GenerateSerializationCode(printer, useWriteContext);
        }

        if (_hasExtensionRanges)
        {
            printer.Print(useWriteContext
                ? "if (_extensions != null) {\n  _extensions.WriteTo(ref output);\n}\n"
                : "if (_extensions != null) {\n  _extensions.WriteTo(output);\n}\n");
        }

        printer.Print(useWriteContext
            ? "if (_unknownFields != null) {\n  _unknownFields.WriteTo(ref output);\n}\n"
            : "if (_unknownFields != null) {\n  _unknownFields.WriteTo(output);\n}\n");
    }

    private void GenerateMergingMethods(ProtocPrinter printer)
    {
        WriteGeneratedCodeAttributes(printer);
        printer.Print("public void MergeFrom($class_name$ other) {\n", "class_name", ClassName);
        printer.Indent();
        printer.Print("if (other == null) {\n  return;\n}\n");
        foreach (var field in _message.Fields)
        {
            if (field.RealContainingOneof == null)
            {
                Generator(field).GenerateMergingCode(printer);
            }
        }

        for (var i = 0; i < _message.RealOneofCount; i++)
        {
            WriteOneofSwitch(printer, _message.Oneofs[i], static (g, p) => g.GenerateMergingCode(p));
        }

        if (_hasExtensionRanges)
        {
            printer.Print("pb::ExtensionSet.MergeFrom(ref _extensions, other._extensions);\n");
        }

        printer.Print("_unknownFields = pb::UnknownFieldSet.MergeFrom(_unknownFields, other._unknownFields);\n");
        printer.Outdent();
        printer.Print("}\n\n");

        WriteGeneratedCodeAttributes(printer);
        printer.Print("public void MergeFrom(pb::CodedInputStream input) {\n");
        printer.Print("#if !GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE\n");
        printer.Indent();
        printer.Print("input.ReadRawMessage(this);\n");
        printer.Outdent();
        printer.Print("#else\n");
        printer.Indent();
        GenerateMainParseLoop(printer, useParseContext: false);
        printer.Outdent();
        printer.Print("#endif\n");
        printer.Print("}\n\n");

        printer.Print("#if !GOOGLE_PROTOBUF_REFSTRUCT_COMPATIBILITY_MODE\n");
        WriteGeneratedCodeAttributes(printer);
        printer.Print("void pb::IBufferMessage.InternalMergeFrom(ref pb::ParseContext input) {\n");
        printer.Indent();
        GenerateMainParseLoop(printer, useParseContext: true);
        printer.Outdent();
        printer.Print("}\n");
        printer.Print("#endif\n\n");
    }

    private void GenerateMainParseLoop(ProtocPrinter printer, bool useParseContext)
    {
        var input = useParseContext ? "ref input" : "input";
        // protoc emits this part from a dedented raw string: the "if" sits at the "while"'s indent.
        printer.Print("uint tag;\nwhile ((tag = input.ReadTag()) != 0) {\nif ((tag & 7) == 4) {\n  // Abort on any end group tag.\n  return;\n}\nswitch(tag) {\n");
        printer.Indent();
        printer.Indent();
        printer.Print(_hasExtensionRanges
            ? "default:\n  if (!pb::ExtensionSet.TryMergeFieldFrom(ref _extensions, $maybe_ref_input$)) {\n    _unknownFields = pb::UnknownFieldSet.MergeFieldFrom(_unknownFields, $maybe_ref_input$);\n  }\n  break;\n"
            : "default:\n  _unknownFields = pb::UnknownFieldSet.MergeFieldFrom(_unknownFields, $maybe_ref_input$);\n  break;\n",
            "maybe_ref_input", input);
        foreach (var field in _fieldsByNumber)
        {
            var tag = MakeTag(field.Number, WireType(field.Type));
            // Packed and unpacked encodings are both accepted: the packed tag gets its own case first.
            if (field.IsPackable)
            {
                printer.Print("case $packed_tag$:\n", "packed_tag", MakeTag(field.Number, 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            printer.Print("case $tag$: {\n", "tag", tag.ToString(System.Globalization.CultureInfo.InvariantCulture));
            printer.Indent();
            Generator(field).GenerateParsingCode(printer, useParseContext);
            printer.Print("break;\n");
            printer.Outdent();
            printer.Print("}\n");
        }

        printer.Outdent();
        printer.Print("}\n");
        printer.Outdent();
        printer.Print("}\n");
    }
}
