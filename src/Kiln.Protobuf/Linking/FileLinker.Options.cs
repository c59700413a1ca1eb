using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using FileOptions = Google.Protobuf.Reflection.FileOptions;

namespace Kiln.Protobuf.Linking;

internal sealed partial class FileLinker
{
    private const int MaxCanonicalDepth = 100;

    /// <summary><c>uninterpreted_option</c>'s number in every options message.</summary>
    private const int UninterpretedOptionsFieldNumber = 999;

    private readonly List<Action> _finalizers = [];
    private readonly Dictionary<string, Symbol?> _optionsTypes = new(StringComparer.Ordinal);
    private bool _stripSourceRetention;
    private bool _strippedSourceRetention;

    /// <summary>
    /// Set by <see cref="Canonicalize"/> when it meets a source-retention field (stripped or not) or a
    /// field of this file (whose retention may not be interpreted yet): the bytes may still change
    /// when the finalizers canonicalize them again.
    /// </summary>
    private bool _sawSourceRetention;

    /// <summary>
    /// For source info (protoc's <c>interpreted_paths_</c>): the path of an option statement's location
    /// (element options path, 999, index) → the path of the interpreted field (+ index if repeated).
    /// </summary>
    private readonly Dictionary<string, InterpretedOptionPath> _interpretedPaths = new(StringComparer.Ordinal);

    /// <summary>Options that source-retention stripping changed: how to set them with and without those options.</summary>
    private readonly List<(Action Retain, Action Strip)> _sourceRetained = [];

    /// <summary>For source info: options messages that source-retention stripping emptied and dropped.</summary>
    private readonly List<List<int>> _droppedOptionsPaths = [];

    private void InterpretAllOptions()
    {
        var package = _out.Package ?? "";
        var parsed = _parsed.Proto;
        if (_out.Options != null)
        {
            Interpret(_out.Options, _parsed.UninterpretedOptions(parsed.Options), "google.protobuf.FileOptions", package + ".dummy", [FileDescriptorProto.OptionsFieldNumber], opts => _out.Options = opts);
        }

        for (var i = 0; i < _out.MessageType.Count; i++)
        {
            InterpretMessageOptions(parsed.MessageType[i], _out.MessageType[i], package, [FileDescriptorProto.MessageTypeFieldNumber, i]);
        }

        for (var i = 0; i < _out.EnumType.Count; i++)
        {
            InterpretEnumOptions(parsed.EnumType[i], _out.EnumType[i], package, [FileDescriptorProto.EnumTypeFieldNumber, i]);
        }

        for (var i = 0; i < _out.Extension.Count; i++)
        {
            var f = _out.Extension[i];
            if (f.Options != null)
            {
                Interpret(f.Options, _parsed.UninterpretedOptions(parsed.Extension[i].Options), "google.protobuf.FieldOptions", Join(package, f.Name),
                    [FileDescriptorProto.ExtensionFieldNumber, i, FieldDescriptorProto.OptionsFieldNumber], opts => f.Options = opts);
            }
        }

        for (var i = 0; i < _out.Service.Count; i++)
        {
            var s = _out.Service[i];
            var ps = parsed.Service[i];
            var full = Join(package, s.Name);
            if (s.Options != null)
            {
                Interpret(s.Options, _parsed.UninterpretedOptions(ps.Options), "google.protobuf.ServiceOptions", full, [FileDescriptorProto.ServiceFieldNumber, i, ServiceDescriptorProto.OptionsFieldNumber], opts => s.Options = opts);
            }

            for (var j = 0; j < s.Method.Count; j++)
            {
                var m = s.Method[j];
                if (m.Options != null)
                {
                    Interpret(m.Options, _parsed.UninterpretedOptions(ps.Method[j].Options), "google.protobuf.MethodOptions", full + "." + m.Name,
                        [FileDescriptorProto.ServiceFieldNumber, i, ServiceDescriptorProto.MethodFieldNumber, j, MethodDescriptorProto.OptionsFieldNumber], opts => m.Options = opts);
                }
            }
        }

        if (!_hadErrors)
        {
            foreach (var finalize in _finalizers)
            {
                finalize();
            }

            if (_sourceRetained.Count > 0)
            {
                // Plugins get the file with its source-retention options too (source_file_descriptors).
                foreach (var (retain, _) in _sourceRetained)
                {
                    retain();
                }

                _file.SourceRetentionDescriptor = _out.Clone();
                foreach (var (_, strip) in _sourceRetained)
                {
                    strip();
                }
            }
        }
    }

    private static List<int> Path(List<int> prefix, params int[] more)
    {
        var l = new List<int>(prefix.Count + more.Length);
        l.AddRange(prefix);
        l.AddRange(more);
        return l;
    }

    private void InterpretMessageOptions(DescriptorProto parsed, DescriptorProto message, string scope, List<int> path)
    {
        var full = Join(scope, message.Name);
        if (message.Options != null)
        {
            Interpret(message.Options, _parsed.UninterpretedOptions(parsed.Options), "google.protobuf.MessageOptions", full, Path(path, DescriptorProto.OptionsFieldNumber), opts => message.Options = opts);
        }

        for (var i = 0; i < message.Field.Count; i++)
        {
            var f = message.Field[i];
            if (f.Options != null)
            {
                Interpret(f.Options, _parsed.UninterpretedOptions(parsed.Field[i].Options), "google.protobuf.FieldOptions", full + "." + f.Name,
                    Path(path, DescriptorProto.FieldFieldNumber, i, FieldDescriptorProto.OptionsFieldNumber), opts => f.Options = opts);
            }
        }

        for (var i = 0; i < message.OneofDecl.Count; i++)
        {
            var o = message.OneofDecl[i];
            if (o.Options != null)
            {
                Interpret(o.Options, _parsed.UninterpretedOptions(parsed.OneofDecl[i].Options), "google.protobuf.OneofOptions", full + "." + o.Name,
                    Path(path, DescriptorProto.OneofDeclFieldNumber, i, OneofDescriptorProto.OptionsFieldNumber), opts => o.Options = opts);
            }
        }

        for (var i = 0; i < message.ExtensionRange.Count; i++)
        {
            var r = message.ExtensionRange[i];
            if (r.Options != null)
            {
                Interpret(r.Options, _parsed.UninterpretedOptions(parsed.ExtensionRange[i].Options), "google.protobuf.ExtensionRangeOptions", full,
                    Path(path, DescriptorProto.ExtensionRangeFieldNumber, i, DescriptorProto.Types.ExtensionRange.OptionsFieldNumber), opts => r.Options = opts);
            }
        }

        for (var i = 0; i < message.Extension.Count; i++)
        {
            var f = message.Extension[i];
            if (f.Options != null)
            {
                Interpret(f.Options, _parsed.UninterpretedOptions(parsed.Extension[i].Options), "google.protobuf.FieldOptions", full + "." + f.Name,
                    Path(path, DescriptorProto.ExtensionFieldNumber, i, FieldDescriptorProto.OptionsFieldNumber), opts => f.Options = opts);
            }
        }

        for (var i = 0; i < message.NestedType.Count; i++)
        {
            InterpretMessageOptions(parsed.NestedType[i], message.NestedType[i], full, Path(path, DescriptorProto.NestedTypeFieldNumber, i));
        }

        for (var i = 0; i < message.EnumType.Count; i++)
        {
            InterpretEnumOptions(parsed.EnumType[i], message.EnumType[i], full, Path(path, DescriptorProto.EnumTypeFieldNumber, i));
        }
    }

    private void InterpretEnumOptions(EnumDescriptorProto parsed, EnumDescriptorProto e, string scope, List<int> path)
    {
        var full = Join(scope, e.Name);
        if (e.Options != null)
        {
            Interpret(e.Options, _parsed.UninterpretedOptions(parsed.Options), "google.protobuf.EnumOptions", full, Path(path, EnumDescriptorProto.OptionsFieldNumber), opts => e.Options = opts);
        }

        for (var i = 0; i < e.Value.Count; i++)
        {
            var v = e.Value[i];
            if (v.Options != null)
            {
                Interpret(v.Options, _parsed.UninterpretedOptions(parsed.Value[i].Options), "google.protobuf.EnumValueOptions", Join(scope, v.Name),
                    Path(path, EnumDescriptorProto.ValueFieldNumber, i, EnumValueDescriptorProto.OptionsFieldNumber), opts => v.Options = opts);
            }
        }
    }

    /// <summary>The options message named (a copy of descriptor.proto among the imports wins over the built-in one); asked once per element.</summary>
    private Symbol? OptionsType(string fullName)
    {
        if (_optionsTypes.TryGetValue(fullName, out var known))
        {
            return known;
        }

        var s = LookUpNotEnforcingDeps(fullName, out _);
        var type = s is { Kind: SymbolKind.Message } ? s : BuiltinDescriptor.File.Symbols.GetValueOrDefault(fullName);
        _optionsTypes[fullName] = type;
        return type;
    }

    /// <summary>Interprets the uninterpreted options of one element; returns the new options message.</summary>
    private void Interpret<T>(T? options, IReadOnlyList<UninterpretedOption> uninterpreted, string optionsTypeName, string nameScope, List<int> elementPath, Action<T?> set)
        where T : class, IMessage<T>, new()
    {
        if (options == null || _hadErrors)
        {
            return;
        }

        var optionsType = OptionsType(optionsTypeName);
        if (optionsType == null)
        {
            return;
        }

        if (uninterpreted.Count > 0)
        {
            // protoc looks the options message up for each option it interprets: an imported
            // descriptor.proto counts as used by a file that sets options.
            _unusedImports?.Remove(optionsType.File);
        }

        var interpreted = InterpretCore(options, uninterpreted, optionsType, nameScope, elementPath, out var canonicalBytes);
        set(interpreted);
        if (interpreted != null)
        {
            _finalizers.Add(() =>
            {
                var bytes = interpreted.ToByteArray();
                if (canonicalBytes != null && bytes.AsSpan().SequenceEqual(canonicalBytes))
                {
                    // Already canonical, with no source-retention option to strip: canonicalizing
                    // again would give the same bytes.
                    return;
                }

                _stripSourceRetention = true;
                _strippedSourceRetention = false;
                var canonical = Canonicalize(bytes, optionsType, 0);
                _stripSourceRetention = false;
                if (!_strippedSourceRetention && canonical.AsSpan().SequenceEqual(bytes))
                {
                    return;
                }

                var dropped = canonical.Length == 0 && bytes.Length > 0 && _strippedSourceRetention;
                if (dropped && _options.IncludeSourceInfo)
                {
                    _droppedOptionsPaths.Add(elementPath);
                }

                var stripped = dropped ? null : ParseOptions<T>(canonical);
                set(stripped);
                if (_strippedSourceRetention)
                {
                    var retained = ParseOptions<T>(Canonicalize(bytes, optionsType, 0));
                    _sourceRetained.Add((() => set(retained), () => set(stripped)));
                }
            });
        }
    }

    /// <param name="canonicalBytes">The canonical bytes the result was read from, when they hold no source-retention option; else null.</param>
    private T? InterpretCore<T>(T options, IReadOnlyList<UninterpretedOption> uninterpreted, Symbol optionsType, string nameScope, List<int> elementPath,
        out byte[]? canonicalBytes)
        where T : class, IMessage<T>, new()
    {
        canonicalBytes = null;
        if (uninterpreted.Count == 0)
        {
            return options;
        }

        // `options` is this file's own copy (the linker's descriptor), made without the uninterpreted
        // options (ParsedProtoFile keeps them apart). On failure they are put in, as protoc leaves them.
        var initial = options.ToByteArray();
        var records = new WireWriter();
        var repeatedCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < uninterpreted.Count; index++)
        {
            if (!InterpretSingleOption(uninterpreted[index], index, optionsType, nameScope, records, elementPath, repeatedCounts))
            {
                var own = ParsedProtoFile.UninterpretedList(options);
                foreach (var option in uninterpreted)
                {
                    own.Add(option.Clone());
                }

                return options;
            }
        }

        var all = new WireWriter();
        all.WriteRaw(initial);
        all.WriteRaw(records.WrittenSpan);
        _sawSourceRetention = false;
        var canonical = Canonicalize(all.WrittenSpan, optionsType, 0);
        if (!_sawSourceRetention)
        {
            canonicalBytes = canonical;
        }

        return ParseOptions<T>(canonical);
    }

    /// <summary>
    /// An options message read from bytes, as its generated parser reads it (unknown fields kept, no
    /// extension registry). Not through <c>options.Descriptor.Parser</c>: the first use of a
    /// descriptor builds Google.Protobuf's whole reflection of descriptor.proto (~50 ms of a new process).
    /// </summary>
    private static T ParseOptions<T>(byte[] bytes)
        where T : class, IMessage<T>, new()
    {
        var message = new T();
        message.MergeFrom(bytes);
        return message;
    }

    private bool AddOptionNameError(UninterpretedOption option, string message)
    {
        AddError(option, ErrorLocation.OptionName, ProtobufDiagnostics.OptionError, message);
        return false;
    }

    private bool AddOptionValueError(UninterpretedOption option, string message)
    {
        AddError(option, ErrorLocation.OptionValue, ProtobufDiagnostics.OptionError, message);
        return false;
    }

    private bool InterpretSingleOption(UninterpretedOption option, int optionIndex, Symbol optionsType, string nameScope, WireWriter records, List<int> elementPath,
        Dictionary<string, int> repeatedCounts)
    {
        if (option.Name.Count == 0)
        {
            return AddOptionNameError(option, "Option must have a name.");
        }

        if (option.Name[0].NamePart_ == "uninterpreted_option")
        {
            return AddOptionNameError(option, "Option must not use reserved name \"uninterpreted_option\".");
        }

        var descriptor = optionsType;
        Symbol? field = null;
        var intermediate = new List<Symbol>();
        var debugName = new System.Text.StringBuilder();
        var destPath = new List<int>(elementPath);
        for (var i = 0; i < option.Name.Count; i++)
        {
            _undefineResolvedName = "";
            var part = option.Name[i].NamePart_;
            if (debugName.Length > 0)
            {
                debugName.Append('.');
            }

            if (option.Name[i].IsExtension)
            {
                debugName.Append('(').Append(part).Append(')');
                var sym = LookupSymbol(part, nameScope);
                field = sym is { IsField: true } ? sym : null;
            }
            else
            {
                debugName.Append(part);
                field = descriptor.FindFieldByName(part);
            }

            if (field == null)
            {
                if (_undefineResolvedName.Length > 0)
                {
                    var dn = debugName.ToString();
                    return AddOptionNameError(option,
                        $"Option \"{dn}\" is resolved to \"({_undefineResolvedName})\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(.{dn[1..]}\") to start from the outermost scope.");
                }

                return AddOptionNameError(option,
                    $"Option \"{debugName}\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024).");
            }

            var containing = field.Kind == SymbolKind.Extension ? field.Extendee : field.Parent;
            if (containing == null || containing.FullName != descriptor.FullName)
            {
                return AddOptionNameError(option, $"Option field \"{debugName}\" is not a field or extension of message \"{descriptor.Name}\".");
            }

            destPath.Add(field.Field.Number);
            if (field.File == _file && option.Name[0].NamePart_ == "features" && !option.Name[0].IsExtension)
            {
                return AddOptionNameError(option, $"Feature \"{debugName}\" can't be used in the same file it's defined in.");
            }

            if (i < option.Name.Count - 1)
            {
                if (!field.IsMessageTyped)
                {
                    return AddOptionNameError(option, $"Option \"{debugName}\" is an atomic type, not a message.");
                }

                if (field.IsRepeated)
                {
                    return AddOptionNameError(option,
                        $"Option field \"{debugName}\" is a repeated message. Repeated message options must be initialized using an aggregate value.");
                }

                intermediate.Add(field);
                descriptor = field.ResolvedType ?? descriptor;
                if (field.ResolvedType == null)
                {
                    return AddOptionNameError(option, $"Option \"{debugName}\" unknown.");
                }
            }
        }

        var debugMsgName = debugName.ToString();
        if (!field!.IsRepeated && !ExamineIfOptionIsSet(records.WrittenSpan, intermediate, 0, field, option, debugMsgName))
        {
            return false;
        }

        var inner = new WireWriter();
        if (!SetOptionValue(option, field, inner))
        {
            return false;
        }

        for (var k = intermediate.Count - 1; k >= 0; k--)
        {
            var wrap = new WireWriter();
            var f = intermediate[k];
            if (f.Field.Type == FieldType.Group)
            {
                wrap.WriteTag(f.Field.Number, WireType.StartGroup);
                wrap.WriteRaw(inner.WrittenSpan);
                wrap.WriteTag(f.Field.Number, WireType.EndGroup);
            }
            else
            {
                wrap.WriteLengthDelimited(f.Field.Number, inner.WrittenSpan);
            }

            inner = wrap;
        }

        records.WriteRaw(inner.WrittenSpan);
        if (field.IsRepeated)
        {
            var key = string.Join(',', destPath);
            repeatedCounts.TryGetValue(key, out var index);
            repeatedCounts[key] = index + 1;
            destPath.Add(index);
        }

        if (_options.IncludeSourceInfo)
        {
            intermediate.Add(field);
            _interpretedPaths[SourceInfoRewriter.Key(elementPath, UninterpretedOptionsFieldNumber, optionIndex)] = new InterpretedOptionPath(destPath, intermediate);
        }

        return true;
    }

    private bool ExamineIfOptionIsSet(ReadOnlySpan<byte> data, List<Symbol> intermediate, int index, Symbol innermost, UninterpretedOption option, string debugName)
    {
        var records = new List<WireRecord>();
        if (!WireReader.TryRead(data, records))
        {
            return true;
        }

        if (index == intermediate.Count)
        {
            foreach (var r in records)
            {
                if (r.Number == innermost.Field.Number)
                {
                    return AddOptionNameError(option, $"Option \"{debugName}\" was already set.");
                }
            }

            return true;
        }

        var f = intermediate[index];
        foreach (var r in records)
        {
            if (r.Number == f.Field.Number && r.Type is WireType.LengthDelimited or WireType.StartGroup)
            {
                if (!ExamineIfOptionIsSet(data.Slice(r.Start, r.Length), intermediate, index + 1, innermost, option, debugName))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string Invariant(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool SetOptionValue(UninterpretedOption option, Symbol field, WireWriter output)
    {
        var f = field.Field;
        var number = f.Number;
        var fullName = field.FullName;
        switch (f.Type)
        {
            case FieldType.Int32:
            case FieldType.Sint32:
            case FieldType.Sfixed32:
            case FieldType.Int64:
            case FieldType.Sint64:
            case FieldType.Sfixed64:
                {
                    var is32 = f.Type is FieldType.Int32 or FieldType.Sint32 or FieldType.Sfixed32;
                    var (min, max, kind) = is32 ? (int.MinValue, int.MaxValue, "int32") : (long.MinValue, long.MaxValue, "int64");
                    long value;
                    if (option.HasPositiveIntValue)
                    {
                        if (option.PositiveIntValue > (ulong)max)
                        {
                            return AddOptionValueError(option, $"Value out of range, {min} to {max}, for {kind} option \"{fullName}\".");
                        }

                        value = (long)option.PositiveIntValue;
                    }
                    else if (option.HasNegativeIntValue)
                    {
                        if (option.NegativeIntValue < min)
                        {
                            return AddOptionValueError(option, $"Value out of range, {min} to {max}, for {kind} option \"{fullName}\".");
                        }

                        value = option.NegativeIntValue;
                    }
                    else
                    {
                        return AddOptionValueError(option, $"Value must be integer, from {min} to {max}, for {kind} option \"{fullName}\".");
                    }

                    WriteInt(output, number, f.Type, value);
                    return true;
                }

            case FieldType.Uint32:
            case FieldType.Fixed32:
                if (!option.HasPositiveIntValue)
                {
                    return AddOptionValueError(option, $"Value must be integer, from 0 to {uint.MaxValue}, for uint32 option \"{fullName}\".");
                }

                if (option.PositiveIntValue > uint.MaxValue)
                {
                    return AddOptionValueError(option, $"Value out of range, 0 to {uint.MaxValue}, for uint32 option \"{fullName}\".");
                }

                WriteUInt(output, number, f.Type, option.PositiveIntValue);
                return true;

            case FieldType.Uint64:
            case FieldType.Fixed64:
                if (!option.HasPositiveIntValue)
                {
                    return AddOptionValueError(option, $"Value must be integer, from 0 to {ulong.MaxValue}, for uint64 option \"{fullName}\".");
                }

                WriteUInt(output, number, f.Type, option.PositiveIntValue);
                return true;

            case FieldType.Float:
            case FieldType.Double:
                {
                    double value;
                    if (option.HasDoubleValue)
                    {
                        value = option.DoubleValue;
                    }
                    else if (option.HasPositiveIntValue)
                    {
                        value = option.PositiveIntValue;
                    }
                    else if (option.HasNegativeIntValue)
                    {
                        value = option.NegativeIntValue;
                    }
                    else if (option.IdentifierValue == "inf")
                    {
                        value = double.PositiveInfinity;
                    }
                    else if (option.IdentifierValue == "nan")
                    {
                        value = NumberFormat.QuietNaN;
                    }
                    else
                    {
                        return AddOptionValueError(option, $"Value must be number for {(f.Type == FieldType.Float ? "float" : "double")} option \"{fullName}\".");
                    }

                    WriteFloatingPoint(output, number, f.Type, value);
                    return true;
                }

            case FieldType.Bool:
                if (!option.HasIdentifierValue)
                {
                    return AddOptionValueError(option, $"Value must be identifier for boolean option \"{fullName}\".");
                }

                if (option.IdentifierValue is not ("true" or "false"))
                {
                    return AddOptionValueError(option, $"Value must be \"true\" or \"false\" for boolean option \"{fullName}\".");
                }

                output.WriteTag(number, WireType.Varint);
                output.WriteVarint(option.IdentifierValue == "true" ? 1UL : 0UL);
                return true;

            case FieldType.Enum:
                {
                    if (!option.HasIdentifierValue)
                    {
                        return AddOptionValueError(option, $"Value must be identifier for enum-valued option \"{fullName}\".");
                    }

                    var enumType = field.ResolvedType;
                    if (enumType == null)
                    {
                        return AddOptionValueError(option, $"Enum type of option \"{fullName}\" is unknown.");
                    }

                    var valueName = option.IdentifierValue;
                    EnumValueDescriptorProto? found = null;
                    var scope = enumType.FullName[..^enumType.Name.Length];
                    var candidate = FindSymbolNotEnforcingDeps(scope + valueName, out _);
                    if (candidate is { Kind: SymbolKind.EnumValue })
                    {
                        if (candidate.Parent != enumType && candidate.Parent?.FullName != enumType.FullName)
                        {
                            return AddOptionValueError(option,
                                $"Enum type \"{enumType.FullName}\" has no value named \"{valueName}\" for option \"{fullName}\". This appears to be a value from a sibling type.");
                        }

                        found = (EnumValueDescriptorProto)candidate.Proto!;
                    }
                    else
                    {
                        foreach (var v in enumType.Enum.Value)
                        {
                            if (v.Name == valueName)
                            {
                                found = v;
                                break;
                            }
                        }
                    }

                    if (found == null)
                    {
                        return AddOptionValueError(option, $"Enum type \"{enumType.FullName}\" has no value named \"{valueName}\" for option \"{fullName}\".");
                    }

                    output.WriteTag(number, WireType.Varint);
                    output.WriteVarint((ulong)(long)found.Number);
                    return true;
                }

            case FieldType.String:
            case FieldType.Bytes:
                if (!option.HasStringValue)
                {
                    return AddOptionValueError(option, $"Value must be quoted string for string option \"{fullName}\".");
                }

                output.WriteLengthDelimited(number, option.StringValue.Span);
                return true;

            case FieldType.Message:
            case FieldType.Group:
                {
                    if (!option.HasAggregateValue)
                    {
                        return AddOptionValueError(option,
                            $"Option \"{fullName}\" is a message. To set the entire message, use syntax like \"{field.Name} = {{ <proto text format> }}\". To set fields within it, use syntax like \"{field.Name}.foo = value\".");
                    }

                    var type = field.ResolvedType;
                    if (type == null)
                    {
                        return AddOptionValueError(option, $"Option \"{fullName}\" has an unknown type.");
                    }

                    var parser = new TextFormatParser(this, option.AggregateValue);
                    var body = new WireWriter();
                    if (!parser.ParseMessage(type, body, out var error))
                    {
                        return AddOptionValueError(option, $"Error while parsing option value for \"{field.Name}\": {error}");
                    }

                    WriteMessageField(output, number, f.Type, body.WrittenSpan);

                    return true;
                }
        }

        return true;
    }

    /// <summary>A message field's value on the wire: a group between its start and end tags, else length-delimited.</summary>
    internal static void WriteMessageField(WireWriter output, int number, FieldType type, ReadOnlySpan<byte> body)
    {
        if (type == FieldType.Group)
        {
            output.WriteTag(number, WireType.StartGroup);
            output.WriteRaw(body);
            output.WriteTag(number, WireType.EndGroup);
        }
        else
        {
            output.WriteLengthDelimited(number, body);
        }
    }

    /// <summary>A float or double field's value on the wire (fixed32 or fixed64).</summary>
    internal static void WriteFloatingPoint(WireWriter output, int number, FieldType type, double value)
    {
        if (type == FieldType.Float)
        {
            output.WriteTag(number, WireType.Fixed32);
            output.WriteFixed32(BitConverter.SingleToUInt32Bits((float)value));
        }
        else
        {
            output.WriteTag(number, WireType.Fixed64);
            output.WriteFixed64(BitConverter.DoubleToUInt64Bits(value));
        }
    }

    internal static void WriteInt(WireWriter output, int number, FieldType type, long value)
    {
        switch (type)
        {
            case FieldType.Int32:
            case FieldType.Int64:
            case FieldType.Enum:
                output.WriteTag(number, WireType.Varint);
                output.WriteVarint((ulong)value);
                break;
            case FieldType.Sint32:
                output.WriteTag(number, WireType.Varint);
                output.WriteVarint((uint)(((int)value << 1) ^ ((int)value >> 31)));
                break;
            case FieldType.Sint64:
                output.WriteTag(number, WireType.Varint);
                output.WriteVarint((ulong)((value << 1) ^ (value >> 63)));
                break;
            case FieldType.Sfixed32:
                output.WriteTag(number, WireType.Fixed32);
                output.WriteFixed32((uint)(int)value);
                break;
            case FieldType.Sfixed64:
                output.WriteTag(number, WireType.Fixed64);
                output.WriteFixed64((ulong)value);
                break;
        }
    }

    internal static void WriteUInt(WireWriter output, int number, FieldType type, ulong value)
    {
        switch (type)
        {
            case FieldType.Uint32:
            case FieldType.Uint64:
                output.WriteTag(number, WireType.Varint);
                output.WriteVarint(value);
                break;
            case FieldType.Fixed32:
                output.WriteTag(number, WireType.Fixed32);
                output.WriteFixed32((uint)value);
                break;
            case FieldType.Fixed64:
                output.WriteTag(number, WireType.Fixed64);
                output.WriteFixed64(value);
                break;
        }
    }

    // ---- extensions of a message, for canonical serialization and text format ------------------

    internal Symbol? FindExtensionByNumber(string extendee, int number)
    {
        var s = FindIn(_file, extendee, number);
        if (s != null)
        {
            return s;
        }

        foreach (var f in _closure)
        {
            s = FindIn(f, extendee, number);
            if (s != null)
            {
                return s;
            }
        }

        return null;

        static Symbol? FindIn(LinkedProtoFile file, string extendee, int number)
        {
            if (file.ExtensionsByExtendee != null && file.ExtensionsByExtendee.TryGetValue(extendee, out var list))
            {
                foreach (var e in list)
                {
                    if (e.Field.Number == number)
                    {
                        return e;
                    }
                }
            }

            return null;
        }
    }

    internal Symbol? LookupSymbolForTextFormat(string name, string relativeTo) => LookupSymbol(name, relativeTo);

    // ---- canonical serialization (protoc's DynamicMessage round trip) ---------------------------

    internal byte[] Canonicalize(ReadOnlySpan<byte> data, Symbol messageType, int depth)
    {
        var records = new List<WireRecord>();
        if (depth > MaxCanonicalDepth || !WireReader.TryRead(data, records))
        {
            return data.ToArray();
        }

        // The known fields in the order they are written back (by number), each with its records.
        // A list searched from its end, not a sorted dictionary: an options message has a few
        // fields, and the framework's sorted collections over a value type are JIT-compiled in
        // every new process (about 45 methods; Kiln.MSBuild runs in a new process per build).
        var byNumber = new List<CanonicalField>();
        var unknown = new List<WireRecord>();
        foreach (var r in records)
        {
            if (Find(byNumber, r.Number) is { } entry)
            {
                if (WireTypeMatches(entry.Field, r.Type))
                {
                    entry.Records.Add(r);
                }
                else
                {
                    unknown.Add(r);
                }

                continue;
            }

            var field = messageType.FindFieldByNumber(r.Number) ?? FindExtensionByNumber(messageType.FullName, r.Number);
            var sourceRetention = field?.Field.Options is { Retention: FieldOptions.Types.OptionRetention.RetentionSource };
            if (sourceRetention || field?.File == _file)
            {
                // A field of this file may not have its own options (its retention) interpreted yet.
                _sawSourceRetention = true;
            }

            if (sourceRetention && _stripSourceRetention)
            {
                _strippedSourceRetention = true;
                continue;
            }

            if (field == null || !WireTypeMatches(field, r.Type))
            {
                unknown.Add(r);
                continue;
            }

            byNumber.Add(new CanonicalField(r.Number, field, [r]));
        }

        byNumber.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        var output = new WireWriter();
        foreach (var entry in byNumber)
        {
            WriteCanonicalField(output, data, entry.Number, entry.Field, entry.Records, depth);
        }

        foreach (var r in unknown)
        {
            WriteRecord(output, data, r);
        }

        return output.ToArray();
    }

    /// <summary>A known field of a message being canonicalized, with its records in the order read.</summary>
    private sealed record CanonicalField(int Number, Symbol Field, List<WireRecord> Records);

    private static CanonicalField? Find(List<CanonicalField> fields, int number)
    {
        for (var i = fields.Count - 1; i >= 0; i--)
        {
            if (fields[i].Number == number)
            {
                return fields[i];
            }
        }

        return null;
    }

    private static bool WireTypeMatches(Symbol field, WireType type)
    {
        var expected = ExpectedWireType(field.Field.Type);
        if (type == expected)
        {
            return true;
        }

        return type == WireType.LengthDelimited && field.IsRepeated && Symbol.IsPackable(field.Field.Type);
    }

    internal static WireType ExpectedWireType(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.Sfixed64 => WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.Sfixed32 => WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
        FieldType.Group => WireType.StartGroup,
        _ => WireType.Varint,
    };

    private static void WriteRecord(WireWriter output, ReadOnlySpan<byte> data, WireRecord r)
    {
        switch (r.Type)
        {
            case WireType.Varint:
                output.WriteTag(r.Number, r.Type);
                output.WriteVarint(r.Value);
                break;
            case WireType.Fixed32:
                output.WriteTag(r.Number, r.Type);
                output.WriteFixed32((uint)r.Value);
                break;
            case WireType.Fixed64:
                output.WriteTag(r.Number, r.Type);
                output.WriteFixed64(r.Value);
                break;
            case WireType.LengthDelimited:
                output.WriteLengthDelimited(r.Number, data.Slice(r.Start, r.Length));
                break;
            case WireType.StartGroup:
                output.WriteTag(r.Number, WireType.StartGroup);
                output.WriteRaw(data.Slice(r.Start, r.Length));
                output.WriteTag(r.Number, WireType.EndGroup);
                break;
        }
    }

    private static ulong NormalizeVarint(FieldType type, ulong v) => type switch
    {
        FieldType.Int32 or FieldType.Enum => (ulong)(long)(int)v,
        FieldType.Uint32 or FieldType.Sint32 => v & 0xFFFFFFFF,
        FieldType.Bool => v != 0 ? 1UL : 0UL,
        _ => v,
    };

    private void WriteCanonicalField(WireWriter output, ReadOnlySpan<byte> data, int number, Symbol field, List<WireRecord> list, int depth)
    {
        var type = field.Field.Type;
        if (field.IsRepeated)
        {
            if (Symbol.IsPackable(type))
            {
                var values = new List<ulong>();
                var wt = ExpectedWireType(type);
                foreach (var r in list)
                {
                    if (r.Type == WireType.LengthDelimited)
                    {
                        var payload = data.Slice(r.Start, r.Length);
                        var pos = 0;
                        while (pos < payload.Length)
                        {
                            if (wt == WireType.Varint)
                            {
                                if (!WireReader.TryReadVarint(payload, ref pos, out var v))
                                {
                                    break;
                                }

                                values.Add(v);
                            }
                            else if (wt == WireType.Fixed32)
                            {
                                if (pos + 4 > payload.Length)
                                {
                                    break;
                                }

                                values.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(payload[pos..]));
                                pos += 4;
                            }
                            else
                            {
                                if (pos + 8 > payload.Length)
                                {
                                    break;
                                }

                                values.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(payload[pos..]));
                                pos += 8;
                            }
                        }
                    }
                    else
                    {
                        values.Add(r.Value);
                    }
                }

                if (field.IsPacked)
                {
                    if (values.Count == 0)
                    {
                        return;
                    }

                    var packed = new WireWriter();
                    foreach (var v in values)
                    {
                        WriteScalarPayload(packed, wt, type, v);
                    }

                    output.WriteLengthDelimited(number, packed.WrittenSpan);
                }
                else
                {
                    foreach (var v in values)
                    {
                        output.WriteTag(number, wt);
                        WriteScalarPayload(output, wt, type, v);
                    }
                }

                return;
            }

            foreach (var r in list)
            {
                WriteCanonicalElement(output, data, number, field, r, depth);
            }

            return;
        }

        if (type is FieldType.Message or FieldType.Group)
        {
            var merged = new WireWriter();
            foreach (var r in list)
            {
                merged.WriteRaw(data.Slice(r.Start, r.Length));
            }

            var body = field.ResolvedType != null ? Canonicalize(merged.WrittenSpan, field.ResolvedType, depth + 1) : merged.ToArray();
            WriteMessageField(output, number, type, body);

            return;
        }

        var last = list[^1];
        if (last.Type == WireType.LengthDelimited)
        {
            if (last.Length == 0 && field.HasImplicitPresence)
            {
                return;
            }

            output.WriteLengthDelimited(number, data.Slice(last.Start, last.Length));
            return;
        }

        var value = last.Type == WireType.Varint ? NormalizeVarint(type, last.Value) : last.Value;
        if (value == 0 && field.HasImplicitPresence)
        {
            return;
        }

        var wire = ExpectedWireType(type);
        output.WriteTag(number, wire);
        WriteScalarPayload(output, wire, type, value);
    }

    private void WriteCanonicalElement(WireWriter output, ReadOnlySpan<byte> data, int number, Symbol field, WireRecord r, int depth)
    {
        var type = field.Field.Type;
        if (type is FieldType.Message or FieldType.Group && field.ResolvedType != null)
        {
            var body = Canonicalize(data.Slice(r.Start, r.Length), field.ResolvedType, depth + 1);
            WriteMessageField(output, number, type, body);

            return;
        }

        WriteRecord(output, data, r);
    }

    private static void WriteScalarPayload(WireWriter output, WireType wire, FieldType type, ulong value)
    {
        switch (wire)
        {
            case WireType.Varint:
                output.WriteVarint(NormalizeVarint(type, value));
                break;
            case WireType.Fixed32:
                output.WriteFixed32((uint)value);
                break;
            default:
                output.WriteFixed64(value);
                break;
        }
    }
}
