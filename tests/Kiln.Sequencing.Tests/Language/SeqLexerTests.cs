using Kiln.Sequencing.Language;
using Kiln.Text;

namespace Kiln.Sequencing.Tests.Language;

public class SeqLexerTests
{
    private static (List<SeqToken> Tokens, DiagnosticBag Diagnostics) Lex(string text)
    {
        var bag = new DiagnosticBag();
        return (SeqLexer.Lex(new SourceText("t.seq", text), bag), bag);
    }

    [Fact]
    public void Numbers_keep_their_unit_and_exact_value()
    {
        var (tokens, bag) = Lex("10us 1.5ms 250MHz 0x0101 4e-9s 7 1_000cycles 3µs");
        Assert.Equal(0, bag.Count);
        var numbers = tokens.Where(t => t.Kind == SeqTokenKind.Number).Select(t => (t.Number, t.Unit)).ToArray();
        Assert.Equal([(10m, "us"), (1.5m, "ms"), (250m, "MHz"), (257m, ""), (4e-9m, "s"), (7m, ""), (1000m, "cycles"), (3m, "us")], numbers);
    }

    [Fact]
    public void Channels_hex_strings_operators_and_comments()
    {
        var (tokens, bag) = Lex("B0:TTL:3 b12:rwg:1 hex\"01 02 ff\" >> | ++ + # comment\n// another\n=");
        Assert.Equal(0, bag.Count);
        Assert.Equal(
            [SeqTokenKind.ChannelLiteral, SeqTokenKind.ChannelLiteral, SeqTokenKind.HexString, SeqTokenKind.Then, SeqTokenKind.Bar, SeqTokenKind.Concat, SeqTokenKind.Plus, SeqTokenKind.Equals, SeqTokenKind.EndOfFile],
            tokens.Select(t => t.Kind));
        Assert.Equal(new byte[] { 1, 2, 0xFF }, tokens[2].Bytes);
        Assert.True(SeqLexer.TryParseChannel("b12:rwg:1", out var c));
        Assert.Equal(Channel.Rwg(12, 1), c);
    }

    [Theory]
    [InlineData("10 us", 0)] // no error from the lexer: 'us' is a name the parser rejects
    [InlineData("10xs", 1)]
    [InlineData("B0:FOO:1", 1)]
    [InlineData("B70000:TTL:1", 1)]
    [InlineData("hex\"0g\"", 1)]
    [InlineData("hex\"012\"", 1)]
    [InlineData("hex\"01", 1)]
    [InlineData("a $ b", 1)]
    [InlineData("0x", 1)]
    [InlineData("0x1_0000_0000_0000_0000", 1)]
    public void Bad_tokens_are_reported_once(string text, int errors)
    {
        var (_, bag) = Lex(text);
        Assert.Equal(errors, bag.Count);
    }
}
