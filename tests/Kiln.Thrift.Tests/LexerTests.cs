using Kiln.Text;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Tests;

public class LexerTests
{
    private static List<Token> Lex(string text, out DiagnosticBag diagnostics)
    {
        diagnostics = new DiagnosticBag();
        var lexer = new Lexer(new SourceText("t.thrift", text), diagnostics);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.EndOfFile)
            {
                return tokens;
            }
        }
    }

    private static TokenKind[] Kinds(string text) => [.. Lex(text, out _).Select(token => token.Kind)];

    [Fact]
    public void All_three_comment_styles_are_skipped()
    {
        Assert.Equal([TokenKind.StructKeyword, TokenKind.Identifier, TokenKind.EndOfFile], Kinds("// line\n# hash\n/* block\n * more */ struct /**/ S /***/"));
    }

    [Fact]
    public void Doc_comments_attach_to_the_next_token()
    {
        var tokens = Lex("/** the doc */ struct S", out _);
        Assert.True(tokens[0].HasDoc);
        Assert.False(tokens[1].HasDoc);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("+7", 7L)]
    [InlineData("0x1F", 31L)]
    [InlineData("-0x10", -16L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_are_decimal_or_hex_with_a_sign(string text, long value)
    {
        var token = Lex(text, out var diagnostics)[0];
        Assert.Equal(TokenKind.IntegerLiteral, token.Kind);
        Assert.Equal(value, token.IntegerValue);
        Assert.Equal(0, diagnostics.Count);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-2.25", -2.25)]
    [InlineData("1e3", 1000.0)]
    [InlineData(".5", 0.5)]
    [InlineData("6.02E+23", 6.02e23)]
    public void Doubles_follow_thrifts_pattern(string text, double value)
    {
        var token = Lex(text, out _)[0];
        Assert.Equal(TokenKind.DoubleLiteral, token.Kind);
        Assert.Equal(value, token.DoubleValue);
    }

    [Fact]
    public void Too_big_integers_are_reported()
    {
        Lex("9223372036854775808 0xFFFFFFFFFFFFFFFF", out var diagnostics);
        Assert.Equal(["KTH0006", "KTH0006"], diagnostics.Items.Select(d => d.Code));
    }

    [Fact]
    public void Identifiers_may_contain_dots_and_keywords_are_recognised()
    {
        var tokens = Lex("shared.Thing i32 i32x struct.x e10", out _);
        Assert.Equal([TokenKind.Identifier, TokenKind.I32Keyword, TokenKind.Identifier, TokenKind.Identifier, TokenKind.Identifier, TokenKind.EndOfFile], tokens.Select(t => t.Kind));
        Assert.Equal(12, tokens[0].Length);
    }

    [Fact]
    public void String_literals_take_both_quotes_and_decode_escapes()
    {
        const string text = "\"a\\\"b\\n\" 'it\\'s'";
        var tokens = Lex(text, out var diagnostics);
        Assert.Equal(0, diagnostics.Count);
        Assert.Equal("a\"b\n", Lexer.DecodeString(text, tokens[0]));
        Assert.Equal("it's", Lexer.DecodeString(text, tokens[1]));
    }

    [Fact]
    public void Bad_escapes_and_unterminated_literals_are_reported()
    {
        Lex("\"a\\q\" \"open\n'eof", out var diagnostics);
        Assert.Equal(["KTH0004", "KTH0003", "KTH0002"], diagnostics.Items.Select(d => d.Code));
    }

    [Fact]
    public void True_and_false_are_integer_keywords()
    {
        var tokens = Lex("true false", out _);
        Assert.Equal((TokenKind.TrueKeyword, 1L), (tokens[0].Kind, tokens[0].IntegerValue));
        Assert.Equal((TokenKind.FalseKeyword, 0L), (tokens[1].Kind, tokens[1].IntegerValue));
    }

    [Fact]
    public void Unexpected_characters_are_reported_and_skipped()
    {
        var tokens = Lex("struct $ S", out var diagnostics);
        Assert.Equal([TokenKind.StructKeyword, TokenKind.Identifier, TokenKind.EndOfFile], tokens.Select(t => t.Kind));
        Assert.Equal("t.thrift(1,8): error KTH0001: Unexpected character '$'.", diagnostics.Items.Single().ToString());
    }

    [Fact]
    public void An_unterminated_block_comment_is_reported()
    {
        Lex("struct /* open", out var diagnostics);
        Assert.Equal("KTH0005", diagnostics.Items.Single().Code);
    }
}
