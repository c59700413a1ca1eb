using System.Globalization;
using Kiln.Text;

namespace Kiln.Thrift.Syntax;

/// <summary>
/// Turns Thrift source into tokens, one at a time, as thrift 0.17's flex scanner does:
/// <c>//</c>, <c>#</c> and <c>/* */</c> comments are skipped, a <c>/** */</c> doc comment is
/// remembered and attached to the next token, <c>true</c>/<c>false</c> are keywords, and
/// identifiers may contain dots. Lexical errors are reported and skipped; the lexer never throws.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private int _position;
    private bool _byteWarned;

    // thrift's g_doctext: the doc comment read last and not yet taken (TakeDocComment) or dropped
    // (DropDocComment); -1 when there is none. A doc comment that replaces one still pending, or
    // one that is dropped, is reported as uncaptured (a level-2 warning, shown with -strict).
    private int _pendingDocStart = -1;
    private int _pendingDocEnd;

    public Lexer(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _text = source.Text;
        _diagnostics = diagnostics;

        // thrift skips a UTF-8 byte order mark; in a decoded string it is U+FEFF.
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _position = 1;
        }
    }

    public Token Next()
    {
        var docStart = -1;
        var docLength = 0;
        while (true)
        {
            SkipWhitespaceAndComments(ref docStart, ref docLength);
            if (_position >= _text.Length)
            {
                return new Token(TokenKind.EndOfFile, _text.Length, 0, 0, 0, docStart, docLength);
            }

            var start = _position;
            var c = _text[_position];
            var kind = c switch
            {
                ':' => TokenKind.Colon,
                ';' => TokenKind.Semicolon,
                ',' => TokenKind.Comma,
                '{' => TokenKind.OpenBrace,
                '}' => TokenKind.CloseBrace,
                '(' => TokenKind.OpenParen,
                ')' => TokenKind.CloseParen,
                '=' => TokenKind.Equals,
                '<' => TokenKind.LessThan,
                '>' => TokenKind.GreaterThan,
                '[' => TokenKind.OpenBracket,
                ']' => TokenKind.CloseBracket,
                '*' => TokenKind.Star,
                '&' => TokenKind.Ampersand,
                _ => TokenKind.EndOfFile,
            };
            if (kind != TokenKind.EndOfFile)
            {
                _position++;
                return new Token(kind, start, 1, 0, 0, docStart, docLength);
            }

            if (IsIdentifierStart(c))
            {
                return LexIdentifier(start, docStart, docLength);
            }

            if (IsDigit(c) || c == '.' || c == '+' || c == '-')
            {
                if (TryLexNumber(start, docStart, docLength, out var number))
                {
                    return number;
                }

                continue;
            }

            if (c == '"' || c == '\'')
            {
                return LexString(start, docStart, docLength);
            }

            _diagnostics.Add(ThriftDiagnostics.UnexpectedCharacter, _source, start, char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
            _position++;
        }
    }

    private void SkipWhitespaceAndComments(ref int docStart, ref int docLength)
    {
        var text = _text;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                _position++;
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                var end = text.IndexOf('\n', _position);
                _position = end < 0 ? text.Length : end + 1;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var start = _position;
                var end = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    _diagnostics.Add(ThriftDiagnostics.UnterminatedComment, _source, start);
                    _position = text.Length;
                    return;
                }

                _position = end + 2;

                // "/**/" and "/***/" are thrift's "silly comments", not doc comments.
                var isDoc = text[start + 2] == '*' && !IsAllStars(start + 2, end);
                if (isDoc)
                {
                    docStart = start;
                    docLength = _position - start;
                    DropDocComment();
                    _pendingDocStart = start;
                    _pendingDocEnd = _position;
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>
    /// The parser took the pending doc comment for what it documents (thrift's <c>CaptureDocText</c>:
    /// a definition, field, function or enum value starting at the current token).
    /// </summary>
    public void TakeDocComment() => _pendingDocStart = -1;

    /// <summary>
    /// Forgets the pending doc comment, reporting it as uncaptured (thrift's <c>clear_doctext</c>:
    /// before each header, at the end of the file, and when another doc comment is read).
    /// </summary>
    public void DropDocComment()
    {
        if (_pendingDocStart < 0)
        {
            return;
        }

        // thrift names the line where the comment ends (its line counter after reading it).
        var endLine = _source.GetLinePosition(_pendingDocEnd - 1).Line;
        _diagnostics.Add(ThriftDiagnostics.UncapturedDocComment, _source, _pendingDocStart, endLine);
        _pendingDocStart = -1;
    }

    private bool IsAllStars(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_text[i] != '*')
            {
                return false;
            }
        }

        return true;
    }

    private Token LexIdentifier(int start, int docStart, int docLength)
    {
        var text = _text;
        var position = start + 1;
        while (position < text.Length)
        {
            var c = text[position];
            if (IsIdentifierPart(c))
            {
                position++;
            }
            else if (c == '.' && position + 1 < text.Length && IsIdentifierPart(text[position + 1]))
            {
                position += 2;
            }
            else
            {
                break;
            }
        }

        _position = position;
        var span = text.AsSpan(start, position - start);
        var kind = TokenFacts.KeywordKind(span);
        switch (kind)
        {
            case TokenKind.TrueKeyword:
                return new Token(kind, start, span.Length, 1, 0, docStart, docLength);
            case TokenKind.ByteKeyword when !_byteWarned:
                _byteWarned = true;
                _diagnostics.Add(ThriftDiagnostics.ByteAlias, _source, start);
                break;
            case TokenKind.OnewayKeyword when span is "async":
                _diagnostics.Add(ThriftDiagnostics.AsyncDeprecated, _source, start);
                break;
            case TokenKind.SlistKeyword:
                _diagnostics.Add(ThriftDiagnostics.NoLongerSupported, _source, start, "slist", "string");
                break;
            case TokenKind.SenumKeyword:
                _diagnostics.Add(ThriftDiagnostics.NoLongerSupported, _source, start, "senum", "string");
                break;
            case TokenKind.UnsupportedNamespaceKeyword:
                var (old, replacement) = TokenFacts.UnsupportedNamespace(span);
                _diagnostics.Add(ThriftDiagnostics.UnsupportedNamespaceDeclaration, _source, start, old, replacement);
                break;
        }

        return new Token(kind, start, span.Length, 0, 0, docStart, docLength);
    }

    /// <summary>
    /// Numbers as thrift's scanner matches them, longest match first: hex
    /// <c>[+-]?0x[0-9A-Fa-f]+</c>, integer <c>[+-]?[0-9]+</c>, double
    /// <c>[+-]?[0-9]*(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.
    /// </summary>
    private bool TryLexNumber(int start, int docStart, int docLength, out Token token)
    {
        var text = _text;
        var position = start;
        var negative = false;
        if (text[position] is '+' or '-')
        {
            negative = text[position] == '-';
            position++;
        }

        // Hex.
        if (position + 2 < text.Length && text[position] == '0' && text[position + 1] == 'x' && IsHexDigit(text[position + 2]))
        {
            var digitsStart = position + 2;
            position = digitsStart;
            while (position < text.Length && IsHexDigit(text[position]))
            {
                position++;
            }

            _position = position;
            var digits = text.AsSpan(digitsStart, position - digitsStart);
            if (!long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) || !FitsSignedHex(digits))
            {
                _diagnostics.Add(ThriftDiagnostics.IntegerTooBig, _source, start, text[start..position]);
                hex = 0;
            }

            token = new Token(TokenKind.IntegerLiteral, start, position - start, negative ? -hex : hex, 0, docStart, docLength);
            return true;
        }

        var intStart = position;
        while (position < text.Length && IsDigit(text[position]))
        {
            position++;
        }

        var intDigits = position - intStart;
        var isDouble = false;
        if (position + 1 < text.Length && text[position] == '.' && IsDigit(text[position + 1]))
        {
            isDouble = true;
            position += 2;
            while (position < text.Length && IsDigit(text[position]))
            {
                position++;
            }
        }

        if (position < text.Length && text[position] is 'e' or 'E')
        {
            var exponent = position + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && IsDigit(text[exponent]))
            {
                isDouble = true;
                position = exponent;
                while (position < text.Length && IsDigit(text[position]))
                {
                    position++;
                }
            }
        }

        if (!isDouble && intDigits == 0)
        {
            // A lone '+', '-' or '.'.
            _diagnostics.Add(ThriftDiagnostics.UnexpectedCharacter, _source, start, text[start].ToString());
            _position = start + 1;
            token = default;
            return false;
        }

        _position = position;
        var span = text.AsSpan(start, position - start);
        if (isDouble)
        {
            if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                _diagnostics.Add(ThriftDiagnostics.InvalidNumber, _source, start, span.ToString());
            }

            token = new Token(TokenKind.DoubleLiteral, start, span.Length, 0, value, docStart, docLength);
            return true;
        }

        if (!long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            _diagnostics.Add(ThriftDiagnostics.IntegerTooBig, _source, start, span.ToString());
            integer = 0;
        }

        token = new Token(TokenKind.IntegerLiteral, start, span.Length, integer, 0, docStart, docLength);
        return true;
    }

    // strtoll on the hex digits: anything above long.MaxValue overflows, whatever the sign.
    private static bool FitsSignedHex(ReadOnlySpan<char> digits)
    {
        var significant = digits.TrimStart('0');
        return significant.Length < 16 || (significant.Length == 16 && significant[0] <= '7');
    }

    private Token LexString(int start, int docStart, int docLength)
    {
        var text = _text;
        var quote = text[start];
        var position = start + 1;
        while (true)
        {
            if (position >= text.Length)
            {
                _diagnostics.Add(ThriftDiagnostics.UnterminatedString, _source, start);
                _position = text.Length;
                return new Token(TokenKind.StringLiteral, start, text.Length - start, 0, 0, docStart, docLength);
            }

            var c = text[position];
            if (c == quote)
            {
                _position = position + 1;
                return new Token(TokenKind.StringLiteral, start, _position - start, 0, 0, docStart, docLength);
            }

            if (c == '\n')
            {
                _diagnostics.Add(ThriftDiagnostics.NewlineInString, _source, start);
                _position = position;
                return new Token(TokenKind.StringLiteral, start, position - start, 0, 0, docStart, docLength);
            }

            if (c == '\\')
            {
                if (position + 1 < text.Length)
                {
                    var escaped = text[position + 1];
                    if (escaped is '\n' or '\r')
                    {
                        // The line ends inside the literal; the next round reports it.
                        position++;
                        continue;
                    }

                    if (escaped is not ('r' or 'n' or 't' or '"' or '\'' or '\\'))
                    {
                        _diagnostics.Add(ThriftDiagnostics.BadEscape, _source, position, escaped.ToString());
                    }
                }

                position += 2;
                continue;
            }

            position++;
        }
    }

    /// <summary>The text between a string literal's quotes, escapes not decoded.</summary>
    public static ReadOnlySpan<char> StringBody(string text, Token token)
    {
        var start = Math.Min(token.Start + 1, text.Length);
        var end = Math.Min(token.End, text.Length);
        if (end > start && end <= text.Length && text[end - 1] == text[token.Start] && token.Length >= 2)
        {
            end--;
        }

        return text.AsSpan(start, Math.Max(0, end - start));
    }

    /// <summary>The value of a string literal token: quotes removed, escapes decoded.</summary>
    public static string DecodeString(string text, Token token)
    {
        var body = StringBody(text, token);
        if (body.IndexOf('\\') < 0)
        {
            return body.ToString();
        }

        var builder = new System.Text.StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length)
            {
                i++;
                builder.Append(body[i] switch
                {
                    'r' => '\r',
                    'n' => '\n',
                    't' => '\t',
                    var other => other,
                });
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private char Peek(int offset)
    {
        var index = _position + offset;
        return (uint)index < (uint)_text.Length ? _text[index] : '\0';
    }

    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    private static bool IsHexDigit(char c) => char.IsAsciiHexDigit(c);

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
