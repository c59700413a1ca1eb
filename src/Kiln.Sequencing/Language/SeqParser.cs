using System.Runtime.CompilerServices;
using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>
/// The recursive-descent parser of the sequence format (grammar in <c>docs/sequencing-format.md</c>).
/// Keeps going after an error: a statement that does not parse is reported and skipped up to the
/// next statement keyword. Nesting depth is bounded, so no input overflows the stack.
/// </summary>
public sealed class SeqParser
{
    /// <summary>The words that start a statement; they cannot be used as names.</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal) { "clock", "let", "param", "seq", "main", "scan" };

    private const int MaxDepth = 200;

    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<SeqToken> _tokens;
    private int _position;
    private int _depth;
    private bool _tooDeepReported;

    private SeqParser(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
        _tokens = SeqLexer.Lex(source, diagnostics);
    }

    public static SeqFileSyntax Parse(SourceText source, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var parser = new SeqParser(source, diagnostics);
        return new SeqFileSyntax(source, parser.ParseStatements());
    }

    private int _lastErrorOffset = -1;

    private SeqToken Current => _tokens[_position];

    /// <summary>Reports a syntax error, but only the first at any one position (no cascades).</summary>
    private void Report(Kiln.Text.DiagnosticDescriptor descriptor, SourceText source, int offset, params object?[] args)
    {
        if (offset == _lastErrorOffset)
        {
            return;
        }

        _lastErrorOffset = offset;
        _diagnostics.Add(descriptor, source, offset, args);
    }

    private SeqToken Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];

    private SeqToken Next()
    {
        var token = _tokens[_position];
        if (_position < _tokens.Count - 1)
        {
            _position++;
        }

        return token;
    }

    private bool AtStatementStart => Current.Kind == SeqTokenKind.EndOfFile || (Current.Kind == SeqTokenKind.Identifier && Keywords.Contains(Current.Text));

    private List<StatementSyntax> ParseStatements()
    {
        var statements = new List<StatementSyntax>();
        while (Current.Kind != SeqTokenKind.EndOfFile)
        {
            if (Current.Kind == SeqTokenKind.Semicolon)
            {
                Next();
                continue;
            }

            if (!AtStatementStart)
            {
                Report(SeqLanguageDiagnostics.ExpectedStatement, _source, Current.Span.Start, Current.Describe());
                SkipToStatement();
                continue;
            }

            var errorsBefore = _diagnostics.Count;
            var statement = ParseStatement();
            if (statement is not null)
            {
                statements.Add(statement);
            }

            if (!AtStatementStart && Current.Kind != SeqTokenKind.Semicolon)
            {
                if (_diagnostics.Count == errorsBefore)
                {
                    var unitAfterSpace = Current.Kind == SeqTokenKind.Identifier && SeqLexer.Units.Contains(Current.Text) && _position > 0 && _tokens[_position - 1].Kind == SeqTokenKind.Number;
                    Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start,
                        unitAfterSpace ? "the end of the statement (a unit follows its number with no space: 10us)" : "the end of the statement (an operator, or a new line starting with a keyword)",
                        Current.Describe());
                }

                SkipToStatement();
            }
        }

        return statements;
    }

    private void SkipToStatement()
    {
        Next();
        while (!AtStatementStart)
        {
            Next();
        }
    }

    private StatementSyntax? ParseStatement()
    {
        var keyword = Next();
        var start = keyword.Span.Start;
        switch (keyword.Text)
        {
            case "clock":
                {
                    var value = ParseExpression();
                    return new StatementSyntax(SpanFrom(start), StatementKind.Clock, keyword.Span, null, default, null, value);
                }

            case "main":
                {
                    if (!Expect(SeqTokenKind.Equals, "'=' after 'main'"))
                    {
                        return null;
                    }

                    var value = ParseExpression();
                    return new StatementSyntax(SpanFrom(start), StatementKind.Main, keyword.Span, "main", keyword.Span, null, value);
                }

            case "scan":
                {
                    var value = ParseExpression();
                    return new StatementSyntax(SpanFrom(start), StatementKind.Scan, keyword.Span, null, default, null, value);
                }

            default:
                {
                    var kind = keyword.Text switch
                    {
                        "let" => StatementKind.Let,
                        "param" => StatementKind.Param,
                        _ => StatementKind.Seq,
                    };
                    if (Current.Kind != SeqTokenKind.Identifier || Keywords.Contains(Current.Text))
                    {
                        Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, $"a name after '{keyword.Text}'", Current.Describe());
                        return null;
                    }

                    var name = Next();
                    List<(string, TextSpan)>? parameters = null;
                    if (kind != StatementKind.Param && Current.Kind == SeqTokenKind.OpenParen)
                    {
                        Next();
                        parameters = [];
                        while (Current.Kind != SeqTokenKind.CloseParen)
                        {
                            if (Current.Kind != SeqTokenKind.Identifier || Keywords.Contains(Current.Text))
                            {
                                Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, "a parameter name or ')'", Current.Describe());
                                return null;
                            }

                            var p = Next();
                            parameters.Add((p.Text, p.Span));
                            if (Current.Kind == SeqTokenKind.Comma)
                            {
                                Next();
                            }
                            else if (Current.Kind != SeqTokenKind.CloseParen)
                            {
                                Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, "',' or ')'", Current.Describe());
                                return null;
                            }
                        }

                        Next();
                    }

                    if (!Expect(SeqTokenKind.Equals, $"'=' after '{keyword.Text} {name.Text}'"))
                    {
                        return null;
                    }

                    var value = ParseExpression();
                    return new StatementSyntax(SpanFrom(start), kind, keyword.Span, name.Text, name.Span, parameters, value);
                }
        }
    }

    private TextSpan SpanFrom(int start)
    {
        var end = _position > 0 ? _tokens[_position - 1].Span.End : start;
        return TextSpan.FromBounds(start, Math.Max(start, end));
    }

    private bool Expect(SeqTokenKind kind, string what)
    {
        if (Current.Kind == kind)
        {
            Next();
            return true;
        }

        Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, what, Current.Describe());
        return false;
    }

    // ------------------------------------------------------------------ expressions
    // par := ser ('|' ser)* ; ser := cat ('>>' cat)* ; cat := add ('++' add)* ;
    // add := mul (('+'|'-') mul)* ; mul := unary (('*'|'/') unary)* ; unary := '-' unary | primary

    private ExprSyntax ParseExpression()
    {
        if (!Enter())
        {
            return TooDeep();
        }

        try
        {
            return ParseChain(0);
        }
        finally
        {
            _depth--;
        }
    }

    private static readonly SeqTokenKind[][] s_levels =
    [
        [SeqTokenKind.Bar],
        [SeqTokenKind.Then],
        [SeqTokenKind.Concat],
        [SeqTokenKind.Plus, SeqTokenKind.Minus],
        [SeqTokenKind.Star, SeqTokenKind.Slash],
    ];

    private ExprSyntax ParseChain(int level)
    {
        if (level == s_levels.Length)
        {
            return ParseUnary();
        }

        var first = ParseChain(level + 1);
        var ops = s_levels[level];
        if (!ops.Contains(Current.Kind))
        {
            return first;
        }

        var operands = new List<ExprSyntax> { first };
        var operators = new List<SeqTokenKind>();
        while (ops.Contains(Current.Kind))
        {
            operators.Add(Next().Kind);
            operands.Add(ParseChain(level + 1));
        }

        var span = TextSpan.FromBounds(first.Span.Start, Math.Max(first.Span.Start, operands[^1].Span.End));
        return new ChainSyntax(span, ops[0], operands, operators);
    }

    private ExprSyntax ParseUnary()
    {
        if (Current.Kind != SeqTokenKind.Minus)
        {
            return ParsePrimary();
        }

        if (!Enter())
        {
            return TooDeep();
        }

        try
        {
            var minus = Next();
            var operand = ParseUnary();
            return new NegateSyntax(TextSpan.FromBounds(minus.Span.Start, Math.Max(minus.Span.End, operand.Span.End)), operand);
        }
        finally
        {
            _depth--;
        }
    }

    private bool Enter()
    {
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _depth--;
            return false;
        }

        return true;
    }

    private MissingSyntax TooDeep()
    {
        if (!_tooDeepReported)
        {
            _diagnostics.Add(SeqLanguageDiagnostics.TooDeep, _source, Current.Span.Start);
            _tooDeepReported = true;
        }

        // Skip the rest of the statement: the parse cannot usefully continue inside it.
        var start = Current.Span.Start;
        while (!AtStatementStart)
        {
            Next();
        }

        return new MissingSyntax(new TextSpan(start, 0));
    }

    private bool StartsExpression => Current.Kind switch
    {
        SeqTokenKind.Number or SeqTokenKind.ChannelLiteral or SeqTokenKind.HexString or SeqTokenKind.OpenParen or SeqTokenKind.OpenBracket or SeqTokenKind.Minus => true,
        SeqTokenKind.Identifier => !Keywords.Contains(Current.Text),
        _ => false,
    };

    private ExprSyntax ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SeqTokenKind.Number:
                Next();
                return new NumberSyntax(token.Span, token.Number, token.Unit, token.Text);
            case SeqTokenKind.ChannelLiteral:
                Next();
                return new ChannelSyntax(token.Span, token.Text);
            case SeqTokenKind.HexString:
                Next();
                return new HexSyntax(token.Span, token.Bytes ?? []);
            case SeqTokenKind.OpenParen:
                {
                    Next();
                    var inner = ParseExpression();
                    Expect(SeqTokenKind.CloseParen, "')'");
                    return inner;
                }

            case SeqTokenKind.OpenBracket:
                {
                    Next();
                    var items = ParseItems(SeqTokenKind.CloseBracket, "']'");
                    return new ListSyntax(SpanFrom(token.Span.Start), items);
                }

            case SeqTokenKind.Identifier when !Keywords.Contains(token.Text):
                {
                    Next();
                    if (Current.Kind == SeqTokenKind.OpenParen && Current.Span.Start == token.Span.End)
                    {
                        Next();
                        var arguments = ParseArguments();
                        return new CallSyntax(SpanFrom(token.Span.Start), token.Text, token.Span, arguments);
                    }

                    if (Current.Kind == SeqTokenKind.OpenBrace)
                    {
                        Next();
                        var items = ParseItems(SeqTokenKind.CloseBrace, "'}'");
                        return new BlockSyntax(SpanFrom(token.Span.Start), token.Text, token.Span, items);
                    }

                    return new NameSyntax(token.Span, token.Text);
                }

            default:
                Report(SeqLanguageDiagnostics.Expected, _source, token.Span.Start, "an expression", token.Describe());
                return new MissingSyntax(new TextSpan(token.Span.Start, 0));
        }
    }

    /// <summary>Items of a block or list: expressions separated by ',', ';' or nothing.</summary>
    private List<ExprSyntax> ParseItems(SeqTokenKind close, string closeText)
    {
        var items = new List<ExprSyntax>();
        if (!Enter())
        {
            items.Add(TooDeep());
            return items;
        }

        try
        {
            while (Current.Kind != close)
            {
                if (Current.Kind is SeqTokenKind.Comma or SeqTokenKind.Semicolon)
                {
                    Next();
                    continue;
                }

                if (!StartsExpression)
                {
                    Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, $"an expression or {closeText}", Current.Describe());
                    return items;
                }

                items.Add(ParseExpression());
            }

            Next();
            return items;
        }
        finally
        {
            _depth--;
        }
    }

    private List<ArgumentSyntax> ParseArguments()
    {
        var arguments = new List<ArgumentSyntax>();
        if (!Enter())
        {
            arguments.Add(new ArgumentSyntax(Current.Span, null, default, TooDeep()));
            return arguments;
        }

        try
        {
            while (Current.Kind != SeqTokenKind.CloseParen)
            {
                string? name = null;
                TextSpan nameSpan = default;
                var start = Current.Span.Start;
                if (Current.Kind == SeqTokenKind.Identifier && Peek(1).Kind == SeqTokenKind.Equals && !Keywords.Contains(Current.Text))
                {
                    var n = Next();
                    name = n.Text;
                    nameSpan = n.Span;
                    Next();
                }

                if (!StartsExpression)
                {
                    Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, "an argument or ')'", Current.Describe());
                    return arguments;
                }

                var value = ParseExpression();
                arguments.Add(new ArgumentSyntax(TextSpan.FromBounds(start, Math.Max(start, value.Span.End)), name, nameSpan, value));
                if (Current.Kind == SeqTokenKind.Comma)
                {
                    Next();
                }
                else if (Current.Kind != SeqTokenKind.CloseParen)
                {
                    Report(SeqLanguageDiagnostics.Expected, _source, Current.Span.Start, "',' or ')'", Current.Describe());
                    return arguments;
                }
            }

            Next();
            return arguments;
        }
        finally
        {
            _depth--;
        }
    }
}
