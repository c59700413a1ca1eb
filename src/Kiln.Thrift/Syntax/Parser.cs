using Kiln.Text;

namespace Kiln.Thrift.Syntax;

/// <summary>
/// Recursive descent over thrift 0.17's grammar (<c>thrifty.yy</c>), with error recovery so
/// that one run reports every syntax error of a file. Recursion depth is bounded by
/// <see cref="MaxNestingDepth"/> (types and constant values are the only input-dependent
/// nesting); deeper input is reported and skipped iteratively. Every loop consumes a token or
/// stops, so parsing always terminates.
/// </summary>
internal sealed class Parser
{
    /// <summary>How deep types (<c>list&lt;list&lt;...&gt;&gt;</c>) and constant values may nest.</summary>
    public const int MaxNestingDepth = 200;

    private readonly SourceText _source;
    private readonly string _text;
    private readonly Lexer _lexer;
    private readonly DiagnosticBag _diagnostics;
    private readonly NameTable _names = NameTable.ForCurrentThread();
    private Token _current;
    private int _previousEnd;
    private int _lastErrorStart = -1;
    private int _depth;
    private string? _firstDoc;
    private bool _inArgumentList;

    public Parser(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _text = source.Text;
        _diagnostics = diagnostics;
        _lexer = new Lexer(source, diagnostics);
        _current = _lexer.Next();
        NoteDoc(_current);
    }

    public DocumentSyntax ParseDocument()
    {
        var headers = ListPool<HeaderSyntax>.Rent();
        var definitions = ListPool<DefinitionSyntax>.Rent();
        while (IsHeaderStart(_current.Kind))
        {
            if (ParseHeader() is { } header)
            {
                headers.Add(header);
            }
        }

        while (_current.Kind != TokenKind.EndOfFile)
        {
            if (IsHeaderStart(_current.Kind))
            {
                ReportOnce(ThriftDiagnostics.HeaderAfterDefinition, _current, TokenText(_current));
                if (ParseHeader() is { } header)
                {
                    // Kept, so that names from a misplaced include still resolve and errors do not cascade.
                    headers.Add(header);
                }

                continue;
            }

            if (IsDefinitionStart(_current.Kind))
            {
                if (ParseDefinition() is { } definition)
                {
                    definitions.Add(definition);
                }

                continue;
            }

            ReportOnce(ThriftDiagnostics.ExpectedDefinition, _current, Describe(_current));
            Advance();
            while (_current.Kind != TokenKind.EndOfFile && !IsHeaderStart(_current.Kind) && !IsDefinitionStart(_current.Kind))
            {
                Advance();
            }
        }

        _lexer.DropDocComment(); // thrift's Program rule: a doc comment left at the end documents nothing
        return new DocumentSyntax(ToArray(headers), ToArray(definitions), _firstDoc, new TextSpan(0, _text.Length));
    }

    // ---- Headers ---------------------------------------------------------------------------

    private static bool IsHeaderStart(TokenKind kind) =>
        kind is TokenKind.IncludeKeyword or TokenKind.CppIncludeKeyword or TokenKind.NamespaceKeyword or TokenKind.UnsupportedNamespaceKeyword;

    private HeaderSyntax? ParseHeader()
    {
        _lexer.DropDocComment(); // thrift's DestroyDocText: headers have no doc
        var start = _current.Start;
        switch (_current.Kind)
        {
            case TokenKind.IncludeKeyword:
                {
                    Advance();
                    if (_current.Kind != TokenKind.StringLiteral)
                    {
                        ReportExpected("a file name in quotes");
                        return null;
                    }

                    var literal = _current;
                    Advance();
                    return new IncludeSyntax(StringValue(literal), new TextSpan(literal.Start, literal.Length), SpanFrom(start));
                }

            case TokenKind.CppIncludeKeyword:
                {
                    Advance();
                    if (_current.Kind != TokenKind.StringLiteral)
                    {
                        ReportExpected("a file name in quotes");
                        return null;
                    }

                    var literal = _current;
                    Advance();
                    return new CppIncludeSyntax(StringValue(literal), SpanFrom(start));
                }

            case TokenKind.NamespaceKeyword:
                {
                    Advance();
                    NameSyntax scope;
                    if (_current.Kind == TokenKind.Star)
                    {
                        scope = new NameSyntax("*", new TextSpan(_current.Start, 1));
                        Advance();
                        if (ParseName("a namespace") is not { } starName)
                        {
                            return null;
                        }

                        return new NamespaceSyntax(scope, starName, EquatableArray<AnnotationSyntax>.Empty, SpanFrom(start));
                    }

                    if (ParseName("a language or '*'") is not { } language)
                    {
                        return null;
                    }

                    scope = language;
                    if (ParseName("a namespace") is not { } name)
                    {
                        return null;
                    }

                    var annotations = ParseAnnotations();
                    return new NamespaceSyntax(scope, name, annotations, SpanFrom(start));
                }

            default:
                // An old-style namespace declaration: reported by the lexer; skip it with its name.
                Advance();
                if (_current.Kind == TokenKind.Identifier)
                {
                    Advance();
                }

                return null;
        }
    }

    // ---- Definitions -----------------------------------------------------------------------

    private static bool IsDefinitionStart(TokenKind kind) => kind is TokenKind.ConstKeyword or TokenKind.TypedefKeyword or TokenKind.EnumKeyword
        or TokenKind.SenumKeyword or TokenKind.StructKeyword or TokenKind.UnionKeyword or TokenKind.ExceptionKeyword or TokenKind.ServiceKeyword;

    private DefinitionSyntax? ParseDefinition()
    {
        var doc = TakeDoc();
        return _current.Kind switch
        {
            TokenKind.ConstKeyword => ParseConst(doc),
            TokenKind.TypedefKeyword => ParseTypedef(doc),
            TokenKind.EnumKeyword => ParseEnum(doc),
            TokenKind.SenumKeyword => ParseSenum(doc),
            TokenKind.ServiceKeyword => ParseService(doc),
            _ => ParseStruct(doc),
        };
    }

    private ConstSyntax? ParseConst(string? doc)
    {
        var start = _current.Start;
        Advance();
        var type = ParseFieldType();
        if (type is MissingTypeSyntax)
        {
            SkipToDefinition();
            return null;
        }

        if (ParseDeclaredName("a constant name") is not { } name || !Expect(TokenKind.Equals, "'='"))
        {
            SkipToDefinition();
            return null;
        }

        var value = ParseConstValue();
        var end = _previousEnd;
        SkipSeparator();
        return new ConstSyntax(type, name, value, doc, TextSpan.FromBounds(start, end));
    }

    private TypedefSyntax? ParseTypedef(string? doc)
    {
        var start = _current.Start;
        Advance();
        var type = ParseFieldType();
        if (type is MissingTypeSyntax || ParseDeclaredName("a typedef name") is not { } name)
        {
            SkipToDefinition();
            return null;
        }

        var annotations = ParseAnnotations();
        var end = _previousEnd;
        SkipSeparator();
        return new TypedefSyntax(type, name, doc, annotations, TextSpan.FromBounds(start, end));
    }

    private EnumSyntax? ParseEnum(string? doc)
    {
        var start = _current.Start;
        Advance();
        if (ParseDeclaredName("an enum name") is not { } name || !Expect(TokenKind.OpenBrace, "'{'"))
        {
            SkipToDefinition();
            return null;
        }

        var values = ParseBracedItems(ParseEnumValue);
        var annotations = ParseAnnotations();
        return new EnumSyntax(name, values, doc, annotations, SpanFrom(start));
    }

    /// <summary>
    /// The items of a <c>{ ... }</c> body up to its <c>}</c> (enum values, service functions): an
    /// item that fails is skipped to the next boundary, and the loop always moves forward.
    /// </summary>
    private EquatableArray<T> ParseBracedItems<T>(Func<T?> parseItem)
        where T : class
    {
        var items = ListPool<T>.Rent();
        while (_current.Kind is not (TokenKind.CloseBrace or TokenKind.EndOfFile) && !IsDefinitionStart(_current.Kind))
        {
            var before = _current.Start;
            if (parseItem() is { } item)
            {
                items.Add(item);
            }
            else
            {
                SkipToItemBoundary(TokenKind.CloseBrace);
            }

            if (_current.Start == before && _current.Kind is not (TokenKind.CloseBrace or TokenKind.EndOfFile))
            {
                Advance();
            }
        }

        Expect(TokenKind.CloseBrace, "'}'");
        return ToArray(items);
    }

    private EnumValueSyntax? ParseEnumValue()
    {
        var doc = TakeDoc();
        var start = _current.Start;
        if (ParseDeclaredName("an enum value name") is not { } name)
        {
            return null;
        }

        long? value = null;
        var valueSpan = default(TextSpan);
        if (_current.Kind == TokenKind.Equals)
        {
            Advance();
            if (!IsIntegerToken(_current.Kind))
            {
                ReportExpected("an integer");
                return null;
            }

            value = _current.IntegerValue;
            valueSpan = new TextSpan(_current.Start, _current.Length);
            Advance();
        }

        var annotations = ParseAnnotations();
        var end = _previousEnd;
        SkipSeparator();
        return new EnumValueSyntax(name, value, valueSpan, doc, annotations, TextSpan.FromBounds(start, end));
    }

    private SenumSyntax? ParseSenum(string? doc)
    {
        var start = _current.Start;
        Advance();
        if (ParseDeclaredName("an enum name") is not { } name || !Expect(TokenKind.OpenBrace, "'{'"))
        {
            SkipToDefinition();
            return null;
        }

        var values = ListPool<string>.Rent();
        while (_current.Kind == TokenKind.StringLiteral)
        {
            values.Add(StringValue(_current));
            Advance();
            SkipSeparator();
        }

        if (!Expect(TokenKind.CloseBrace, "'}'"))
        {
            SkipToDefinition();
            return null;
        }

        var annotations = ParseAnnotations();
        return new SenumSyntax(name, ToArray(values), doc, annotations, SpanFrom(start));
    }

    private StructSyntax? ParseStruct(string? doc)
    {
        var start = _current.Start;
        var kind = _current.Kind switch
        {
            TokenKind.UnionKeyword => StructKind.Union,
            TokenKind.ExceptionKeyword => StructKind.Exception,
            _ => StructKind.Struct,
        };
        Advance();
        if (ParseDeclaredName("a name") is not { } name)
        {
            SkipToDefinition();
            return null;
        }

        if (kind != StructKind.Exception && _current.Kind == TokenKind.XsdAllKeyword)
        {
            Advance();
        }

        if (!Expect(TokenKind.OpenBrace, "'{'"))
        {
            SkipToDefinition();
            return null;
        }

        var fields = ParseFieldList(TokenKind.CloseBrace);
        Expect(TokenKind.CloseBrace, "'}'");
        var annotations = ParseAnnotations();
        return new StructSyntax(kind, name, fields, doc, annotations, SpanFrom(start));
    }

    private ServiceSyntax? ParseService(string? doc)
    {
        var start = _current.Start;
        Advance();
        if (ParseDeclaredName("a service name") is not { } name)
        {
            SkipToDefinition();
            return null;
        }

        NameSyntax? extends = null;
        if (_current.Kind == TokenKind.ExtendsKeyword)
        {
            Advance();
            extends = ParseName("a service name");
        }

        if (!Expect(TokenKind.OpenBrace, "'{'"))
        {
            SkipToDefinition();
            return null;
        }

        var functions = ParseBracedItems(ParseFunction);
        var annotations = ParseAnnotations();
        return new ServiceSyntax(name, extends, functions, doc, annotations, SpanFrom(start));
    }

    private FunctionSyntax? ParseFunction()
    {
        var doc = TakeDoc();
        var start = _current.Start;
        var oneway = false;
        var onewaySpan = default(TextSpan);
        if (_current.Kind == TokenKind.OnewayKeyword)
        {
            oneway = true;
            onewaySpan = new TextSpan(_current.Start, _current.Length);
            Advance();
        }

        TypeSyntax? returnType = null;
        if (_current.Kind == TokenKind.VoidKeyword)
        {
            Advance();
        }
        else
        {
            returnType = ParseFieldType();
            if (returnType is MissingTypeSyntax)
            {
                return null;
            }
        }

        if (ParseDeclaredName("a function name") is not { } name || !Expect(TokenKind.OpenParen, "'('"))
        {
            return null;
        }

        _inArgumentList = true;
        var parameters = ParseFieldList(TokenKind.CloseParen);
        _inArgumentList = false;
        if (!Expect(TokenKind.CloseParen, "')'"))
        {
            return null;
        }

        var throws = EquatableArray<FieldSyntax>.Empty;
        var throwsSpan = default(TextSpan);
        if (_current.Kind == TokenKind.ThrowsKeyword)
        {
            var throwsStart = _current.Start;
            Advance();
            if (!Expect(TokenKind.OpenParen, "'('"))
            {
                return null;
            }

            throws = ParseFieldList(TokenKind.CloseParen);
            if (!Expect(TokenKind.CloseParen, "')'"))
            {
                return null;
            }

            throwsSpan = SpanFrom(throwsStart);
        }

        var annotations = ParseAnnotations();
        var end = _previousEnd;
        SkipSeparator();
        return new FunctionSyntax(oneway, onewaySpan, returnType, name, parameters, throws, throwsSpan, doc, annotations, TextSpan.FromBounds(start, end));
    }

    // ---- Fields ----------------------------------------------------------------------------

    private EquatableArray<FieldSyntax> ParseFieldList(TokenKind terminator)
    {
        var fields = ListPool<FieldSyntax>.Rent();
        while (_current.Kind != terminator && _current.Kind != TokenKind.EndOfFile && !IsDefinitionStart(_current.Kind)
            && _current.Kind is not (TokenKind.CloseBrace or TokenKind.VoidKeyword or TokenKind.OnewayKeyword))
        {
            var before = _current.Start;
            if (ParseField() is { } field)
            {
                fields.Add(field);
            }
            else
            {
                SkipToItemBoundary(terminator);
            }

            if (_current.Start == before && _current.Kind != terminator && _current.Kind != TokenKind.EndOfFile)
            {
                Advance();
            }
        }

        return ToArray(fields);
    }

    private FieldSyntax? ParseField()
    {
        var doc = TakeDoc();
        var start = _current.Start;
        long? id = null;
        var idSpan = default(TextSpan);
        if (IsIntegerToken(_current.Kind))
        {
            id = _current.IntegerValue;
            idSpan = new TextSpan(_current.Start, _current.Length);
            Advance();
            if (!Expect(TokenKind.Colon, "':'"))
            {
                return null;
            }
        }

        var requiredness = Requiredness.Default;
        var requirednessSpan = default(TextSpan);
        if (_current.Kind is TokenKind.RequiredKeyword or TokenKind.OptionalKeyword)
        {
            requirednessSpan = new TextSpan(_current.Start, _current.Length);
            requiredness = _current.Kind == TokenKind.RequiredKeyword ? Requiredness.Required : Requiredness.Optional;
            if (requiredness == Requiredness.Optional && _inArgumentList)
            {
                _diagnostics.Add(ThriftDiagnostics.OptionalInArguments, _source, _current.Start);
                requiredness = Requiredness.Default;
            }

            Advance();
        }

        var type = ParseFieldType();
        if (type is MissingTypeSyntax)
        {
            return null;
        }

        var isReference = false;
        if (_current.Kind == TokenKind.Ampersand)
        {
            isReference = true;
            Advance();
        }

        if (ParseDeclaredName("a field name") is not { } name)
        {
            return null;
        }

        ConstValueSyntax? defaultValue = null;
        if (_current.Kind == TokenKind.Equals)
        {
            Advance();
            defaultValue = ParseConstValue();
        }

        if (_current.Kind == TokenKind.XsdOptionalKeyword)
        {
            Advance();
        }

        if (_current.Kind == TokenKind.XsdNillableKeyword)
        {
            Advance();
        }

        if (_current.Kind == TokenKind.XsdAttrsKeyword)
        {
            Advance();
            if (Expect(TokenKind.OpenBrace, "'{'"))
            {
                var saved = _inArgumentList;
                _inArgumentList = false;
                _ = ParseFieldList(TokenKind.CloseBrace);
                _inArgumentList = saved;
                Expect(TokenKind.CloseBrace, "'}'");
            }
        }

        var annotations = ParseAnnotations();
        var end = _previousEnd;
        SkipSeparator();
        return new FieldSyntax(id, idSpan, requiredness, requirednessSpan, type, isReference, name, defaultValue, doc, annotations, TextSpan.FromBounds(start, end));
    }

    // ---- Types -----------------------------------------------------------------------------

    private static bool IsTypeStart(TokenKind kind) => kind is TokenKind.Identifier or TokenKind.BoolKeyword or TokenKind.ByteKeyword
        or TokenKind.I8Keyword or TokenKind.I16Keyword or TokenKind.I32Keyword or TokenKind.I64Keyword or TokenKind.DoubleKeyword
        or TokenKind.StringKeyword or TokenKind.BinaryKeyword or TokenKind.UuidKeyword or TokenKind.SlistKeyword
        or TokenKind.MapKeyword or TokenKind.ListKeyword or TokenKind.SetKeyword;

    private TypeSyntax ParseFieldType()
    {
        var start = _current.Start;
        if (_current.Kind == TokenKind.Identifier)
        {
            var name = new NameSyntax(TokenText(_current), new TextSpan(_current.Start, _current.Length));
            Advance();
            return new NamedTypeSyntax(name, name.Span);
        }

        if (TryBaseType(_current.Kind, out var baseType))
        {
            var writtenAsByte = _current.Kind == TokenKind.ByteKeyword;
            Advance();
            var annotations = ParseAnnotations();
            return new BaseTypeSyntax(baseType, writtenAsByte, annotations, SpanFrom(start));
        }

        if (_current.Kind is TokenKind.MapKeyword or TokenKind.ListKeyword or TokenKind.SetKeyword)
        {
            if (_depth >= MaxNestingDepth)
            {
                ReportOnce(ThriftDiagnostics.NestingTooDeep, _current, MaxNestingDepth);
                SkipNestedType();
                return new MissingTypeSyntax(SpanFrom(start));
            }

            _depth++;
            try
            {
                return ParseContainerType();
            }
            finally
            {
                _depth--;
            }
        }

        ReportOnce(ThriftDiagnostics.ExpectedType, _current, Describe(_current));
        return new MissingTypeSyntax(new TextSpan(start, 0));
    }

    private TypeSyntax ParseContainerType()
    {
        var start = _current.Start;
        var keyword = _current.Kind;
        Advance();
        string? cppType = null;
        if (keyword != TokenKind.ListKeyword)
        {
            cppType = ParseCppType();
        }

        if (!Expect(TokenKind.LessThan, "'<'"))
        {
            return new MissingTypeSyntax(SpanFrom(start));
        }

        var first = ParseFieldType();
        if (first is MissingTypeSyntax)
        {
            return first;
        }

        TypeSyntax? second = null;
        if (keyword == TokenKind.MapKeyword)
        {
            if (!Expect(TokenKind.Comma, "','"))
            {
                return new MissingTypeSyntax(SpanFrom(start));
            }

            second = ParseFieldType();
            if (second is MissingTypeSyntax)
            {
                return second;
            }
        }

        if (!Expect(TokenKind.GreaterThan, "'>'"))
        {
            return new MissingTypeSyntax(SpanFrom(start));
        }

        if (keyword == TokenKind.ListKeyword)
        {
            cppType = ParseCppType();
            if (first is BaseTypeSyntax { BaseType: BaseTypeKind.I8 })
            {
                _diagnostics.Add(ThriftDiagnostics.ListOfBytes, _source, start);
            }
        }

        var annotations = ParseAnnotations();
        var span = SpanFrom(start);
        return keyword switch
        {
            TokenKind.MapKeyword => new MapTypeSyntax(first, second!, cppType, annotations, span),
            TokenKind.SetKeyword => new SetTypeSyntax(first, cppType, annotations, span),
            _ => new ListTypeSyntax(first, cppType, annotations, span),
        };
    }

    private string? ParseCppType()
    {
        if (_current.Kind != TokenKind.CppTypeKeyword)
        {
            return null;
        }

        Advance();
        if (_current.Kind != TokenKind.StringLiteral)
        {
            ReportExpected("a C++ type name in quotes");
            return null;
        }

        var value = StringValue(_current);
        Advance();
        return value;
    }

    private static bool TryBaseType(TokenKind kind, out BaseTypeKind baseType)
    {
        baseType = kind switch
        {
            TokenKind.BoolKeyword => BaseTypeKind.Bool,
            TokenKind.ByteKeyword or TokenKind.I8Keyword => BaseTypeKind.I8,
            TokenKind.I16Keyword => BaseTypeKind.I16,
            TokenKind.I32Keyword => BaseTypeKind.I32,
            TokenKind.I64Keyword => BaseTypeKind.I64,
            TokenKind.DoubleKeyword => BaseTypeKind.Double,
            TokenKind.StringKeyword or TokenKind.SlistKeyword => BaseTypeKind.String,
            TokenKind.BinaryKeyword => BaseTypeKind.Binary,
            TokenKind.UuidKeyword => BaseTypeKind.Uuid,
            _ => (BaseTypeKind)(-1),
        };
        return (int)baseType >= 0;
    }

    /// <summary>Skips a type nested too deeply to parse, without recursion: its tokens up to the balancing '&gt;'.</summary>
    private void SkipNestedType()
    {
        var angles = 0;
        while (_current.Kind != TokenKind.EndOfFile)
        {
            switch (_current.Kind)
            {
                case TokenKind.LessThan:
                    angles++;
                    break;
                case TokenKind.GreaterThan:
                    angles--;
                    break;
                case TokenKind.Comma or TokenKind.OpenParen or TokenKind.CloseParen or TokenKind.Equals or TokenKind.StringLiteral
                    or TokenKind.CppTypeKeyword:
                    break;
                default:
                    if (!IsTypeStart(_current.Kind))
                    {
                        return;
                    }

                    break;
            }

            Advance();
            if (angles <= 0 && _current.Kind != TokenKind.LessThan && _current.Kind != TokenKind.CppTypeKeyword)
            {
                return;
            }
        }
    }

    // ---- Constant values -------------------------------------------------------------------

    private ConstValueSyntax ParseConstValue()
    {
        var token = _current;
        var span = new TextSpan(token.Start, token.Length);
        switch (token.Kind)
        {
            case TokenKind.IntegerLiteral:
                Advance();
                if (token.IntegerValue is < int.MinValue or > int.MaxValue)
                {
                    _diagnostics.Add(ThriftDiagnostics.LargeConstant, _source, token.Start, token.IntegerValue);
                }

                return new IntegerValueSyntax(token.IntegerValue, false, span);
            case TokenKind.TrueKeyword or TokenKind.FalseKeyword:
                Advance();
                return new IntegerValueSyntax(token.IntegerValue, true, span);
            case TokenKind.DoubleLiteral:
                Advance();
                return new DoubleValueSyntax(token.DoubleValue, span);
            case TokenKind.StringLiteral:
                Advance();
                return new StringValueSyntax(StringValue(token), span);
            case TokenKind.Identifier:
                Advance();
                return new IdentifierValueSyntax(new NameSyntax(TokenText(token), span), span);
            case TokenKind.OpenBracket or TokenKind.OpenBrace:
                if (_depth >= MaxNestingDepth)
                {
                    ReportOnce(ThriftDiagnostics.NestingTooDeep, token, MaxNestingDepth);
                    SkipBalanced();
                    return new MissingValueSyntax(SpanFrom(token.Start));
                }

                _depth++;
                try
                {
                    return token.Kind == TokenKind.OpenBracket ? ParseListValue() : ParseMapValue();
                }
                finally
                {
                    _depth--;
                }

            default:
                ReportOnce(ThriftDiagnostics.ExpectedValue, token, Describe(token));
                return new MissingValueSyntax(new TextSpan(token.Start, 0));
        }
    }

    private ConstValueSyntax ParseListValue()
    {
        var start = _current.Start;
        Advance();
        var items = ListPool<ConstValueSyntax>.Rent();
        while (_current.Kind is not (TokenKind.CloseBracket or TokenKind.EndOfFile) && !IsDefinitionStart(_current.Kind))
        {
            var before = _current.Start;
            var item = ParseConstValue();
            if (item is MissingValueSyntax && _current.Start == before)
            {
                // Nothing parsed here: a ']' is probably missing; let the caller recover.
                break;
            }

            items.Add(item);
            SkipSeparator();
        }

        Expect(TokenKind.CloseBracket, "']'");
        return new ListValueSyntax(ToArray(items), SpanFrom(start));
    }

    private ConstValueSyntax ParseMapValue()
    {
        var start = _current.Start;
        Advance();
        var entries = ListPool<MapEntrySyntax>.Rent();
        while (_current.Kind is not (TokenKind.CloseBrace or TokenKind.EndOfFile) && !IsDefinitionStart(_current.Kind))
        {
            var before = _current.Start;
            var key = ParseConstValue();
            if (key is MissingValueSyntax && _current.Start == before)
            {
                break;
            }

            if (!Expect(TokenKind.Colon, "':'"))
            {
                break;
            }

            var value = ParseConstValue();
            entries.Add(new MapEntrySyntax(key, value));
            SkipSeparator();
        }

        Expect(TokenKind.CloseBrace, "'}'");
        return new MapValueSyntax(ToArray(entries), SpanFrom(start));
    }

    /// <summary>Skips a constant value nested too deeply to parse, without recursion.</summary>
    private void SkipBalanced()
    {
        var depth = 0;
        do
        {
            if (_current.Kind is TokenKind.OpenBracket or TokenKind.OpenBrace)
            {
                depth++;
            }
            else if (_current.Kind is TokenKind.CloseBracket or TokenKind.CloseBrace)
            {
                depth--;
            }

            Advance();
        }
        while (depth > 0 && _current.Kind != TokenKind.EndOfFile);
    }

    // ---- Annotations -----------------------------------------------------------------------

    private EquatableArray<AnnotationSyntax> ParseAnnotations()
    {
        if (_current.Kind != TokenKind.OpenParen)
        {
            return EquatableArray<AnnotationSyntax>.Empty;
        }

        Advance();
        var annotations = ListPool<AnnotationSyntax>.Rent();
        while (_current.Kind == TokenKind.Identifier)
        {
            var start = _current.Start;
            var key = new NameSyntax(TokenText(_current), new TextSpan(_current.Start, _current.Length));
            Advance();
            var value = "1";
            if (_current.Kind == TokenKind.Equals)
            {
                Advance();
                if (_current.Kind != TokenKind.StringLiteral)
                {
                    ReportExpected("an annotation value in quotes");
                    break;
                }

                value = StringValue(_current);
                Advance();
            }

            annotations.Add(new AnnotationSyntax(key, value, SpanFrom(start)));
            SkipSeparator();
        }

        if (!Expect(TokenKind.CloseParen, "')'"))
        {
            // Skip to the end of the annotation list, if it ends on this construct.
            while (_current.Kind is not (TokenKind.CloseParen or TokenKind.EndOfFile or TokenKind.CloseBrace) && !IsDefinitionStart(_current.Kind))
            {
                Advance();
            }

            if (_current.Kind == TokenKind.CloseParen)
            {
                Advance();
            }
        }

        return ToArray(annotations);
    }

    // ---- Names -----------------------------------------------------------------------------

    private NameSyntax? ParseName(string what)
    {
        if (_current.Kind != TokenKind.Identifier)
        {
            ReportExpected(what);
            return null;
        }

        var name = new NameSyntax(TokenText(_current), new TextSpan(_current.Start, _current.Length));
        Advance();
        return name;
    }

    /// <summary>A name being defined: thrift rejects dots in it.</summary>
    private NameSyntax? ParseDeclaredName(string what)
    {
        var name = ParseName(what);
        if (name is not null && name.Text.Contains('.', StringComparison.Ordinal))
        {
            _diagnostics.Add(ThriftDiagnostics.DottedName, _source, name.Span.Start, name.Text);
        }

        return name;
    }

    // ---- Token plumbing and recovery -------------------------------------------------------

    private static bool IsIntegerToken(TokenKind kind) => kind is TokenKind.IntegerLiteral or TokenKind.TrueKeyword or TokenKind.FalseKeyword;

    private void Advance()
    {
        _previousEnd = _current.End;
        _current = _lexer.Next();

        NoteDoc(_current);
    }

    private void NoteDoc(Token token)
    {
        if (_firstDoc is null && token.HasDoc)
        {
            _firstDoc = DocOf(token);
        }
    }

    private bool Expect(TokenKind kind, string what)
    {
        if (_current.Kind == kind)
        {
            Advance();
            return true;
        }

        ReportExpected(what);
        return false;
    }

    private void ReportExpected(string what) => ReportOnce(ThriftDiagnostics.Expected, _current, what, Describe(_current));

    /// <summary>Reports a syntax error unless one was already reported at this token: recovery must not cascade.</summary>
    private void ReportOnce(DiagnosticDescriptor descriptor, Token at, params object?[] args)
    {
        if (at.Start <= _lastErrorStart)
        {
            return;
        }

        _lastErrorStart = at.Start;
        _diagnostics.Add(descriptor, _source, Math.Min(at.Start, _text.Length), args);
    }

    private void SkipSeparator()
    {
        if (_current.Kind is TokenKind.Comma or TokenKind.Semicolon)
        {
            Advance();
        }
    }

    private void SkipToDefinition()
    {
        while (_current.Kind != TokenKind.EndOfFile && !IsDefinitionStart(_current.Kind) && !IsHeaderStart(_current.Kind))
        {
            Advance();
        }
    }

    /// <summary>
    /// After a broken field, enum value or function: skip to a ',' or ';' (consumed), the
    /// closing token, a definition keyword, or the first token of a later line that can start
    /// an item, keeping brackets balanced.
    /// </summary>
    private void SkipToItemBoundary(TokenKind terminator)
    {
        var nesting = 0;
        var errorLineEnd = LineEndAfter(Math.Min(_previousEnd, _current.Start));
        while (_current.Kind != TokenKind.EndOfFile)
        {
            var kind = _current.Kind;
            if (nesting == 0)
            {
                if (kind == terminator || kind == TokenKind.CloseBrace || IsDefinitionStart(kind) || IsHeaderStart(kind))
                {
                    return;
                }

                if (kind is TokenKind.Comma or TokenKind.Semicolon)
                {
                    Advance();
                    return;
                }

                if (_current.Start > errorLineEnd && CanStartItem(kind))
                {
                    return;
                }
            }

            if (kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
            {
                nesting++;
            }
            else if (kind is TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace)
            {
                nesting--;
                if (nesting < 0)
                {
                    return;
                }
            }

            Advance();
        }
    }

    private static bool CanStartItem(TokenKind kind) => IsTypeStart(kind) || IsIntegerToken(kind)
        || kind is TokenKind.RequiredKeyword or TokenKind.OptionalKeyword or TokenKind.OnewayKeyword or TokenKind.VoidKeyword;

    private int LineEndAfter(int offset)
    {
        var end = offset < _text.Length ? _text.IndexOf('\n', offset) : -1;
        return end < 0 ? _text.Length : end;
    }

    private TextSpan SpanFrom(int start) => TextSpan.FromBounds(start, Math.Max(start, _previousEnd));

    /// <summary>The token's text; names repeat a lot, so equal texts share one string (see <see cref="NameTable"/>).</summary>
    private string TokenText(Token token) => _names.Get(_text.AsSpan(token.Start, token.Length));

    /// <summary>A string literal's value: shared like names when it has no escapes (the common case), else decoded.</summary>
    private string StringValue(Token token)
    {
        var body = Lexer.StringBody(_text, token);
        return body.Contains('\\') ? Lexer.DecodeString(_text, token) : _names.Get(body);
    }

    private static EquatableArray<T> ToArray<T>(List<T> list) => ListPool<T>.ToArrayAndReturn(list);

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Identifier or TokenKind.IntegerLiteral or TokenKind.DoubleLiteral => $"'{TokenText(token)}'",
        TokenKind.StringLiteral => "a string literal",
        _ when TokenFacts.IsKeyword(token.Kind) => $"'{TokenText(token)}'",
        _ => TokenFacts.Describe(token.Kind),
    };

    /// <summary>The doc of what starts at the current token; thrift's <c>CaptureDocText</c> (the pending doc comment is taken).</summary>
    private string? TakeDoc()
    {
        _lexer.TakeDocComment();
        return DocOf(_current);
    }

    private string? DocOf(Token token) => token.HasDoc ? DocComment.Clean(_text.AsSpan(token.DocStart, token.DocLength)) : null;
}
