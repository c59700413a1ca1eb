using System.Text;

namespace Kiln.Protobuf.Syntax;

internal enum TokenType : byte
{
    Start,
    End,
    Identifier,
    Integer,
    Float,
    String,
    Symbol,
}

/// <summary>
/// One token. Offsets index the UTF-16 source text; <see cref="Line"/>, <see cref="Column"/> and
/// <see cref="EndColumn"/> are protoc's 0-based coordinates (columns count UTF-8 bytes, tabs jump
/// to the next multiple of 8).
/// </summary>
internal readonly record struct Token(TokenType Type, int Start, int End, int Line, int Column, int EndColumn);

/// <summary>
/// A port of protoc's <c>io::Tokenizer</c> (C++ comment style, no whitespace tokens), pulled one
/// token at a time so that comment attribution (<see cref="NextWithComments"/>) matches protoc's.
/// </summary>
internal sealed class ProtoTokenizer
{
    private const int TabWidth = 8;

    private readonly string _text;
    private readonly Action<int, int, string> _error;
    private int _pos;
    private char _cur;
    private bool _eof;
    private int _line;
    private int _column;

    // Token under construction.
    private int _tokStart;
    private int _tokLine;
    private int _tokColumn;

    // Recording of comment text.
    private StringBuilder? _record;
    private int _recordStart = -1;

    public ProtoTokenizer(string text, Action<int, int, string> error)
    {
        _text = text;
        _error = error;
        _pos = 0;
        _eof = text.Length == 0;
        _cur = _eof ? '\0' : text[0];
        Current = new Token(TokenType.Start, 0, 0, 0, 0, 0);
        Previous = Current;
    }

    public Token Current { get; private set; }

    public Token Previous { get; private set; }

    public string Source => _text;

    public ReadOnlySpan<char> CurrentText => _text.AsSpan(Current.Start, Current.End - Current.Start);

    public string TextOf(in Token token) => _text.Substring(token.Start, token.End - token.Start);

    // ---- characters -------------------------------------------------------------------------

    private void NextChar()
    {
        var c = _cur;
        if (c == '\n')
        {
            _line++;
            _column = 0;
        }
        else if (c == '\t')
        {
            _column += TabWidth - _column % TabWidth;
        }
        else if (c < 0x80)
        {
            _column++;
        }
        else if (c < 0x800)
        {
            _column += 2;
        }
        else if (char.IsSurrogate(c))
        {
            _column += 2; // a surrogate pair is 4 UTF-8 bytes, 2 per half
        }
        else
        {
            _column += 3;
        }

        _pos++;
        if (_pos < _text.Length)
        {
            _cur = _text[_pos];
        }
        else
        {
            _pos = _text.Length;
            _cur = '\0';
            _eof = true;
        }
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\n' or '\t' or '\r' or '\v' or '\f';

    private static bool IsWhitespaceNoNewline(char c) => c is ' ' or '\t' or '\r' or '\v' or '\f';

    private static bool IsUnprintable(char c) => c >= (char)1 && c < ' ';

    internal static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsOctalDigit(char c) => c is >= '0' and <= '7';

    internal static bool IsHexDigit(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    internal static bool IsLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';

    internal static bool IsAlphanumeric(char c) => IsLetter(c) || IsDigit(c);

    private static bool IsEscape(char c) => c is 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\' or '?' or '\'' or '"';

    private bool TryConsume(char c)
    {
        if (_cur == c && !_eof)
        {
            NextChar();
            return true;
        }

        return false;
    }

    private void AddError(string message) => _error(_line, _column, message);

    private void RecordTo(StringBuilder target)
    {
        _record = target;
        _recordStart = _pos;
    }

    private void StopRecording()
    {
        if (_record != null && _pos != _recordStart)
        {
            _record.Append(_text, _recordStart, _pos - _recordStart);
        }

        _record = null;
        _recordStart = -1;
    }

    // ---- tokens -----------------------------------------------------------------------------

    private void StartToken()
    {
        _tokStart = _pos;
        _tokLine = _line;
        _tokColumn = _column;
    }

    private void EndToken(TokenType type) => Current = new Token(type, _tokStart, _pos, _tokLine, _tokColumn, _column);

    private void ConsumeString(char delimiter)
    {
        while (true)
        {
            var c = _cur;
            if (c == '\0')
            {
                if (_eof)
                {
                    AddError("Unexpected end of string.");
                    return;
                }

                AddError("Unexpected end of string.");
                return;
            }

            if (c == '\n')
            {
                AddError("Multiline strings are not allowed. Did you miss a \"?.");
                return;
            }

            if (c == '\\')
            {
                NextChar();
                if (IsEscape(_cur))
                {
                    NextChar();
                }
                else if (IsOctalDigit(_cur))
                {
                    NextChar();
                }
                else if (TryConsume('x') || TryConsume('X'))
                {
                    if (IsHexDigit(_cur))
                    {
                        NextChar();
                    }
                    else
                    {
                        AddError("Expected hex digits for escape sequence.");
                    }
                }
                else if (TryConsume('u'))
                {
                    if (!(TryHex() && TryHex() && TryHex() && TryHex()))
                    {
                        AddError("Expected four hex digits for \\u escape sequence.");
                    }
                }
                else if (TryConsume('U'))
                {
                    if (!(TryConsume('0') && TryConsume('0') && (TryConsume('0') || TryConsume('1')) &&
                          TryHex() && TryHex() && TryHex() && TryHex() && TryHex()))
                    {
                        AddError("Expected eight hex digits up to 10ffff for \\U escape sequence");
                    }
                }
                else
                {
                    AddError("Invalid escape sequence in string literal.");
                }

                continue;
            }

            NextChar();
            if (c == delimiter)
            {
                return;
            }
        }
    }

    private bool TryHex()
    {
        if (IsHexDigit(_cur))
        {
            NextChar();
            return true;
        }

        return false;
    }

    private TokenType ConsumeNumber(bool startedWithZero, bool startedWithDot)
    {
        var isFloat = false;
        if (startedWithZero && (TryConsume('x') || TryConsume('X')))
        {
            if (!IsHexDigit(_cur))
            {
                AddError("\"0x\" must be followed by hex digits.");
            }

            while (IsHexDigit(_cur))
            {
                NextChar();
            }
        }
        else if (startedWithZero && IsDigit(_cur))
        {
            while (IsOctalDigit(_cur))
            {
                NextChar();
            }

            if (IsDigit(_cur))
            {
                AddError("Numbers starting with leading zero must be in octal.");
                while (IsDigit(_cur))
                {
                    NextChar();
                }
            }
        }
        else
        {
            if (startedWithDot)
            {
                isFloat = true;
                while (IsDigit(_cur))
                {
                    NextChar();
                }
            }
            else
            {
                while (IsDigit(_cur))
                {
                    NextChar();
                }

                if (TryConsume('.'))
                {
                    isFloat = true;
                    while (IsDigit(_cur))
                    {
                        NextChar();
                    }
                }
            }

            if (TryConsume('e') || TryConsume('E'))
            {
                isFloat = true;
                _ = TryConsume('-') || TryConsume('+');
                if (!IsDigit(_cur))
                {
                    AddError("\"e\" must be followed by exponent.");
                }

                while (IsDigit(_cur))
                {
                    NextChar();
                }
            }
        }

        if (IsLetter(_cur))
        {
            AddError("Need space between number and identifier.");
        }
        else if (_cur == '.')
        {
            AddError(isFloat ? "Already saw decimal point or exponent; can't have another one." : "Hex and octal numbers must be integers.");
        }

        return isFloat ? TokenType.Float : TokenType.Integer;
    }

    private void ConsumeLineComment(StringBuilder? content)
    {
        if (content != null)
        {
            RecordTo(content);
        }

        while (!_eof && _cur != '\n')
        {
            NextChar();
        }

        TryConsume('\n');
        if (content != null)
        {
            StopRecording();
        }
    }

    private void ConsumeBlockComment(StringBuilder? content)
    {
        var startLine = _line;
        var startColumn = _column - 2;
        if (content != null)
        {
            RecordTo(content);
        }

        while (true)
        {
            while (!_eof && _cur != '*' && _cur != '/' && _cur != '\n')
            {
                NextChar();
            }

            if (TryConsume('\n'))
            {
                if (content != null)
                {
                    StopRecording();
                }

                while (IsWhitespaceNoNewline(_cur))
                {
                    NextChar();
                }

                if (TryConsume('*'))
                {
                    if (TryConsume('/'))
                    {
                        break;
                    }
                }

                if (content != null)
                {
                    RecordTo(content);
                }
            }
            else if (TryConsume('*') && TryConsume('/'))
            {
                if (content != null)
                {
                    StopRecording();
                    content.Length -= 2;
                }

                break;
            }
            else if (TryConsume('/') && _cur == '*')
            {
                AddError("\"/*\" inside block comment.  Block comments cannot be nested.");
            }
            else if (_eof)
            {
                AddError("End-of-file inside block comment.");
                _error(startLine, startColumn, "  Comment started here.");
                if (content != null)
                {
                    StopRecording();
                }

                break;
            }
        }
    }

    private enum CommentStart
    {
        None,
        Line,
        Block,
        SlashNotComment,
    }

    private CommentStart TryConsumeCommentStart()
    {
        if (TryConsume('/'))
        {
            if (TryConsume('/'))
            {
                return CommentStart.Line;
            }

            if (TryConsume('*'))
            {
                return CommentStart.Block;
            }

            Current = new Token(TokenType.Symbol, _pos - 1, _pos, _line, _column - 1, _column);
            return CommentStart.SlashNotComment;
        }

        return CommentStart.None;
    }

    /// <summary>Reads the next token, skipping whitespace and comments.</summary>
    public bool Next()
    {
        Previous = Current;
        while (!_eof)
        {
            while (IsWhitespace(_cur) && !_eof)
            {
                NextChar();
            }

            switch (TryConsumeCommentStart())
            {
                case CommentStart.Line:
                    ConsumeLineComment(null);
                    continue;
                case CommentStart.Block:
                    ConsumeBlockComment(null);
                    continue;
                case CommentStart.SlashNotComment:
                    return true;
            }

            if (_eof)
            {
                break;
            }

            if (IsUnprintable(_cur) || _cur == '\0')
            {
                AddError("Invalid control characters encountered in text.");
                NextChar();
                while (!_eof && (IsUnprintable(_cur) || _cur == '\0'))
                {
                    NextChar();
                }

                continue;
            }

            StartToken();
            TokenType type;
            if (IsLetter(_cur))
            {
                NextChar();
                while (IsAlphanumeric(_cur))
                {
                    NextChar();
                }

                type = TokenType.Identifier;
            }
            else if (TryConsume('0'))
            {
                type = ConsumeNumber(true, false);
            }
            else if (TryConsume('.'))
            {
                if (IsDigit(_cur))
                {
                    NextChar();
                    if (Previous.Type == TokenType.Identifier && _tokLine == Previous.Line && _tokColumn == Previous.EndColumn)
                    {
                        _error(_line, _column - 2, "Need space between identifier and decimal point.");
                    }

                    type = ConsumeNumber(false, true);
                }
                else
                {
                    type = TokenType.Symbol;
                }
            }
            else if (IsDigit(_cur))
            {
                NextChar();
                type = ConsumeNumber(false, false);
            }
            else if (TryConsume('"'))
            {
                ConsumeString('"');
                type = TokenType.String;
            }
            else if (TryConsume('\''))
            {
                ConsumeString('\'');
                type = TokenType.String;
            }
            else
            {
                if (_cur >= 0x80)
                {
                    var b = Encoding.UTF8.GetBytes(_text, _pos, char.IsHighSurrogate(_cur) && _pos + 1 < _text.Length ? 2 : 1);
                    AddError($"Interpreting non ascii codepoint {b[0]}.");
                    if (char.IsHighSurrogate(_cur) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
                    {
                        NextChar();
                    }
                }

                NextChar();
                type = TokenType.Symbol;
            }

            EndToken(type);
            return true;
        }

        Current = new Token(TokenType.End, _pos, _pos, _line, _column, _column);
        return false;
    }

    /// <summary>
    /// Like <see cref="Next"/>, and also collects the comments around the token boundary the way
    /// protoc does: the previous token's trailing comment, detached comments, and the next
    /// token's leading comment.
    /// </summary>
    public bool NextWithComments(StringBuilder? prevTrailing, List<string>? detached, StringBuilder? nextLeading)
    {
        var collector = new CommentCollector(prevTrailing, detached, nextLeading);
        var prevLine = _line;
        var trailingCommentEndLine = -1;
        bool result;

        if (Current.Type == TokenType.Start)
        {
            if (_cur == '\uFEFF')
            {
                NextChar();

            }

            collector.DetachFromPrev();
            prevLine = -1;
        }
        else
        {
            while (IsWhitespaceNoNewline(_cur))
            {
                NextChar();
            }

            switch (TryConsumeCommentStart())
            {
                case CommentStart.Line:
                    trailingCommentEndLine = _line;
                    ConsumeLineComment(collector.GetBufferForLineComment());
                    collector.Flush();
                    break;
                case CommentStart.Block:
                    ConsumeBlockComment(collector.GetBufferForBlockComment());
                    trailingCommentEndLine = _line;
                    while (IsWhitespaceNoNewline(_cur))
                    {
                        NextChar();
                    }

                    collector.Flush();
                    break;
                case CommentStart.SlashNotComment:
                    collector.Finish();
                    return true;
                case CommentStart.None:
                    if (!TryConsume('\n'))
                    {
                        collector.Finish();
                        return Next();
                    }

                    break;
            }
        }

        while (true)
        {
            while (IsWhitespaceNoNewline(_cur))
            {
                NextChar();
            }

            switch (TryConsumeCommentStart())
            {
                case CommentStart.Line:
                    ConsumeLineComment(collector.GetBufferForLineComment());
                    break;
                case CommentStart.Block:
                    ConsumeBlockComment(collector.GetBufferForBlockComment());
                    while (IsWhitespaceNoNewline(_cur))
                    {
                        NextChar();
                    }

                    TryConsume('\n');
                    break;
                case CommentStart.SlashNotComment:
                    collector.Finish();
                    return true;
                case CommentStart.None:
                    if (TryConsume('\n'))
                    {
                        collector.Flush();
                        collector.DetachFromPrev();
                    }
                    else
                    {
                        result = Next();
                        if (!result || IsCloser())
                        {
                            collector.Flush();
                        }

                        if (result && (prevLine == _line || trailingCommentEndLine == _line))
                        {
                            collector.MaybeDetachComment();
                        }

                        collector.Finish();
                        return result;
                    }

                    break;
            }
        }
    }

    private bool IsCloser()
    {
        if (Current.End - Current.Start != 1)
        {
            return false;
        }

        var c = _text[Current.Start];
        return c is '}' or ']' or ')';
    }

    private sealed class CommentCollector(StringBuilder? prevTrailing, List<string>? detached, StringBuilder? nextLeading)
    {
        private readonly StringBuilder _buffer = new();
        private int _numComments;
        private bool _hasTrailingComment;
        private bool _hasComment;
        private bool _isLineComment;
        private bool _canAttachToPrev = true;

        /// <summary>Nobody takes the comments: they are skipped, not recorded.</summary>
        private bool Discards => prevTrailing == null && detached == null && nextLeading == null;

        public StringBuilder? GetBufferForLineComment()
        {
            if (_hasComment && !_isLineComment)
            {
                Flush();
            }

            _hasComment = true;
            _isLineComment = true;
            return Discards ? null : _buffer;
        }

        public StringBuilder? GetBufferForBlockComment()
        {
            if (_hasComment)
            {
                Flush();
            }

            _hasComment = true;
            _isLineComment = false;
            return Discards ? null : _buffer;
        }

        public void Flush()
        {
            if (!_hasComment)
            {
                return;
            }

            if (_canAttachToPrev)
            {
                prevTrailing?.Append(_buffer);
                _hasTrailingComment = true;
                _canAttachToPrev = false;
            }
            else
            {
                detached?.Add(_buffer.ToString());
            }

            _buffer.Clear();
            _hasComment = false;
            _numComments++;
        }

        public void DetachFromPrev() => _canAttachToPrev = false;

        public void MaybeDetachComment()
        {
            var count = _numComments;
            if (_hasComment)
            {
                count++;
            }

            if (count == 1)
            {
                if (_hasTrailingComment && prevTrailing != null)
                {
                    var trail = prevTrailing.ToString();
                    detached?.Insert(0, trail);
                    prevTrailing.Clear();
                }

                Flush();
            }
        }

        public void Finish()
        {
            if (nextLeading != null && _hasComment)
            {
                nextLeading.Clear();
                nextLeading.Append(_buffer);
            }
        }
    }

    // ---- literal decoding -------------------------------------------------------------------

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => 36,
    };

    /// <summary>protoc's <c>Tokenizer::ParseInteger</c>: decimal, octal (leading 0) or hex.</summary>
    public static bool ParseInteger(ReadOnlySpan<char> text, ulong maxValue, out ulong output)
    {
        output = 0;
        var i = 0;
        ulong b = 10;
        if (text.Length > 0 && text[0] == '0')
        {
            if (text.Length > 1 && (text[1] == 'x' || text[1] == 'X'))
            {
                b = 16;
                i = 2;
            }
            else
            {
                b = 8;
            }
        }

        ulong result = 0;
        for (; i < text.Length; i++)
        {
            var digit = (ulong)DigitValue(text[i]);
            if (digit >= b)
            {
                return false;
            }

            if (result > (ulong.MaxValue - digit) / b)
            {
                return false;
            }

            result = result * b + digit;
        }

        if (result > maxValue)
        {
            return false;
        }

        output = result;
        return true;
    }

    public static bool TryParseFloat(ReadOnlySpan<char> text, out double result)
    {
        // protoc accepts what its tokenizer produced, even "1e" (reported earlier as an error).
        var t = text;
        while (t.Length > 0 && (t[^1] is 'e' or 'E' or '+' or '-' or 'f' or 'F'))
        {
            t = t[..^1];
        }

        if (t.Length > 0 && t[0] == '.')
        {
            // ".5": double.Parse handles it
        }

        return double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out result);
    }

    /// <summary>protoc's <c>Tokenizer::ParseStringAppend</c>: decodes a quoted literal to bytes.</summary>
    public static void ParseStringAppend(ReadOnlySpan<char> text, List<byte> output)
    {
        if (text.Length == 0)
        {
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        var quote = text[0];
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                c = text[i];
                if (IsOctalDigit(c))
                {
                    var code = c - '0';
                    if (i + 1 < text.Length && IsOctalDigit(text[i + 1]))
                    {
                        i++;
                        code = code * 8 + (text[i] - '0');
                    }

                    if (i + 1 < text.Length && IsOctalDigit(text[i + 1]))
                    {
                        i++;
                        code = code * 8 + (text[i] - '0');
                    }

                    output.Add((byte)code);
                }
                else if (c is 'x' or 'X')
                {
                    var code = 0;
                    if (i + 1 < text.Length && IsHexDigit(text[i + 1]))
                    {
                        i++;
                        code = DigitValue(text[i]);
                    }

                    if (i + 1 < text.Length && IsHexDigit(text[i + 1]))
                    {
                        i++;
                        code = code * 16 + DigitValue(text[i]);
                    }

                    output.Add((byte)code);
                }
                else if (c is 'u' or 'U')
                {
                    var len = c == 'u' ? 4 : 8;
                    if (!ReadHex(text, i + 1, len, out var codePoint))
                    {
                        output.Add((byte)c);
                        continue;
                    }

                    var p = i + 1 + len;
                    if (codePoint is >= 0xD800 and < 0xDC00 && p + 1 < text.Length && text[p] == '\\' && text[p + 1] == 'u' &&
                        ReadHex(text, p + 2, 4, out var trail) && trail is >= 0xDC00 and < 0xE000)
                    {
                        codePoint = 0x10000 + (((codePoint - 0xD800) << 10) | (trail - 0xDC00));
                        p += 6;
                    }

                    AppendUtf8(codePoint, output);
                    i = p - 1;
                }
                else
                {
                    output.Add((byte)TranslateEscape(c));
                }
            }
            else if (c == quote && i == text.Length - 1)
            {
                // closing quote
            }
            else if (c < 0x80)
            {
                output.Add((byte)c);
            }
            else
            {
                var n = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                var written = Encoding.UTF8.GetBytes(text.Slice(i, n), utf8);
                for (var k = 0; k < written; k++)
                {
                    output.Add(utf8[k]);
                }

                i += n - 1;
            }
        }
    }

    private static bool ReadHex(ReadOnlySpan<char> text, int start, int len, out uint result)
    {
        result = 0;
        if (start + len > text.Length)
        {
            return false;
        }

        for (var k = 0; k < len; k++)
        {
            var c = text[start + k];
            var d = DigitValue(c);
            if (d >= 16)
            {
                // protoc reads whatever is there (validated by the tokenizer); be strict but safe.
                return false;
            }

            result = (result << 4) + (uint)d;
        }

        return true;
    }

    private static void AppendUtf8(uint cp, List<byte> output)
    {
        if (cp <= 0x7F)
        {
            output.Add((byte)cp);
        }
        else if (cp <= 0x7FF)
        {
            output.Add((byte)(0xC0 | (cp >> 6)));
            output.Add((byte)(0x80 | (cp & 0x3F)));
        }
        else if (cp <= 0xFFFF)
        {
            output.Add((byte)(0xE0 | (cp >> 12)));
            output.Add((byte)(0x80 | ((cp >> 6) & 0x3F)));
            output.Add((byte)(0x80 | (cp & 0x3F)));
        }
        else if (cp <= 0x10FFFF)
        {
            output.Add((byte)(0xF0 | (cp >> 18)));
            output.Add((byte)(0x80 | ((cp >> 12) & 0x3F)));
            output.Add((byte)(0x80 | ((cp >> 6) & 0x3F)));
            output.Add((byte)(0x80 | (cp & 0x3F)));
        }
        else
        {
            foreach (var ch in $"\\U{cp:x8}")
            {
                output.Add((byte)ch);
            }
        }
    }

    private static char TranslateEscape(char c) => c switch
    {
        'a' => '\a',
        'b' => '\b',
        'f' => '\f',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\v',
        '\\' => '\\',
        '?' => '?',
        '\'' => '\'',
        '"' => '"',
        _ => '?',
    };

    public static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !IsLetter(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!IsAlphanumeric(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
