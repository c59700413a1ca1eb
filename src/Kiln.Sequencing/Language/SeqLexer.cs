using System.Globalization;
using Kiln.Text;

namespace Kiln.Sequencing.Language;

public enum SeqTokenKind : byte
{
    EndOfFile,
    Identifier,
    /// <summary>A number, with its unit suffix if any (<c>10us</c>, <c>250MHz</c>, <c>0x0101</c>).</summary>
    Number,
    /// <summary><c>B0:TTL:3</c>.</summary>
    ChannelLiteral,
    /// <summary><c>hex"01 02 ff"</c>.</summary>
    HexString,
    OpenParen,
    CloseParen,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Semicolon,
    Equals,
    /// <summary><c>&gt;&gt;</c>: serial composition.</summary>
    Then,
    /// <summary><c>|</c>: parallel composition.</summary>
    Bar,
    Plus,
    /// <summary><c>++</c>: bytes concatenation.</summary>
    Concat,
    Minus,
    Star,
    Slash,
}

/// <summary>
/// One token. <see cref="Number"/> and <see cref="Unit"/> are set for numbers (the value is exact;
/// a hexadecimal literal has an empty unit), <see cref="Bytes"/> for hex strings.
/// </summary>
public readonly record struct SeqToken(SeqTokenKind Kind, TextSpan Span, string Text, decimal Number = 0, string Unit = "", byte[]? Bytes = null)
{
    public bool IsKeyword(string keyword) => Kind == SeqTokenKind.Identifier && Text == keyword;

    public string Describe() => Kind switch
    {
        SeqTokenKind.EndOfFile => "end of file",
        SeqTokenKind.Identifier => $"'{Text}'",
        SeqTokenKind.Number => $"number '{Text}'",
        SeqTokenKind.ChannelLiteral => $"channel '{Text}'",
        SeqTokenKind.HexString => "hex string",
        _ => $"'{Text}'",
    };
}

/// <summary>
/// The lexer of the sequence format: newlines are insignificant, comments run from <c>#</c> or
/// <c>//</c> to the end of the line, and a unit suffix is part of its number (<c>10us</c>, no
/// space). Never throws: a bad character is reported and skipped.
/// </summary>
public static class SeqLexer
{
    /// <summary>Unit suffixes a number may carry.</summary>
    public static readonly IReadOnlyList<string> Units = ["s", "ms", "us", "µs", "μs", "ns", "cycles", "cy", "Hz", "kHz", "MHz", "GHz"];

    public static List<SeqToken> Lex(SourceText source, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var text = source.Text;
        var tokens = new List<SeqToken>(text.Length / 4 + 1);
        var i = 0;
        while (true)
        {
            // Whitespace and comments.
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
                {
                    while (i < text.Length && text[i] != '\n' && text[i] != '\r')
                    {
                        i++;
                    }
                }
                else
                {
                    break;
                }
            }

            if (i >= text.Length)
            {
                tokens.Add(new SeqToken(SeqTokenKind.EndOfFile, new TextSpan(text.Length, 0), ""));
                return tokens;
            }

            var start = i;
            var ch = text[i];
            if (IsIdentifierStart(ch))
            {
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var word = text[start..i];
                if (word == "hex" && i < text.Length && text[i] == '"')
                {
                    tokens.Add(LexHex(source, start, ref i, diagnostics));
                    continue;
                }

                if (i < text.Length && text[i] == ':' && IsBoardPrefix(word))
                {
                    tokens.Add(LexChannel(source, start, ref i, diagnostics));
                    continue;
                }

                tokens.Add(new SeqToken(SeqTokenKind.Identifier, TextSpan.FromBounds(start, i), word));
                continue;
            }

            if (char.IsAsciiDigit(ch) || (ch == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(LexNumber(source, start, ref i, diagnostics));
                continue;
            }

            i++;
            var kind = ch switch
            {
                '(' => SeqTokenKind.OpenParen,
                ')' => SeqTokenKind.CloseParen,
                '{' => SeqTokenKind.OpenBrace,
                '}' => SeqTokenKind.CloseBrace,
                '[' => SeqTokenKind.OpenBracket,
                ']' => SeqTokenKind.CloseBracket,
                ',' => SeqTokenKind.Comma,
                ';' => SeqTokenKind.Semicolon,
                '=' => SeqTokenKind.Equals,
                '|' => SeqTokenKind.Bar,
                '-' => SeqTokenKind.Minus,
                '*' => SeqTokenKind.Star,
                '/' => SeqTokenKind.Slash,
                '+' when i < text.Length && text[i] == '+' => SeqTokenKind.Concat,
                '+' => SeqTokenKind.Plus,
                '>' when i < text.Length && text[i] == '>' => SeqTokenKind.Then,
                _ => SeqTokenKind.EndOfFile,
            };
            if (kind is SeqTokenKind.Concat or SeqTokenKind.Then)
            {
                i++;
            }

            if (kind == SeqTokenKind.EndOfFile)
            {
                // Report a surrogate pair as one character.
                if (char.IsHighSurrogate(ch) && i < text.Length && char.IsLowSurrogate(text[i]))
                {
                    i++;
                }

                diagnostics.Add(SeqLanguageDiagnostics.UnexpectedCharacter, source, start, Printable(text[start..i]));
                continue;
            }

            tokens.Add(new SeqToken(kind, TextSpan.FromBounds(start, i), text[start..i]));
        }
    }

    internal static string Printable(string s)
    {
        if (s.Length == 1 && (char.IsControl(s[0]) || char.IsSurrogate(s[0])))
        {
            return "U+" + ((int)s[0]).ToString("X4", CultureInfo.InvariantCulture);
        }

        return s;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsBoardPrefix(string word) =>
        word.Length >= 2 && word[0] is 'B' or 'b' && word.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static SeqToken LexChannel(SourceText source, int start, ref int i, DiagnosticBag diagnostics)
    {
        var text = source.Text;
        // B<digits> ':' <type> ':' <digits>, with i on the first ':'.
        while (i < text.Length && (IsIdentifierPart(text[i]) || text[i] == ':'))
        {
            i++;
        }

        var literal = text[start..i];
        var span = TextSpan.FromBounds(start, i);
        if (!TryParseChannel(literal, out _))
        {
            diagnostics.Add(SeqLanguageDiagnostics.BadChannelLiteral, source, start, literal);
        }

        return new SeqToken(SeqTokenKind.ChannelLiteral, span, literal);
    }

    /// <summary>Parses <c>B3:TTL:5</c> (type names in any case, or <c>T</c> and a number); false when malformed or out of range.</summary>
    public static bool TryParseChannel(string literal, out Channel channel)
    {
        channel = default;
        var parts = (literal ?? "").Split(':');
        if (parts.Length != 3 || parts[0].Length < 2 || parts[0][0] is not ('B' or 'b'))
        {
            return false;
        }

        if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var board)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var local))
        {
            return false;
        }

        int type;
        switch (parts[1].ToUpperInvariant())
        {
            case "TTL": type = (int)ChannelType.Ttl; break;
            case "RWG": type = (int)ChannelType.Rwg; break;
            case "SYNC": type = (int)ChannelType.Sync; break;
            case "OPAQUE": type = (int)ChannelType.Opaque; break;
            case var t when t.Length >= 2 && t[0] == 'T' && int.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                type = n;
                break;
            default: return false;
        }

        if ((uint)board > Channel.MaxBoard || (uint)type > Channel.MaxType || (uint)local > Channel.MaxLocal)
        {
            return false;
        }

        channel = Channel.Create(board, type, local);
        return true;
    }

    private static SeqToken LexNumber(SourceText source, int start, ref int i, DiagnosticBag diagnostics)
    {
        var text = source.Text;
        decimal value = 0;
        string? error = null;
        if (text[i] == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
        {
            i += 2;
            var digitsStart = i;
            while (i < text.Length && (char.IsAsciiHexDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var digits = text[digitsStart..i].Replace("_", "", StringComparison.Ordinal);
            if (digits.Length == 0)
            {
                error = "no hex digits after 0x";
            }
            else if (digits.TrimStart('0').Length > 16 || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                error = "too large";
            }
            else
            {
                value = hex;
            }
        }
        else
        {
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            if (i < text.Length && text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.'))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }

            // An exponent: e or E, an optional sign, digits (otherwise the 'e' starts a unit or a name).
            if (i < text.Length && text[i] is 'e' or 'E')
            {
                var j = i + 1;
                if (j < text.Length && text[j] is '+' or '-')
                {
                    j++;
                }

                if (j < text.Length && char.IsAsciiDigit(text[j]))
                {
                    i = j;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }
            }

            var number = text[start..i].Replace("_", "", StringComparison.Ordinal);
            if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                // decimal.TryParse fails on values beyond ±7.9e28 and gives 0 for tiny ones.
                error = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d != 0 ? "out of range" : "not a number";
            }
        }

        var unitStart = i;
        while (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] is 'µ' or 'μ'))
        {
            i++;
        }

        var unit = text[unitStart..i];
        if (unit.Length > 0 && !Units.Contains(unit))
        {
            // Keep identifier characters together so that the error is reported once.
            while (i < text.Length && IsIdentifierPart(text[i]))
            {
                i++;
            }

            error ??= $"unknown unit '{unit}' (units: s, ms, us, ns, cycles, Hz, kHz, MHz, GHz; no space before the unit)";
        }
        else if (i < text.Length && IsIdentifierPart(text[i]))
        {
            while (i < text.Length && IsIdentifierPart(text[i]))
            {
                i++;
            }

            error ??= "a number must not run into a name";
        }

        var literal = text[start..i];
        if (error is not null)
        {
            diagnostics.Add(SeqLanguageDiagnostics.BadNumber, source, start, literal, error);
            return new SeqToken(SeqTokenKind.Number, TextSpan.FromBounds(start, i), literal, 0, "!");
        }

        return new SeqToken(SeqTokenKind.Number, TextSpan.FromBounds(start, i), literal, value, unit is "µs" or "μs" ? "us" : unit);
    }

    private static SeqToken LexHex(SourceText source, int start, ref int i, DiagnosticBag diagnostics)
    {
        var text = source.Text;
        i++; // the opening quote
        var bytes = new List<byte>();
        int? pendingNibble = null;
        var ok = true;
        while (i < text.Length && text[i] != '"' && text[i] != '\n' && text[i] != '\r')
        {
            var c = text[i];
            if (char.IsAsciiHexDigit(c))
            {
                var nibble = Convert.ToByte(c.ToString(), 16);
                if (pendingNibble is { } high)
                {
                    bytes.Add((byte)((high << 4) | nibble));
                    pendingNibble = null;
                }
                else
                {
                    pendingNibble = nibble;
                }
            }
            else if (c is ' ' or '\t' or '_')
            {
                if (pendingNibble is not null && ok)
                {
                    diagnostics.Add(SeqLanguageDiagnostics.BadHexString, source, i, "a byte needs two hex digits");
                    ok = false;
                }
            }
            else if (ok)
            {
                diagnostics.Add(SeqLanguageDiagnostics.BadHexString, source, i, $"'{Printable(c.ToString())}' is not a hex digit");
                ok = false;
            }

            i++;
        }

        if (i >= text.Length || text[i] != '"')
        {
            if (ok)
            {
                diagnostics.Add(SeqLanguageDiagnostics.BadHexString, source, start, "missing closing '\"'");
            }

            ok = false;
        }
        else
        {
            i++;
        }

        if (pendingNibble is not null && ok)
        {
            diagnostics.Add(SeqLanguageDiagnostics.BadHexString, source, start, "an odd number of hex digits");
        }

        return new SeqToken(SeqTokenKind.HexString, TextSpan.FromBounds(start, i), text[start..i], Bytes: [.. bytes]);
    }
}
