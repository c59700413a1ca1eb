using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;

namespace Kiln.Protobuf.Syntax;

internal sealed partial class ProtoParser
{
    private bool ParseExtensions(DescriptorProto message, LocationRecorder extensionsLocation)
    {
        if (!Consume("extensions"))
        {
            return false;
        }

        var oldRangeSize = message.ExtensionRange.Count;
        do
        {
            using var location = new LocationRecorder(extensionsLocation, message.ExtensionRange.Count);
            var range = new DescriptorProto.Types.ExtensionRange();
            message.ExtensionRange.Add(range);
            location.RecordLegacyLocation(range, ErrorLocation.Number);
            int start, end;
            Token startToken;
            using (new LocationRecorder(location, DescriptorProto.Types.ExtensionRange.StartFieldNumber))
            {
                startToken = _input.Current;
                if (!ConsumeInteger(out start, "Expected field number range."))
                {
                    return false;
                }

                if (start == int.MaxValue)
                {
                    RecordError("Field number out of bounds.");
                    return false;
                }
            }

            if (TryConsume("to"))
            {
                using var endLocation = new LocationRecorder(location, DescriptorProto.Types.ExtensionRange.EndFieldNumber);
                if (TryConsume("max"))
                {
                    end = MaxRangeSentinel - 1;
                }
                else
                {
                    if (!ConsumeInteger(out end, "Expected integer."))
                    {
                        return false;
                    }

                    if (end == int.MaxValue)
                    {
                        RecordError("Field number out of bounds.");
                        return false;
                    }
                }
            }
            else
            {
                using var endLocation = new LocationRecorder(location, DescriptorProto.Types.ExtensionRange.EndFieldNumber);
                endLocation.StartAt(startToken);
                endLocation.EndAt(startToken);
                end = start;
            }

            end++;
            range.Start = start;
            range.End = end;
        }
        while (TryConsume(","));

        if (LookingAt("["))
        {
            var rangeNumberIndex = extensionsLocation.CurrentPathSize;
            var info = new SourceCodeInfo();
            var options = message.ExtensionRange[oldRangeSize].Options = new ExtensionRangeOptions();
            using (var indexLocation = new LocationRecorder(extensionsLocation, 0, info))
            using (var location = new LocationRecorder(indexLocation, DescriptorProto.Types.ExtensionRange.OptionsFieldNumber))
            {
                if (!Consume("["))
                {
                    return false;
                }

                do
                {
                    if (!ParseOption(options.UninterpretedOption, location, OptionStyle.Assignment))
                    {
                        return false;
                    }
                }
                while (TryConsume(","));

                if (!Consume("]"))
                {
                    return false;
                }
            }

            for (var i = oldRangeSize + 1; i < message.ExtensionRange.Count; i++)
            {
                message.ExtensionRange[i].Options = options.Clone();
            }

            for (var i = oldRangeSize; i < message.ExtensionRange.Count; i++)
            {
                foreach (var loc in info.Location)
                {
                    if (loc.Path.Count == rangeNumberIndex + 1)
                    {
                        continue;
                    }

                    var dest = loc.Clone();
                    dest.Path[rangeNumberIndex] = i;
                    _sourceCodeInfo.Location.Add(dest);
                }
            }
        }

        return ConsumeEndOfDeclaration(";", extensionsLocation);
    }

    private bool ParseReserved(DescriptorProto message, LocationRecorder messageLocation)
    {
        var startToken = _input.Current;
        if (!Consume("reserved"))
        {
            return false;
        }

        if (ParseReservedNameStatement(message.ReservedName, messageLocation, DescriptorProto.ReservedNameFieldNumber, startToken, "field name") is { } named)
        {
            return named;
        }

        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.ReservedRangeFieldNumber);
            location.StartAt(startToken);
            return ParseReservedNumbers(message, location);
        }
    }

    /// <summary>
    /// The rest of a <c>reserved</c> statement of names (message or enum): string literals, or
    /// identifiers in editions; null when the statement reserves numbers instead.
    /// </summary>
    private bool? ParseReservedNameStatement(RepeatedField<string> names, LocationRecorder ownerLocation, int namesFieldNumber, in Token startToken, string what)
    {
        if (LookingAtType(TokenType.String))
        {
            if (_syntax == "editions")
            {
                RecordError("Reserved names must be identifiers in editions, not string literals.");
                return false;
            }

            using var location = new LocationRecorder(ownerLocation, namesFieldNumber);
            location.StartAt(startToken);
            return ParseReservedNames(names, location, $"Expected {what} string literal.");
        }

        if (LookingAtType(TokenType.Identifier))
        {
            if (_syntax != "editions")
            {
                RecordError("Reserved names must be string literals. (Only editions supports identifiers.)");
                return false;
            }

            using var location = new LocationRecorder(ownerLocation, namesFieldNumber);
            location.StartAt(startToken);
            return ParseReservedIdentifiers(names, location, $"Expected {what} identifier.");
        }

        return null;
    }

    private bool ParseReservedNames(RepeatedField<string> names, LocationRecorder parentLocation, string error)
    {
        do
        {
            using var location = new LocationRecorder(parentLocation, names.Count);
            var line = _input.Current.Line;
            var col = _input.Current.Column;
            var ok = ConsumeString(out var name, error);
            names.Add(name);
            if (!ok)
            {
                return false;
            }

            if (!ProtoTokenizer.IsIdentifier(name))
            {
                RecordWarning(line, col, $"Reserved name \"{name}\" is not a valid identifier.");
            }
        }
        while (TryConsume(","));

        return ConsumeEndOfDeclaration(";", parentLocation);
    }

    private bool ParseReservedIdentifiers(RepeatedField<string> names, LocationRecorder parentLocation, string error)
    {
        do
        {
            using var location = new LocationRecorder(parentLocation, names.Count);
            var ok = ConsumeIdentifier(out var name, error);
            names.Add(name);
            if (!ok)
            {
                return false;
            }
        }
        while (TryConsume(","));

        return ConsumeEndOfDeclaration(";", parentLocation);
    }

    private bool ParseReservedNumbers(DescriptorProto message, LocationRecorder parentLocation)
    {
        var first = true;
        do
        {
            using var location = new LocationRecorder(parentLocation, message.ReservedRange.Count);
            var range = new DescriptorProto.Types.ReservedRange();
            message.ReservedRange.Add(range);
            location.RecordLegacyLocation(range, ErrorLocation.Number);
            int start, end;
            Token startToken;
            using (new LocationRecorder(location, DescriptorProto.Types.ReservedRange.StartFieldNumber))
            {
                startToken = _input.Current;
                if (!ConsumeInteger(out start, first ? "Expected field name or number range." : "Expected field number range."))
                {
                    return false;
                }
            }

            if (TryConsume("to"))
            {
                using var endLocation = new LocationRecorder(location, DescriptorProto.Types.ReservedRange.EndFieldNumber);
                if (TryConsume("max"))
                {
                    end = MaxRangeSentinel - 1;
                }
                else if (!ConsumeInteger(out end, "Expected integer."))
                {
                    return false;
                }
            }
            else
            {
                using var endLocation = new LocationRecorder(location, DescriptorProto.Types.ReservedRange.EndFieldNumber);
                endLocation.StartAt(startToken);
                endLocation.EndAt(startToken);
                end = start;
            }

            end++;
            range.Start = start;
            range.End = end;
            first = false;
        }
        while (TryConsume(","));

        return ConsumeEndOfDeclaration(";", parentLocation);
    }

    private bool ParseReserved(EnumDescriptorProto proto, LocationRecorder enumLocation)
    {
        var startToken = _input.Current;
        if (!Consume("reserved"))
        {
            return false;
        }

        if (ParseReservedNameStatement(proto.ReservedName, enumLocation, EnumDescriptorProto.ReservedNameFieldNumber, startToken, "enum value") is { } named)
        {
            return named;
        }

        {
            using var location = new LocationRecorder(enumLocation, EnumDescriptorProto.ReservedRangeFieldNumber);
            location.StartAt(startToken);
            var first = true;
            do
            {
                using var rangeLocation = new LocationRecorder(location, proto.ReservedRange.Count);
                var range = new EnumDescriptorProto.Types.EnumReservedRange();
                proto.ReservedRange.Add(range);
                rangeLocation.RecordLegacyLocation(range, ErrorLocation.Number);
                int start, end;
                Token startTok;
                using (new LocationRecorder(rangeLocation, EnumDescriptorProto.Types.EnumReservedRange.StartFieldNumber))
                {
                    startTok = _input.Current;
                    if (!ConsumeSignedInteger(out start, first ? "Expected enum value or number range." : "Expected enum number range."))
                    {
                        return false;
                    }
                }

                if (TryConsume("to"))
                {
                    using var endLocation = new LocationRecorder(rangeLocation, EnumDescriptorProto.Types.EnumReservedRange.EndFieldNumber);
                    if (TryConsume("max"))
                    {
                        end = int.MaxValue;
                    }
                    else if (!ConsumeSignedInteger(out end, "Expected integer."))
                    {
                        return false;
                    }
                }
                else
                {
                    using var endLocation = new LocationRecorder(rangeLocation, EnumDescriptorProto.Types.EnumReservedRange.EndFieldNumber);
                    endLocation.StartAt(startTok);
                    endLocation.EndAt(startTok);
                    end = start;
                }

                range.Start = start;
                range.End = end;
                first = false;
            }
            while (TryConsume(","));

            return ConsumeEndOfDeclaration(";", location);
        }
    }

    private bool ParseExtend(RepeatedField<FieldDescriptorProto> extensions, RepeatedField<DescriptorProto> messages, LocationRecorder parentLocation,
        int nestedTypeFieldNumber, LocationRecorder extendLocation, FileDescriptorProto file)
    {
        if (!Consume("extend"))
        {
            return false;
        }

        var extendeeStart = _input.Current;
        if (!ParseUserDefinedType(out var extendee))
        {
            return false;
        }

        var extendeeEnd = _input.Previous;
        if (!ConsumeEndOfDeclaration("{", extendLocation))
        {
            return false;
        }

        var isFirst = true;
        do
        {
            if (AtEnd)
            {
                RecordError("Reached end of input in extend definition (missing '}').");
                return false;
            }

            using var location = new LocationRecorder(extendLocation, extensions.Count);
            var field = new FieldDescriptorProto();
            extensions.Add(field);
            using (var extendeeLocation = new LocationRecorder(location, FieldDescriptorProto.ExtendeeFieldNumber))
            {
                extendeeLocation.StartAt(extendeeStart);
                extendeeLocation.EndAt(extendeeEnd);
                if (isFirst)
                {
                    extendeeLocation.RecordLegacyLocation(field, ErrorLocation.Extendee);
                    isFirst = false;
                }
            }

            field.Extendee = extendee;
            if (!ParseMessageField(field, messages, parentLocation, nestedTypeFieldNumber, location, file))
            {
                SkipStatement();
            }
        }
        while (!TryConsumeEndOfDeclaration("}", null));

        return true;
    }

    private bool ParseOneof(OneofDescriptorProto oneof, DescriptorProto containingType, int oneofIndex, LocationRecorder oneofLocation,
        LocationRecorder containingTypeLocation, FileDescriptorProto file)
    {
        if (!Consume("oneof"))
        {
            return false;
        }

        using (new LocationRecorder(oneofLocation, OneofDescriptorProto.NameFieldNumber))
        {
            var ok = ConsumeIdentifier(out var name, "Expected oneof name.");
            oneof.Name = name;
            if (!ok)
            {
                return false;
            }
        }

        if (!ConsumeEndOfDeclaration("{", oneofLocation))
        {
            return false;
        }

        do
        {
            if (AtEnd)
            {
                RecordError("Reached end of input in oneof definition (missing '}').");
                return false;
            }

            if (LookingAt("option"))
            {
                using var optionLocation = new LocationRecorder(oneofLocation, OneofDescriptorProto.OptionsFieldNumber);
                oneof.Options ??= new OneofOptions();
                if (!ParseOption(oneof.Options.UninterpretedOption, optionLocation, OptionStyle.Statement))
                {
                    return false;
                }

                continue;
            }

            if (LookingAt("required") || LookingAt("optional") || LookingAt("repeated"))
            {
                RecordError("Fields in oneofs must not have labels (required / optional / repeated).");
                _input.Next();
            }

            using var fieldLocation = new LocationRecorder(containingTypeLocation, DescriptorProto.FieldFieldNumber, containingType.Field.Count);
            var field = new FieldDescriptorProto { Label = Label.Optional, OneofIndex = oneofIndex };
            containingType.Field.Add(field);
            if (!ParseMessageFieldNoLabel(field, containingType.NestedType, containingTypeLocation, DescriptorProto.NestedTypeFieldNumber, fieldLocation, file))
            {
                SkipStatement();
            }
        }
        while (!TryConsumeEndOfDeclaration("}", null));

        return true;
    }

    // ---- enums --------------------------------------------------------------------------------

    private bool ParseEnumDefinition(EnumDescriptorProto enumType, SymbolVisibility visibility, LocationRecorder enumLocation, FileDescriptorProto file)
    {
        if (!Consume("enum"))
        {
            return false;
        }

        using (var location = new LocationRecorder(enumLocation, EnumDescriptorProto.NameFieldNumber))
        {
            location.RecordLegacyLocation(enumType, ErrorLocation.Name);
            var ok = ConsumeIdentifier(out var name, "Expected enum name.");
            enumType.Name = name;
            if (!ok)
            {
                return false;
            }
        }

        if (!ParseEnumBlock(enumType, enumLocation) || !ValidateEnum(enumType))
        {
            return false;
        }

        if (visibility != SymbolVisibility.VisibilityUnset)
        {
            enumType.Visibility = visibility;
        }

        return true;
    }

    private bool ValidateEnum(EnumDescriptorProto proto)
    {
        var hasAllowAlias = false;
        var allowAlias = false;
        if (proto.Options != null)
        {
            foreach (var option in proto.Options.UninterpretedOption)
            {
                if (option.Name.Count > 1)
                {
                    continue;
                }

                if (option.Name.Count == 1 && !option.Name[0].IsExtension && option.Name[0].NamePart_ == "allow_alias")
                {
                    hasAllowAlias = true;
                    if (option.IdentifierValue == "true")
                    {
                        allowAlias = true;
                    }

                    break;
                }
            }
        }

        if (hasAllowAlias && !allowAlias)
        {
            RecordError($"\"{proto.Name}\" declares 'option allow_alias = false;' which has no effect. Please remove the declaration.");
            return false;
        }

        var used = new HashSet<int>();
        var hasDuplicates = false;
        foreach (var v in proto.Value)
        {
            if (!used.Add(v.Number))
            {
                hasDuplicates = true;
                break;
            }
        }

        if (allowAlias && !hasDuplicates)
        {
            RecordError($"\"{proto.Name}\" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.");
            return false;
        }

        return true;
    }

    private bool ParseEnumBlock(EnumDescriptorProto enumType, LocationRecorder enumLocation)
    {
        if (!ConsumeEndOfDeclaration("{", enumLocation))
        {
            return false;
        }

        while (!TryConsumeEndOfDeclaration("}", null))
        {
            if (AtEnd)
            {
                RecordError("Reached end of input in enum definition (missing '}').");
                return false;
            }

            if (!ParseEnumStatement(enumType, enumLocation))
            {
                SkipStatement();
            }
        }

        return true;
    }

    private bool ParseEnumStatement(EnumDescriptorProto enumType, LocationRecorder enumLocation)
    {
        if (TryConsumeEndOfDeclaration(";", null))
        {
            return true;
        }

        if (LookingAt("option"))
        {
            using var location = new LocationRecorder(enumLocation, EnumDescriptorProto.OptionsFieldNumber);
            enumType.Options ??= new EnumOptions();
            return ParseOption(enumType.Options.UninterpretedOption, location, OptionStyle.Statement);
        }

        if (LookingAt("reserved"))
        {
            return ParseReserved(enumType, enumLocation);
        }

        {
            using var location = new LocationRecorder(enumLocation, EnumDescriptorProto.ValueFieldNumber, enumType.Value.Count);
            var value = new EnumValueDescriptorProto();
            enumType.Value.Add(value);
            return ParseEnumConstant(value, location);
        }
    }

    private bool ParseEnumConstant(EnumValueDescriptorProto value, LocationRecorder valueLocation)
    {
        using (var location = new LocationRecorder(valueLocation, EnumValueDescriptorProto.NameFieldNumber))
        {
            location.RecordLegacyLocation(value, ErrorLocation.Name);
            var ok = ConsumeIdentifier(out var name, "Expected enum constant name.");
            value.Name = name;
            if (!ok)
            {
                return false;
            }
        }

        if (!Consume("=", "Missing numeric value for enum constant."))
        {
            return false;
        }

        using (var location = new LocationRecorder(valueLocation, EnumValueDescriptorProto.NumberFieldNumber))
        {
            location.RecordLegacyLocation(value, ErrorLocation.Number);
            if (!ConsumeSignedInteger(out var number, "Expected integer."))
            {
                return false;
            }

            value.Number = number;
        }

        if (LookingAt("["))
        {
            using var location = new LocationRecorder(valueLocation, EnumValueDescriptorProto.OptionsFieldNumber);
            if (!Consume("["))
            {
                return false;
            }

            value.Options ??= new EnumValueOptions();
            do
            {
                if (!ParseOption(value.Options.UninterpretedOption, location, OptionStyle.Assignment))
                {
                    return false;
                }
            }
            while (TryConsume(","));

            if (!Consume("]"))
            {
                return false;
            }
        }

        return ConsumeEndOfDeclaration(";", valueLocation);
    }

    // ---- services -----------------------------------------------------------------------------

    private bool ParseServiceDefinition(ServiceDescriptorProto service, LocationRecorder serviceLocation, FileDescriptorProto file)
    {
        if (!Consume("service"))
        {
            return false;
        }

        using (var location = new LocationRecorder(serviceLocation, ServiceDescriptorProto.NameFieldNumber))
        {
            location.RecordLegacyLocation(service, ErrorLocation.Name);
            var ok = ConsumeIdentifier(out var name, "Expected service name.");
            service.Name = name;
            if (!ok)
            {
                return false;
            }
        }

        if (!ConsumeEndOfDeclaration("{", serviceLocation))
        {
            return false;
        }

        while (!TryConsumeEndOfDeclaration("}", null))
        {
            if (AtEnd)
            {
                RecordError("Reached end of input in service definition (missing '}').");
                return false;
            }

            if (!ParseServiceStatement(service, serviceLocation))
            {
                SkipStatement();
            }
        }

        return true;
    }

    private bool ParseServiceStatement(ServiceDescriptorProto service, LocationRecorder serviceLocation)
    {
        if (TryConsumeEndOfDeclaration(";", null))
        {
            return true;
        }

        if (LookingAt("option"))
        {
            using var location = new LocationRecorder(serviceLocation, ServiceDescriptorProto.OptionsFieldNumber);
            service.Options ??= new ServiceOptions();
            return ParseOption(service.Options.UninterpretedOption, location, OptionStyle.Statement);
        }

        {
            using var location = new LocationRecorder(serviceLocation, ServiceDescriptorProto.MethodFieldNumber, service.Method.Count);
            var method = new MethodDescriptorProto();
            service.Method.Add(method);
            return ParseServiceMethod(method, location);
        }
    }

    private bool ParseServiceMethod(MethodDescriptorProto method, LocationRecorder methodLocation)
    {
        if (!Consume("rpc"))
        {
            return false;
        }

        using (var location = new LocationRecorder(methodLocation, MethodDescriptorProto.NameFieldNumber))
        {
            location.RecordLegacyLocation(method, ErrorLocation.Name);
            var ok = ConsumeIdentifier(out var name, "Expected method name.");
            method.Name = name;
            if (!ok)
            {
                return false;
            }
        }

        if (!Consume("("))
        {
            return false;
        }

        {
            if (LookingAt("stream"))
            {
                using var location = new LocationRecorder(methodLocation, MethodDescriptorProto.ClientStreamingFieldNumber);
                location.RecordLegacyLocation(method, ErrorLocation.Other);
                method.ClientStreaming = true;
                if (!Consume("stream"))
                {
                    return false;
                }
            }

            using var typeLocation = new LocationRecorder(methodLocation, MethodDescriptorProto.InputTypeFieldNumber);
            typeLocation.RecordLegacyLocation(method, ErrorLocation.InputType);
            var ok = ParseUserDefinedType(out var input);
            method.InputType = input;
            if (!ok)
            {
                return false;
            }
        }

        if (!Consume(")") || !Consume("returns") || !Consume("("))
        {
            return false;
        }

        {
            if (LookingAt("stream"))
            {
                using var location = new LocationRecorder(methodLocation, MethodDescriptorProto.ServerStreamingFieldNumber);
                location.RecordLegacyLocation(method, ErrorLocation.Other);
                if (!Consume("stream"))
                {
                    return false;
                }

                method.ServerStreaming = true;
            }

            using var typeLocation = new LocationRecorder(methodLocation, MethodDescriptorProto.OutputTypeFieldNumber);
            typeLocation.RecordLegacyLocation(method, ErrorLocation.OutputType);
            var ok = ParseUserDefinedType(out var output);
            method.OutputType = output;
            if (!ok)
            {
                return false;
            }
        }

        if (!Consume(")"))
        {
            return false;
        }

        if (LookingAt("{"))
        {
            method.Options ??= new MethodOptions();
            ConsumeEndOfDeclaration("{", methodLocation);
            while (!TryConsumeEndOfDeclaration("}", null))
            {
                if (AtEnd)
                {
                    RecordError("Reached end of input in method options (missing '}').");
                    return false;
                }

                if (TryConsumeEndOfDeclaration(";", null))
                {
                    continue;
                }

                using var location = new LocationRecorder(methodLocation, MethodDescriptorProto.OptionsFieldNumber);
                if (!ParseOption(method.Options.UninterpretedOption, location, OptionStyle.Statement))
                {
                    SkipStatement();
                }
            }

            return true;
        }

        return ConsumeEndOfDeclaration(";", methodLocation);
    }

    // ---- labels and types ---------------------------------------------------------------------

    private bool ParseLabel(out Label label, LocationRecorder fieldLocation)
    {
        label = Label.Optional;
        if (!LookingAt("optional") && !LookingAt("repeated") && !LookingAt("required"))
        {
            return false;
        }

        if (LookingAt("optional") && _syntax == "editions")
        {
            RecordError("Label \"optional\" is not supported in editions. By default, all singular fields have presence unless features.field_presence is set.");
        }

        if (LookingAt("required") && _syntax == "editions")
        {
            RecordError("Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.");
        }

        using var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.LabelFieldNumber);
        if (TryConsume("optional"))
        {
            label = Label.Optional;
        }
        else if (TryConsume("repeated"))
        {
            label = Label.Repeated;
        }
        else
        {
            Consume("required");
            label = Label.Required;
        }

        return true;
    }

    internal static bool TryGetScalarType(ReadOnlySpan<char> name, out FieldType type)
    {
        type = name switch
        {
            "double" => FieldType.Double,
            "float" => FieldType.Float,
            "uint64" => FieldType.Uint64,
            "fixed64" => FieldType.Fixed64,
            "fixed32" => FieldType.Fixed32,
            "bool" => FieldType.Bool,
            "string" => FieldType.String,
            "group" => FieldType.Group,
            "bytes" => FieldType.Bytes,
            "uint32" => FieldType.Uint32,
            "sfixed32" => FieldType.Sfixed32,
            "sfixed64" => FieldType.Sfixed64,
            "int32" => FieldType.Int32,
            "int64" => FieldType.Int64,
            "sint32" => FieldType.Sint32,
            "sint64" => FieldType.Sint64,
            _ => 0,
        };
        return type != 0;
    }

    private bool ParseType(out FieldType type, out string typeName)
    {
        typeName = "";
        if (_input.Current.Type is TokenType.Identifier && TryGetScalarType(_input.CurrentText, out type))
        {
            if (_syntax == "editions" && type == FieldType.Group)
            {
                RecordError("Group syntax is no longer supported in editions. To get group behavior you can specify features.message_encoding = DELIMITED on a message field.");
            }

            _input.Next();
            return true;
        }

        type = FieldType.Int32;
        return ParseUserDefinedType(out typeName);
    }

    private bool ParseUserDefinedType(out string typeName)
    {
        typeName = "";
        if (_input.Current.Type is TokenType.Identifier && TryGetScalarType(_input.CurrentText, out _))
        {
            RecordError("Expected message type.");
            typeName = _input.TextOf(_input.Current);
            _input.Next();
            return true;
        }

        var sb = new System.Text.StringBuilder();
        try
        {
            if (TryConsume("."))
            {
                sb.Append('.');
            }

            if (!ConsumeIdentifier(out var identifier, "Expected type name."))
            {
                return false;
            }

            sb.Append(identifier);
            while (TryConsume("."))
            {
                sb.Append('.');
                if (!ConsumeIdentifier(out identifier, "Expected identifier."))
                {
                    return false;
                }

                sb.Append(identifier);
            }

            return true;
        }
        finally
        {
            typeName = sb.ToString();
        }
    }

    // ---- header statements --------------------------------------------------------------------

    private bool ParsePackage(FileDescriptorProto file, LocationRecorder root)
    {
        if (file.HasPackage)
        {
            RecordError("Multiple package definitions.");
            file.ClearPackage();
        }

        using var location = new LocationRecorder(root, FileDescriptorProto.PackageFieldNumber);
        location.RecordLegacyLocation(file, ErrorLocation.Name);
        if (!Consume("package"))
        {
            return false;
        }

        var sb = new System.Text.StringBuilder();
        try
        {
            while (true)
            {
                if (!ConsumeIdentifier(out var identifier, "Expected identifier."))
                {
                    return false;
                }

                sb.Append(identifier);
                if (!TryConsume("."))
                {
                    break;
                }

                sb.Append('.');
            }
        }
        finally
        {
            file.Package = sb.ToString();
        }

        return ConsumeEndOfDeclaration(";", location);
    }

    private bool ParseImport(FileDescriptorProto file, LocationRecorder root)
    {
        var importStart = _input.Current;
        if (!Consume("import"))
        {
            return false;
        }

        string importFile;
        if (LookingAt("option"))
        {
            if (_edition < Edition._2024)
            {
                RecordError("option import is not supported before edition 2024.");
            }

            using var optionImportLocation = new LocationRecorder(root, FileDescriptorProto.OptionDependencyFieldNumber, file.OptionDependency.Count);
            optionImportLocation.StartAt(importStart);
            if (!Consume("option"))
            {
                return false;
            }

            if (!ConsumeString(out importFile, "Expected a string naming the file to import."))
            {
                return false;
            }

            file.OptionDependency.Add(importFile);
            optionImportLocation.RecordLegacyImportLocation(file, importFile);
            return ConsumeEndOfDeclaration(";", optionImportLocation);
        }

        using var importLocation = new LocationRecorder(root, FileDescriptorProto.DependencyFieldNumber, file.Dependency.Count);
        importLocation.StartAt(importStart);
        if (file.OptionDependency.Count > 0)
        {
            RecordError("imports should precede any option imports to ensure proto files can roundtrip.");
        }

        if (LookingAt("public"))
        {
            using var publicLocation = new LocationRecorder(root, FileDescriptorProto.PublicDependencyFieldNumber, file.PublicDependency.Count);
            if (!Consume("public"))
            {
                return false;
            }

            file.PublicDependency.Add(file.Dependency.Count);
        }
        else if (LookingAt("weak"))
        {
            if (_edition >= Edition._2024)
            {
                RecordError("weak import is not supported in edition 2024 and above. Consider using option import instead.");
            }

            using var weakLocation = new LocationRecorder(root, FileDescriptorProto.WeakDependencyFieldNumber, file.WeakDependency.Count);
            weakLocation.RecordLegacyImportLocation(file, "weak");
            if (!Consume("weak"))
            {
                return false;
            }

            file.WeakDependency.Add(file.Dependency.Count);
        }

        if (!ConsumeString(out importFile, "Expected a string naming the file to import."))
        {
            return false;
        }

        file.Dependency.Add(importFile);
        importLocation.RecordLegacyImportLocation(file, importFile);
        return ConsumeEndOfDeclaration(";", importLocation);
    }

    private bool ParseVisibility(FileDescriptorProto file, ref SymbolVisibility visibility)
    {
        if (!file.HasEdition || file.Edition <= Edition._2023)
        {
            return true;
        }

        if (TryConsume("export"))
        {
            visibility = SymbolVisibility.VisibilityExport;
        }
        else if (TryConsume("local"))
        {
            visibility = SymbolVisibility.VisibilityLocal;
        }

        if (visibility != SymbolVisibility.VisibilityUnset && !LookingAt("message") && !LookingAt("enum"))
        {
            RecordError("'local' and 'export' visibility modifiers are valid only on 'message' and 'enum'");
            return false;
        }

        return true;
    }
}
