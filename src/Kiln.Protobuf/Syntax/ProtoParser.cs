using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Kiln.Text;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using FileOptions = Google.Protobuf.Reflection.FileOptions;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;
using Location = Google.Protobuf.Reflection.SourceCodeInfo.Types.Location;

namespace Kiln.Protobuf.Syntax;

/// <summary>
/// A port of protoc's <c>compiler::Parser</c>: recursive descent over <see cref="ProtoTokenizer"/>,
/// building protoc's unlinked <see cref="FileDescriptorProto"/> and its source locations in the
/// same order protoc does. It never throws on input; message nesting is bounded (32, as protoc).
/// </summary>
internal sealed partial class ProtoParser
{
    private const int MaxRangeSentinel = -1;
    private const int MaxNestingDepth = 32;
    private const int MaxGroupDepth = 64;

    private readonly SourceText _source;
    private readonly ProtoTokenizer _input;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly SourceLocationTable _locations;
    private SourceCodeInfo _sourceCodeInfo = new();

    /// <summary>
    /// False when nobody will read source info (a descriptor set without it): locations are then
    /// made only for error positions and dropped at once, and comments are not kept. Source info
    /// is most of a parsed file's memory, and a whole-corpus run holds every parsed file.
    /// </summary>
    private readonly bool _recordSourceInfo;

    /// <summary>
    /// Every location is recorded (spans, paths); false without source info and when only comments
    /// are kept (<see cref="LinkOptions.CommentsOnly"/>: a location is made only when a comment is
    /// attached, its path put together from the recorders above it).
    /// </summary>
    private readonly bool _recordLocations;
    private bool _hadErrors;
    private string _syntax = "";
    private Edition _edition = Edition.Unknown;
    private int _recursionDepth;
    private int _groupDepth;
    private StringBuilder _upcomingDocComments = new();
    private List<string> _upcomingDetachedComments = [];

    private ProtoParser(SourceText source, bool recordSourceInfo, bool commentsOnly)
    {
        _source = source;
        _recordSourceInfo = recordSourceInfo;
        _recordLocations = recordSourceInfo && !commentsOnly;
        _locations = new SourceLocationTable(source.Length / 56); // googleapis: one position per 62 characters (1.13M in 70M)
        _input = new ProtoTokenizer(source.Text, (line, column, message) =>
        {
            _hadErrors = true;
            _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.LexicalError, _source.Path, line, column, message));
        });
    }

    public static ParsedProtoFile Parse(SourceText source, bool recordSourceInfo = true, bool commentsOnly = false)
    {
        var parser = new ProtoParser(source, recordSourceInfo, commentsOnly);
        var file = new FileDescriptorProto { Name = source.Path };
        parser.ParseFile(file);
        return new ParsedProtoFile(source, file, parser._diagnostics, parser._hadErrors, parser._locations);
    }

    // ---- token helpers ----------------------------------------------------------------------

    private bool LookingAt(string text) => _input.CurrentText.SequenceEqual(text) && _input.Current.Type is not TokenType.Start and not TokenType.End;

    private bool LookingAtType(TokenType type) => _input.Current.Type == type;

    private bool AtEnd => _input.Current.Type == TokenType.End;

    private bool TryConsume(string text)
    {
        if (LookingAt(text))
        {
            _input.Next();
            return true;
        }

        return false;
    }

    private bool Consume(string text, string? error = null)
    {
        if (TryConsume(text))
        {
            return true;
        }

        RecordError(error ?? $"Expected \"{text}\".");
        return false;
    }

    private bool ConsumeIdentifier(out string output, string error)
    {
        if (LookingAtType(TokenType.Identifier))
        {
            output = _input.TextOf(_input.Current);
            _input.Next();
            return true;
        }

        output = "";
        RecordError(error);
        return false;
    }

    private bool ConsumeInteger(out int output, string error)
    {
        if (LookingAtType(TokenType.Integer))
        {
            if (!ProtoTokenizer.ParseInteger(_input.CurrentText, int.MaxValue, out var value))
            {
                RecordError("Integer out of range.");
            }

            output = (int)value;
            _input.Next();
            return true;
        }

        output = 0;
        RecordError(error);
        return false;
    }

    private bool ConsumeSignedInteger(out int output, string error)
    {
        var negative = false;
        ulong max = int.MaxValue;
        if (TryConsume("-"))
        {
            negative = true;
            max++;
        }

        output = 0;
        if (!ConsumeInteger64(max, out var value, error))
        {
            return false;
        }

        output = negative ? (int)(0 - value) : (int)value;
        return true;
    }

    private bool ConsumeInteger64(ulong max, out ulong output, string error)
    {
        if (LookingAtType(TokenType.Integer))
        {
            if (!ProtoTokenizer.ParseInteger(_input.CurrentText, max, out output))
            {
                RecordError("Integer out of range.");
                output = 0;
            }

            _input.Next();
            return true;
        }

        output = 0;
        RecordError(error);
        return false;
    }

    private bool TryConsumeInteger64(ulong max, out ulong output)
    {
        if (LookingAtType(TokenType.Integer) && ProtoTokenizer.ParseInteger(_input.CurrentText, max, out output))
        {
            _input.Next();
            return true;
        }

        output = 0;
        return false;
    }

    private bool ConsumeNumber(out double output, string error)
    {
        output = 0;
        if (LookingAtType(TokenType.Float))
        {
            ProtoTokenizer.TryParseFloat(_input.CurrentText, out output);
            _input.Next();
            return true;
        }

        if (LookingAtType(TokenType.Integer))
        {
            var text = _input.CurrentText;
            if (ProtoTokenizer.ParseInteger(text, ulong.MaxValue, out var value))
            {
                output = value;
            }
            else if (text[0] == '0')
            {
                RecordError("Integer out of range.");
            }
            else if (!ProtoTokenizer.TryParseFloat(text, out output))
            {
                RecordError("Integer out of range.");
            }

            _input.Next();
            return true;
        }

        if (LookingAt("inf"))
        {
            output = double.PositiveInfinity;
            _input.Next();
            return true;
        }

        if (LookingAt("nan"))
        {
            output = Linking.NumberFormat.QuietNaN;
            _input.Next();
            return true;
        }

        RecordError(error);
        return false;
    }

    private bool ConsumeStringBytes(List<byte> output, string error)
    {
        if (LookingAtType(TokenType.String))
        {
            ProtoTokenizer.ParseStringAppend(_input.CurrentText, output);
            _input.Next();
            while (LookingAtType(TokenType.String))
            {
                ProtoTokenizer.ParseStringAppend(_input.CurrentText, output);
                _input.Next();
            }

            return true;
        }

        RecordError(error);
        return false;
    }

    private bool ConsumeString(out string output, string error)
    {
        var bytes = new List<byte>();
        var ok = ConsumeStringBytes(bytes, error);
        output = Utf8(bytes);
        return ok;
    }

    internal static string Utf8(List<byte> bytes) =>
        bytes.Count == 0 ? "" : Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));

    private bool TryConsumeEndOfDeclaration(string text, LocationRecorder? location)
    {
        if (!LookingAt(text))
        {
            return false;
        }

        if (!_recordSourceInfo)
        {
            // Nobody reads comments: skip them as any other token gap.
            _input.Next();
            return true;
        }

        var trailing = new StringBuilder();
        var detached = new List<string>();
        var leading = new StringBuilder();
        _input.NextWithComments(trailing, detached, leading);

        // Save the leading comments for next time, and recall the leading comments from last time.
        (leading, _upcomingDocComments) = (_upcomingDocComments, leading);
        if (location != null)
        {
            (_upcomingDetachedComments, detached) = (detached, _upcomingDetachedComments);
            location.AttachComments(leading, trailing, detached);
        }
        else if (text == "}")
        {
            _upcomingDetachedComments = detached;
        }
        else
        {
            _upcomingDetachedComments.AddRange(detached);
        }

        return true;
    }

    private bool ConsumeEndOfDeclaration(string text, LocationRecorder? location)
    {
        if (TryConsumeEndOfDeclaration(text, location))
        {
            return true;
        }

        RecordError($"Expected \"{text}\".");
        return false;
    }

    private void RecordError(int line, int column, string message)
    {
        _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.SyntaxError, _source.Path, line, column, message));
        _hadErrors = true;
    }

    private void RecordError(string message) => RecordError(_input.Current.Line, _input.Current.Column, message);

    private void RecordWarning(int line, int column, string message) =>
        _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.SyntaxWarning, _source.Path, line, column, message));

    // ---- locations --------------------------------------------------------------------------

    /// <summary>protoc's <c>Parser::LocationRecorder</c>; dispose ends the span at the previous token.</summary>
    private sealed class LocationRecorder : IDisposable
    {
        private readonly ProtoParser _parser;
        private readonly SourceCodeInfo _info;

        /// <summary>The location being recorded; null unless the parser records every location (only the start is then needed, for error positions).</summary>
        private readonly Location? _location;

        // Comments-only mode: the path is not copied into a location up front. It is the first
        // _parentLength components of the parent's path (its length when this recorder began), then
        // this recorder's own components: _p0.._p2, the rest in _more.
        private readonly LocationRecorder? _parent;
        private readonly int _parentLength;
        private int _ownCount;
        private int _p0;
        private int _p1;
        private int _p2;
        private List<int>? _more;

        private int _startLine;
        private int _startColumn;

        public LocationRecorder(ProtoParser parser)
        {
            _parser = parser;
            _info = parser._sourceCodeInfo;
            if (parser._recordLocations)
            {
                _location = new Location();
                _info.Location.Add(_location);
            }

            StartAt(parser._input.Current);
        }

        public LocationRecorder(LocationRecorder parent, SourceCodeInfo? info = null)
        {
            _parser = parent._parser;
            _info = info ?? parent._info;
            if (_parser._recordLocations)
            {
                _location = new Location();
                _info.Location.Add(_location);
                _location.Path.AddRange(parent._location!.Path);
            }
            else if (_parser._recordSourceInfo)
            {
                _parent = parent;
                _parentLength = parent.CurrentPathSize;
            }

            StartAt(_parser._input.Current);
        }

        public LocationRecorder(LocationRecorder parent, int path1, SourceCodeInfo? info = null)
            : this(parent, info) => AddPath(path1);

        public LocationRecorder(LocationRecorder parent, int path1, int path2)
            : this(parent)
        {
            AddPath(path1);
            AddPath(path2);
        }

        public int CurrentPathSize => _location?.Path.Count ?? _parentLength + _ownCount;

        public void AddPath(int component)
        {
            if (_location != null)
            {
                _location.Path.Add(component);
                return;
            }

            if (!_parser._recordSourceInfo)
            {
                return;
            }

            switch (_ownCount)
            {
                case 0: _p0 = component; break;
                case 1: _p1 = component; break;
                case 2: _p2 = component; break;
                default: (_more ??= []).Add(component); break;
            }

            _ownCount++;
        }

        /// <summary>Appends the first <paramref name="length"/> components of this recorder's path.</summary>
        private void AppendPath(RepeatedField<int> into, int length)
        {
            _parent?.AppendPath(into, Math.Min(length, _parentLength));
            for (var i = 0; i < _ownCount && _parentLength + i < length; i++)
            {
                into.Add(i switch { 0 => _p0, 1 => _p1, 2 => _p2, _ => _more![i - 3] });
            }
        }

        public void StartAt(in Token token) => SetStart(token.Line, token.Column);

        public void StartAt(LocationRecorder other) => SetStart(other._startLine, other._startColumn);

        public void EndAt(in Token token)
        {
            if (_location is null)
            {
                return;
            }

            if (token.Line != _startLine)
            {
                _location.Span.Add(token.Line);
            }

            _location.Span.Add(token.EndColumn);
        }

        public void RecordLegacyLocation(object element, ErrorLocation location) =>
            _parser._locations.Add(element, location, _startLine, _startColumn);

        public void RecordLegacyImportLocation(object element, string name) =>
            _parser._locations.AddImport(element, name, _startLine, _startColumn);

        private void SetStart(int line, int column)
        {
            _startLine = line;
            _startColumn = column;
            if (_location is null)
            {
                return;
            }

            if (_location.Span.Count == 0)
            {
                _location.Span.Add(line);
                _location.Span.Add(column);
            }
            else
            {
                _location.Span[0] = line;
                _location.Span[1] = column;
            }
        }

        public void AttachComments(StringBuilder leading, StringBuilder trailing, List<string> detached)
        {
            if (!_parser._recordSourceInfo || (_location == null && leading.Length == 0 && trailing.Length == 0 && detached.Count == 0))
            {
                leading.Clear();
                trailing.Clear();
                detached.Clear();
                return;
            }

            var location = _location;
            if (location == null)
            {
                // Comments-only: the one location this recorder needs, made now.
                location = new Location();
                AppendPath(location.Path, CurrentPathSize);
                _info.Location.Add(location);
            }

            if (leading.Length > 0)
            {
                location.LeadingComments = leading.ToString();
                leading.Clear();
            }

            if (trailing.Length > 0)
            {
                location.TrailingComments = trailing.ToString();
                trailing.Clear();
            }

            location.LeadingDetachedComments.AddRange(detached);
            detached.Clear();
        }

        public void Dispose()
        {
            if (_location is { Span.Count: <= 2 })
            {
                EndAt(_parser._input.Previous);
            }
        }
    }

    // ---- recovery -----------------------------------------------------------------------------

    private void SkipStatement()
    {
        while (true)
        {
            if (AtEnd)
            {
                return;
            }

            if (LookingAtType(TokenType.Symbol))
            {
                if (TryConsumeEndOfDeclaration(";", null))
                {
                    return;
                }

                if (TryConsume("{"))
                {
                    SkipRestOfBlock();
                    return;
                }

                if (LookingAt("}"))
                {
                    return;
                }
            }

            _input.Next();
        }
    }

    private void SkipRestOfBlock()
    {
        var blockCount = 1;
        while (true)
        {
            if (AtEnd)
            {
                return;
            }

            if (LookingAtType(TokenType.Symbol))
            {
                if (TryConsumeEndOfDeclaration("}", null))
                {
                    if (--blockCount == 0)
                    {
                        break;
                    }
                }
                else if (TryConsume("{"))
                {
                    ++blockCount;
                }
            }

            _input.Next();
        }
    }

    // ---- file ---------------------------------------------------------------------------------

    private void ParseFile(FileDescriptorProto file)
    {
        if (LookingAtType(TokenType.Start))
        {
            _upcomingDocComments.Clear();
            NextWithUpcomingComments();
        }

        using (var root = new LocationRecorder(this))
        {
            root.RecordLegacyLocation(file, ErrorLocation.Other);
            if (LookingAt("syntax") || LookingAt("edition"))
            {
                if (!ParseSyntaxIdentifier(file, root))
                {
                    Finish(file);
                    return;
                }

                file.Syntax = _syntax;
                if (_syntax == "editions")
                {
                    file.Edition = _edition;
                }
            }
            else
            {
                _syntax = "proto2";
            }

            while (!AtEnd)
            {
                if (!ParseTopLevelStatement(file, root))
                {
                    SkipStatement();
                    if (LookingAt("}"))
                    {
                        RecordError("Unmatched \"}\".");
                        _upcomingDocComments.Clear();
                        NextWithUpcomingComments();
                    }
                }
            }
        }

        Finish(file);
    }

    /// <summary>Moves on, keeping the comments before the next token for it when source info is recorded.</summary>
    private void NextWithUpcomingComments()
    {
        if (_recordSourceInfo)
        {
            _input.NextWithComments(null, _upcomingDetachedComments, _upcomingDocComments);
        }
        else
        {
            _input.NextWithComments(null, null, null);
        }
    }

    private void Finish(FileDescriptorProto file) => file.SourceCodeInfo = _recordSourceInfo ? _sourceCodeInfo : null;

    private static bool TryParseEdition(string text, out Edition edition)
    {
        edition = text switch
        {
            "2023" => Edition._2023,
            "2024" => Edition._2024,
            "2026" => (Edition)1002,
            "UNSTABLE" => (Edition)9999,
            "LEGACY" => (Edition)900,
            "1_TEST_ONLY" => (Edition)1,
            "2_TEST_ONLY" => (Edition)2,
            "99997_TEST_ONLY" => (Edition)99997,
            "99998_TEST_ONLY" => (Edition)99998,
            "99999_TEST_ONLY" => (Edition)99999,
            "MAX" => (Edition)int.MaxValue,
            _ => Edition.Unknown,
        };
        return edition != Edition.Unknown;
    }

    private bool ParseSyntaxIdentifier(FileDescriptorProto file, LocationRecorder parent)
    {
        using var syntaxLocation = new LocationRecorder(parent, FileDescriptorProto.SyntaxFieldNumber);
        syntaxLocation.RecordLegacyLocation(file, ErrorLocation.Editions);
        var hasEdition = false;
        if (TryConsume("edition"))
        {
            hasEdition = true;
        }
        else if (!Consume("syntax", "File must begin with an edition or syntax statement, e.g. 'edition = \"2023\";'."))
        {
            return false;
        }

        if (!Consume("="))
        {
            return false;
        }

        var syntaxToken = _input.Current;
        if (!ConsumeString(out var syntax, "Expected syntax identifier."))
        {
            return false;
        }

        if (!ConsumeEndOfDeclaration(";", syntaxLocation))
        {
            return false;
        }

        if (hasEdition)
        {
            if (!TryParseEdition(syntax, out _edition))
            {
                RecordError(syntaxToken.Line, syntaxToken.Column, $"Unknown edition \"{syntax}\".");
                return false;
            }

            _syntax = "editions";
            return true;
        }

        _syntax = syntax;
        if (syntax != "proto2" && syntax != "proto3")
        {
            RecordError(syntaxToken.Line, syntaxToken.Column, $"Unrecognized syntax identifier \"{syntax}\".  This parser only recognizes \"proto2\" and \"proto3\".");
            return false;
        }

        return true;
    }

    private bool ParseTopLevelStatement(FileDescriptorProto file, LocationRecorder root)
    {
        if (TryConsumeEndOfDeclaration(";", null))
        {
            return true;
        }

        var visibility = SymbolVisibility.VisibilityUnset;
        if (LookingAt("export") || LookingAt("local"))
        {
            if (!ParseVisibility(file, ref visibility))
            {
                return false;
            }
        }

        if (LookingAt("message"))
        {
            using var location = new LocationRecorder(root, FileDescriptorProto.MessageTypeFieldNumber, file.MessageType.Count);
            _recursionDepth = MaxNestingDepth;
            var message = new DescriptorProto();
            file.MessageType.Add(message);
            return ParseMessageDefinition(message, visibility, location, file);
        }

        if (LookingAt("enum"))
        {
            using var location = new LocationRecorder(root, FileDescriptorProto.EnumTypeFieldNumber, file.EnumType.Count);
            var e = new EnumDescriptorProto();
            file.EnumType.Add(e);
            return ParseEnumDefinition(e, visibility, location, file);
        }

        if (LookingAt("service"))
        {
            using var location = new LocationRecorder(root, FileDescriptorProto.ServiceFieldNumber, file.Service.Count);
            var s = new ServiceDescriptorProto();
            file.Service.Add(s);
            return ParseServiceDefinition(s, location, file);
        }

        if (LookingAt("extend"))
        {
            using var location = new LocationRecorder(root, FileDescriptorProto.ExtensionFieldNumber);
            return ParseExtend(file.Extension, file.MessageType, root, FileDescriptorProto.MessageTypeFieldNumber, location, file);
        }

        if (LookingAt("import"))
        {
            return ParseImport(file, root);
        }

        if (LookingAt("package"))
        {
            return ParsePackage(file, root);
        }

        if (LookingAt("option"))
        {
            using var location = new LocationRecorder(root, FileDescriptorProto.OptionsFieldNumber);
            file.Options ??= new FileOptions();
            return ParseOption(file.Options.UninterpretedOption, location, OptionStyle.Statement);
        }

        RecordError("Expected top-level statement (e.g. \"message\").");
        return false;
    }

    // ---- messages -----------------------------------------------------------------------------

    private static void GenerateSyntheticOneofs(DescriptorProto message)
    {
        HashSet<string>? names = null;
        foreach (var field in message.Field)
        {
            if (!field.Proto3Optional)
            {
                continue;
            }

            if (names == null)
            {
                names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var f in message.Field)
                {
                    names.Add(f.Name);
                }

                foreach (var o in message.OneofDecl)
                {
                    names.Add(o.Name);
                }
            }

            var oneofName = field.Name;
            if (oneofName.Length == 0 || oneofName[0] != '_')
            {
                oneofName = "_" + oneofName;
            }

            while (names.Contains(oneofName))
            {
                oneofName = "X" + oneofName;
            }

            names.Add(oneofName);
            field.OneofIndex = message.OneofDecl.Count;
            message.OneofDecl.Add(new OneofDescriptorProto { Name = oneofName });
        }
    }

    private bool ParseMessageDefinition(DescriptorProto message, SymbolVisibility visibility, LocationRecorder messageLocation, FileDescriptorProto file)
    {
        try
        {
            if (--_recursionDepth <= 0)
            {
                RecordError("Reached maximum recursion limit for nested messages.");
                return false;
            }

            if (!Consume("message"))
            {
                return false;
            }

            using (var location = new LocationRecorder(messageLocation, DescriptorProto.NameFieldNumber))
            {
                location.RecordLegacyLocation(message, ErrorLocation.Name);
                if (!ConsumeIdentifier(out var name, "Expected message name."))
                {
                    return false;
                }

                message.Name = name;
            }

            if (!ParseMessageBlock(message, messageLocation, file))
            {
                return false;
            }

            if (_syntax == "proto3")
            {
                GenerateSyntheticOneofs(message);
            }

            if (visibility != SymbolVisibility.VisibilityUnset)
            {
                message.Visibility = visibility;
            }

            return true;
        }
        finally
        {
            ++_recursionDepth;
        }
    }

    private static bool IsMessageSetWireFormatMessage(DescriptorProto message)
    {
        if (message.Options == null)
        {
            return false;
        }

        foreach (var u in message.Options.UninterpretedOption)
        {
            if (u.Name.Count == 1 && !u.Name[0].IsExtension && u.Name[0].NamePart_ == "message_set_wire_format" && u.IdentifierValue == "true")
            {
                return true;
            }
        }

        return false;
    }

    private bool ParseMessageBlock(DescriptorProto message, LocationRecorder messageLocation, FileDescriptorProto file)
    {
        if (++_groupDepth > MaxGroupDepth + MaxNestingDepth)
        {
            _groupDepth--;
            RecordError("Reached maximum recursion limit for nested messages.");
            return false;
        }

        try
        {
            if (!ConsumeEndOfDeclaration("{", messageLocation))
            {
                return false;
            }

            while (!TryConsumeEndOfDeclaration("}", null))
            {
                if (AtEnd)
                {
                    RecordError("Reached end of input in message definition (missing '}').");
                    return false;
                }

                if (!ParseMessageStatement(message, messageLocation, file))
                {
                    SkipStatement();
                }
            }

            if (message.ExtensionRange.Count > 0 || message.ReservedRange.Count > 0)
            {
                var max = IsMessageSetWireFormatMessage(message) ? int.MaxValue : 536870912;
                foreach (var r in message.ExtensionRange)
                {
                    if (r.End == MaxRangeSentinel)
                    {
                        r.End = max;
                    }
                }

                foreach (var r in message.ReservedRange)
                {
                    if (r.End == MaxRangeSentinel)
                    {
                        r.End = max;
                    }
                }
            }

            return ValidateMessage(message);
        }
        finally
        {
            _groupDepth--;
        }
    }

    private bool ValidateMessage(DescriptorProto message)
    {
        if (message.Options == null)
        {
            return true;
        }

        foreach (var option in message.Options.UninterpretedOption)
        {
            if (option.Name.Count > 0 && !option.Name[0].IsExtension && option.Name[0].NamePart_ == "map_entry")
            {
                _locations.Find(option, ErrorLocation.OptionName, out var line, out var col);
                RecordError(line, col, "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.");
                return false;
            }
        }

        return true;
    }

    private bool ParseMessageStatement(DescriptorProto message, LocationRecorder messageLocation, FileDescriptorProto file)
    {
        if (TryConsumeEndOfDeclaration(";", null))
        {
            return true;
        }

        var visibility = SymbolVisibility.VisibilityUnset;
        if (LookingAt("export") || LookingAt("local"))
        {
            if (!ParseVisibility(file, ref visibility))
            {
                return false;
            }
        }

        if (LookingAt("message"))
        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.NestedTypeFieldNumber, message.NestedType.Count);
            var nested = new DescriptorProto();
            message.NestedType.Add(nested);
            return ParseMessageDefinition(nested, visibility, location, file);
        }

        if (LookingAt("enum"))
        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.EnumTypeFieldNumber, message.EnumType.Count);
            var e = new EnumDescriptorProto();
            message.EnumType.Add(e);
            return ParseEnumDefinition(e, visibility, location, file);
        }

        if (LookingAt("extensions"))
        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.ExtensionRangeFieldNumber);
            return ParseExtensions(message, location);
        }

        if (LookingAt("reserved"))
        {
            return ParseReserved(message, messageLocation);
        }

        if (LookingAt("extend"))
        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.ExtensionFieldNumber);
            return ParseExtend(message.Extension, message.NestedType, messageLocation, DescriptorProto.NestedTypeFieldNumber, location, file);
        }

        if (LookingAt("option"))
        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.OptionsFieldNumber);
            message.Options ??= new MessageOptions();
            return ParseOption(message.Options.UninterpretedOption, location, OptionStyle.Statement);
        }

        if (LookingAt("oneof"))
        {
            var oneofIndex = message.OneofDecl.Count;
            using var oneofLocation = new LocationRecorder(messageLocation, DescriptorProto.OneofDeclFieldNumber, oneofIndex);
            var oneof = new OneofDescriptorProto();
            message.OneofDecl.Add(oneof);
            return ParseOneof(oneof, message, oneofIndex, oneofLocation, messageLocation, file);
        }

        {
            using var location = new LocationRecorder(messageLocation, DescriptorProto.FieldFieldNumber, message.Field.Count);
            var field = new FieldDescriptorProto();
            message.Field.Add(field);
            return ParseMessageField(field, message.NestedType, messageLocation, DescriptorProto.NestedTypeFieldNumber, location, file);
        }
    }

    private bool ParseMessageField(FieldDescriptorProto field, RepeatedField<DescriptorProto> messages, LocationRecorder parentLocation,
        int nestedTypeFieldNumber, LocationRecorder fieldLocation, FileDescriptorProto file)
    {
        if (ParseLabel(out var label, fieldLocation))
        {
            field.Label = label;
            if (label == Label.Optional && _syntax == "proto3")
            {
                field.Proto3Optional = true;
            }
        }

        return ParseMessageFieldNoLabel(field, messages, parentLocation, nestedTypeFieldNumber, fieldLocation, file);
    }

    private sealed class MapField
    {
        public bool IsMapField;
        public FieldType KeyType;
        public string KeyTypeName = "";
        public FieldType ValueType;
        public string ValueTypeName = "";
    }

    private bool ParseMessageFieldNoLabel(FieldDescriptorProto field, RepeatedField<DescriptorProto> messages, LocationRecorder parentLocation,
        int nestedTypeFieldNumber, LocationRecorder fieldLocation, FileDescriptorProto file)
    {
        var mapField = new MapField();
        using (var location = new LocationRecorder(fieldLocation))
        {
            location.RecordLegacyLocation(field, ErrorLocation.Type);
            var typeParsed = false;
            var type = FieldType.Int32;
            var typeName = "";
            if (TryConsume("map"))
            {
                if (LookingAt("<"))
                {
                    mapField.IsMapField = true;
                    if (!ParseMapType(mapField, field, location))
                    {
                        return false;
                    }
                }
                else
                {
                    typeParsed = true;
                    typeName = "map";
                }
            }

            if (!mapField.IsMapField)
            {
                if (!field.HasLabel && _syntax != "proto2")
                {
                    field.Label = Label.Optional;
                }

                if (!field.HasLabel)
                {
                    RecordError("Expected \"required\", \"optional\", or \"repeated\".");
                    field.Label = Label.Optional;
                }

                if (!typeParsed)
                {
                    if (!ParseType(out type, out typeName))
                    {
                        return false;
                    }
                }

                if (typeName.Length == 0)
                {
                    location.AddPath(FieldDescriptorProto.TypeFieldNumber);
                    field.Type = type;
                }
                else
                {
                    location.AddPath(FieldDescriptorProto.TypeNameFieldNumber);
                    field.TypeName = typeName;
                }
            }
        }

        var nameToken = _input.Current;
        using (var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.NameFieldNumber))
        {
            location.RecordLegacyLocation(field, ErrorLocation.Name);
            if (!ConsumeIdentifier(out var name, "Expected field name."))
            {
                return false;
            }

            field.Name = name;
        }

        if (!Consume("=", "Missing field number."))
        {
            return false;
        }

        using (var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.NumberFieldNumber))
        {
            location.RecordLegacyLocation(field, ErrorLocation.Number);
            if (!ConsumeInteger(out var number, "Expected field number."))
            {
                return false;
            }

            field.Number = number;
        }

        if (!ParseFieldOptions(field, fieldLocation))
        {
            return false;
        }

        if (field.HasType && field.Type == FieldType.Group)
        {
            using var groupLocation = new LocationRecorder(parentLocation);
            groupLocation.StartAt(fieldLocation);
            groupLocation.AddPath(nestedTypeFieldNumber);
            groupLocation.AddPath(messages.Count);
            var group = new DescriptorProto { Name = field.Name };
            messages.Add(group);
            using (var location = new LocationRecorder(groupLocation, DescriptorProto.NameFieldNumber))
            {
                location.StartAt(nameToken);
                location.EndAt(nameToken);
                location.RecordLegacyLocation(group, ErrorLocation.Name);
            }

            using (var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.TypeNameFieldNumber))
            {
                location.StartAt(nameToken);
                location.EndAt(nameToken);
            }

            if (group.Name.Length == 0 || group.Name[0] < 'A' || group.Name[0] > 'Z')
            {
                RecordError(nameToken.Line, nameToken.Column, "Group names must start with a capital letter.");
            }

            field.Name = AsciiToLower(field.Name);
            field.TypeName = group.Name;
            if (LookingAt("{"))
            {
                if (!ParseMessageBlock(group, groupLocation, file))
                {
                    return false;
                }
            }
            else
            {
                RecordError("Missing group body.");
                return false;
            }
        }
        else if (!ConsumeEndOfDeclaration(";", fieldLocation))
        {
            return false;
        }

        if (mapField.IsMapField)
        {
            GenerateMapEntry(mapField, field, messages);
        }

        return true;
    }

    private static string AsciiToLower(string s)
    {
        var needs = false;
        foreach (var c in s)
        {
            if (c is >= 'A' and <= 'Z')
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return s;
        }

        return string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
    }

    private bool ParseMapType(MapField mapField, FieldDescriptorProto field, LocationRecorder typeNameLocation)
    {
        if (field.HasOneofIndex)
        {
            RecordError("Map fields are not allowed in oneofs.");
            return false;
        }

        if (field.HasLabel)
        {
            RecordError("Field labels (required/optional/repeated) are not allowed on map fields.");
            return false;
        }

        if (field.HasExtendee)
        {
            RecordError("Map fields are not allowed to be extensions.");
            return false;
        }

        field.Label = Label.Repeated;
        if (!Consume("<"))
        {
            return false;
        }

        if (!ParseType(out mapField.KeyType, out mapField.KeyTypeName))
        {
            return false;
        }

        if (!Consume(","))
        {
            return false;
        }

        if (!ParseType(out mapField.ValueType, out mapField.ValueTypeName))
        {
            return false;
        }

        if (!Consume(">"))
        {
            return false;
        }

        typeNameLocation.AddPath(FieldDescriptorProto.TypeNameFieldNumber);
        return true;
    }

    internal static string MapEntryName(string fieldName)
    {
        var sb = new StringBuilder(fieldName.Length + 5);
        var capNext = true;
        foreach (var c in fieldName)
        {
            if (c == '_')
            {
                capNext = true;
            }
            else if (capNext)
            {
                sb.Append(c is >= 'a' and <= 'z' ? (char)(c - 'a' + 'A') : c);
                capNext = false;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append("Entry").ToString();
    }

    private static void GenerateMapEntry(MapField mapField, FieldDescriptorProto field, RepeatedField<DescriptorProto> messages)
    {
        var entry = new DescriptorProto();
        messages.Add(entry);
        var entryName = MapEntryName(field.Name);
        field.TypeName = entryName;
        entry.Name = entryName;
        entry.Options = new MessageOptions { MapEntry = true };
        var key = new FieldDescriptorProto { Name = "key", Label = Label.Optional, Number = 1 };
        if (mapField.KeyTypeName.Length == 0)
        {
            key.Type = mapField.KeyType;
        }
        else
        {
            key.TypeName = mapField.KeyTypeName;
        }

        var value = new FieldDescriptorProto { Name = "value", Label = Label.Optional, Number = 2 };
        if (mapField.ValueTypeName.Length == 0)
        {
            value.Type = mapField.ValueType;
        }
        else
        {
            value.TypeName = mapField.ValueTypeName;
        }

        entry.Field.Add(key);
        entry.Field.Add(value);
        if (field.Options == null)
        {
            return;
        }

        foreach (var option in field.Options.UninterpretedOption)
        {
            if (option.Name.Count == 1 && option.Name[0].NamePart_ == "enforce_utf8" && !option.Name[0].IsExtension)
            {
                if (key.HasType && key.Type == FieldType.String)
                {
                    (key.Options ??= new FieldOptions()).UninterpretedOption.Add(option.Clone());
                }

                if (value.HasType && value.Type == FieldType.String)
                {
                    (value.Options ??= new FieldOptions()).UninterpretedOption.Add(option.Clone());
                }
            }

            if (option.Name.Count > 0 && option.Name[0].NamePart_ == "features" && !option.Name[0].IsExtension)
            {
                (key.Options ??= new FieldOptions()).UninterpretedOption.Add(option.Clone());
                (value.Options ??= new FieldOptions()).UninterpretedOption.Add(option.Clone());
            }
        }
    }

    private bool ParseFieldOptions(FieldDescriptorProto field, LocationRecorder fieldLocation)
    {
        if (!LookingAt("["))
        {
            return true;
        }

        using var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.OptionsFieldNumber);
        if (!Consume("["))
        {
            return false;
        }

        do
        {
            if (LookingAt("default"))
            {
                if (!ParseDefaultAssignment(field, fieldLocation))
                {
                    return false;
                }
            }
            else if (LookingAt("json_name"))
            {
                if (!ParseJsonName(field, fieldLocation))
                {
                    return false;
                }
            }
            else
            {
                field.Options ??= new FieldOptions();
                if (!ParseOption(field.Options.UninterpretedOption, location, OptionStyle.Assignment))
                {
                    return false;
                }
            }
        }
        while (TryConsume(","));

        return Consume("]");
    }

    private bool ParseDefaultAssignment(FieldDescriptorProto field, LocationRecorder fieldLocation)
    {
        if (field.HasDefaultValue)
        {
            RecordError("Already set option \"default\".");
            field.ClearDefaultValue();
        }

        if (!Consume("default") || !Consume("="))
        {
            return false;
        }

        using var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.DefaultValueFieldNumber);
        location.RecordLegacyLocation(field, ErrorLocation.DefaultValue);
        field.DefaultValue = "";
        if (!field.HasType)
        {
            field.DefaultValue = _input.TextOf(_input.Current);
            _input.Next();
            return true;
        }

        var text = new StringBuilder();
        switch (field.Type)
        {
            case FieldType.Int32:
            case FieldType.Int64:
            case FieldType.Sint32:
            case FieldType.Sint64:
            case FieldType.Sfixed32:
            case FieldType.Sfixed64:
                {
                    ulong max = field.Type is FieldType.Int32 or FieldType.Sint32 or FieldType.Sfixed32 ? int.MaxValue : (ulong)long.MaxValue;
                    if (TryConsume("-"))
                    {
                        text.Append('-');
                        max++;
                    }

                    if (!ConsumeInteger64(max, out var value, "Expected integer for field default value."))
                    {
                        field.DefaultValue = text.ToString();
                        return false;
                    }

                    text.Append(value);
                    break;
                }

            case FieldType.Uint32:
            case FieldType.Uint64:
            case FieldType.Fixed32:
            case FieldType.Fixed64:
                {
                    ulong max = field.Type is FieldType.Uint32 or FieldType.Fixed32 ? uint.MaxValue : ulong.MaxValue;
                    if (TryConsume("-"))
                    {
                        RecordError("Unsigned field can't have negative default value.");
                    }

                    if (!ConsumeInteger64(max, out var value, "Expected integer for field default value."))
                    {
                        return false;
                    }

                    text.Append(value);
                    break;
                }

            case FieldType.Float:
            case FieldType.Double:
                {
                    if (TryConsume("-"))
                    {
                        text.Append('-');
                    }

                    if (!ConsumeNumber(out var value, "Expected number."))
                    {
                        field.DefaultValue = text.ToString();
                        return false;
                    }

                    text.Append(Linking.NumberFormat.SimpleDtoa(value));
                    break;
                }

            case FieldType.Bool:
                if (TryConsume("true"))
                {
                    text.Append("true");
                }
                else if (TryConsume("false"))
                {
                    text.Append("false");
                }
                else
                {
                    RecordError("Expected \"true\" or \"false\".");
                    return false;
                }

                break;

            case FieldType.String:
                {
                    var bytes = new List<byte>();
                    var ok = ConsumeStringBytes(bytes, "Expected string for field default value.");
                    field.DefaultValue = Utf8(bytes);
                    return ok;
                }

            case FieldType.Bytes:
                {
                    var bytes = new List<byte>();
                    if (!ConsumeStringBytes(bytes, "Expected string."))
                    {
                        return false;
                    }

                    field.DefaultValue = Linking.NumberFormat.CEscape(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
                    return true;
                }

            case FieldType.Enum:
                {
                    if (!ConsumeIdentifier(out var id, "Expected enum identifier for field default value."))
                    {
                        return false;
                    }

                    text.Append(id);
                    break;
                }

            case FieldType.Message:
            case FieldType.Group:
                RecordError("Messages can't have default values.");
                return false;
        }

        field.DefaultValue = text.ToString();
        return true;
    }

    private bool ParseJsonName(FieldDescriptorProto field, LocationRecorder fieldLocation)
    {
        if (field.HasJsonName)
        {
            RecordError("Already set option \"json_name\".");
            field.ClearJsonName();
        }

        using var location = new LocationRecorder(fieldLocation, FieldDescriptorProto.JsonNameFieldNumber);
        location.RecordLegacyLocation(field, ErrorLocation.OptionName);
        if (!Consume("json_name") || !Consume("="))
        {
            return false;
        }

        using var valueLocation = new LocationRecorder(location);
        valueLocation.RecordLegacyLocation(field, ErrorLocation.OptionValue);
        var ok = ConsumeString(out var json, "Expected string for JSON name.");
        field.JsonName = json;
        return ok;
    }

    // ---- options ------------------------------------------------------------------------------

    private enum OptionStyle
    {
        Statement,
        Assignment,
    }

    private bool ParseOptionNamePart(UninterpretedOption option, LocationRecorder partLocation)
    {
        var name = new UninterpretedOption.Types.NamePart();
        option.Name.Add(name);
        if (LookingAt("("))
        {
            if (!Consume("("))
            {
                return false;
            }

            var sb = new StringBuilder();
            using (var location = new LocationRecorder(partLocation, UninterpretedOption.Types.NamePart.NamePart_FieldNumber))
            {
                try
                {
                    if (LookingAtType(TokenType.Identifier))
                    {
                        if (!ConsumeIdentifier(out var id, "Expected identifier."))
                        {
                            return false;
                        }

                        sb.Append(id);
                    }

                    while (LookingAt("."))
                    {
                        if (!Consume("."))
                        {
                            return false;
                        }

                        sb.Append('.');
                        if (!ConsumeIdentifier(out var id, "Expected identifier."))
                        {
                            return false;
                        }

                        sb.Append(id);
                    }
                }
                finally
                {
                    name.NamePart_ = sb.ToString();
                }
            }

            if (!Consume(")"))
            {
                return false;
            }

            name.IsExtension = true;
        }
        else
        {
            using var location = new LocationRecorder(partLocation, UninterpretedOption.Types.NamePart.NamePart_FieldNumber);
            if (!ConsumeIdentifier(out var id, "Expected identifier."))
            {
                name.NamePart_ = "";
                return false;
            }

            name.NamePart_ = id;
            name.IsExtension = false;
        }

        return true;
    }

    private bool ParseUninterpretedBlock(out string value)
    {
        value = "";
        if (!Consume("{"))
        {
            return false;
        }

        var sb = new StringBuilder();
        var depth = 1;
        while (!AtEnd)
        {
            if (LookingAt("{"))
            {
                depth++;
            }
            else if (LookingAt("}"))
            {
                depth--;
                if (depth == 0)
                {
                    _input.Next();
                    value = sb.ToString();
                    return true;
                }
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(_input.CurrentText);
            _input.Next();
        }

        value = sb.ToString();
        RecordError("Unexpected end of stream while parsing aggregate value.");
        return false;
    }

    private bool ParseOption(RepeatedField<UninterpretedOption> options, LocationRecorder optionsLocation, OptionStyle style)
    {
        using var location = new LocationRecorder(optionsLocation, 999, options.Count);
        if (style == OptionStyle.Statement && !Consume("option"))
        {
            return false;
        }

        var option = new UninterpretedOption();
        options.Add(option);
        using (var nameLocation = new LocationRecorder(location, UninterpretedOption.NameFieldNumber))
        {
            nameLocation.RecordLegacyLocation(option, ErrorLocation.OptionName);
            using (var partLocation = new LocationRecorder(nameLocation, option.Name.Count))
            {
                if (!ParseOptionNamePart(option, partLocation))
                {
                    return false;
                }
            }

            while (LookingAt("."))
            {
                if (!Consume("."))
                {
                    return false;
                }

                using var partLocation = new LocationRecorder(nameLocation, option.Name.Count);
                if (!ParseOptionNamePart(option, partLocation))
                {
                    return false;
                }
            }
        }

        if (!Consume("="))
        {
            return false;
        }

        using (var valueLocation = new LocationRecorder(location))
        {
            valueLocation.RecordLegacyLocation(option, ErrorLocation.OptionValue);
            var negative = TryConsume("-");
            switch (_input.Current.Type)
            {
                case TokenType.End:
                    RecordError("Unexpected end of stream while parsing option value.");
                    return false;

                case TokenType.Identifier:
                    {
                        valueLocation.AddPath(UninterpretedOption.IdentifierValueFieldNumber);
                        if (!ConsumeIdentifier(out var value, "Expected identifier."))
                        {
                            return false;
                        }

                        if (negative)
                        {
                            if (value == "inf")
                            {
                                option.DoubleValue = double.NegativeInfinity;
                            }
                            else if (value == "nan")
                            {
                                option.DoubleValue = Linking.NumberFormat.QuietNaN;
                            }
                            else
                            {
                                RecordError("Identifier after '-' symbol must be inf or nan.");
                                return false;
                            }

                            break;
                        }

                        option.IdentifierValue = value;
                        break;
                    }

                case TokenType.Integer:
                case TokenType.Float:
                    {
                        if (_input.Current.Type == TokenType.Integer)
                        {
                            var max = negative ? (ulong)long.MaxValue + 1 : ulong.MaxValue;
                            if (TryConsumeInteger64(max, out var value))
                            {
                                if (negative)
                                {
                                    valueLocation.AddPath(UninterpretedOption.NegativeIntValueFieldNumber);
                                    option.NegativeIntValue = (long)(0 - value);
                                }
                                else
                                {
                                    valueLocation.AddPath(UninterpretedOption.PositiveIntValueFieldNumber);
                                    option.PositiveIntValue = value;
                                }

                                break;
                            }
                        }

                        valueLocation.AddPath(UninterpretedOption.DoubleValueFieldNumber);
                        if (!ConsumeNumber(out var d, "Expected number."))
                        {
                            return false;
                        }

                        option.DoubleValue = negative ? -d : d;
                        break;
                    }

                case TokenType.String:
                    {
                        valueLocation.AddPath(UninterpretedOption.StringValueFieldNumber);
                        if (negative)
                        {
                            RecordError("Invalid '-' symbol before string.");
                            return false;
                        }

                        var bytes = new List<byte>();
                        if (!ConsumeStringBytes(bytes, "Expected string."))
                        {
                            return false;
                        }

                        option.StringValue = ByteString.CopyFrom(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
                        break;
                    }

                case TokenType.Symbol:
                    if (LookingAt("{"))
                    {
                        valueLocation.AddPath(UninterpretedOption.AggregateValueFieldNumber);
                        var ok = ParseUninterpretedBlock(out var aggregate);
                        option.AggregateValue = aggregate;
                        if (!ok)
                        {
                            return false;
                        }
                    }
                    else
                    {
                        RecordError("Expected option value.");
                        return false;
                    }

                    break;

                default:
                    RecordError("Expected option value.");
                    return false;
            }
        }

        if (style == OptionStyle.Statement)
        {
            return ConsumeEndOfDeclaration(";", location);
        }

        return true;
    }
}
