using Kiln.Sequencing.Language;
using Kiln.Text;

namespace Kiln.Sequencing.Tests.Language;

public class SeqParserTests
{
    private static (SeqFileSyntax File, Diagnostic[] Diagnostics) Parse(string text)
    {
        var bag = new DiagnosticBag();
        var file = SeqParser.Parse(new SourceText("t.seq", text), bag);
        return (file, bag.ToArray());
    }

    [Fact]
    public void Statements_and_operator_precedence()
    {
        var (file, diagnostics) = Parse("clock 100MHz\nlet a = 1 + 2 * 3\nseq p(ch, t) = on(ch) >> wait(t) >> off(ch) | on(B0:TTL:1)\nmain = p(B0:TTL:0, 1us)\nscan zip(t = [1us, 2us])");
        Assert.Empty(diagnostics);
        Assert.Equal([StatementKind.Clock, StatementKind.Let, StatementKind.Seq, StatementKind.Main, StatementKind.Scan], file.Statements.Select(s => s.Kind));
        var seq = file.Statements[2];
        Assert.Equal(["ch", "t"], seq.Parameters!.Select(p => p.Name));
        // '|' binds looser than '>>': (on >> wait >> off) | on
        var bar = Assert.IsType<ChainSyntax>(seq.Value);
        Assert.Equal(SeqTokenKind.Bar, bar.Operator);
        var then = Assert.IsType<ChainSyntax>(bar.Operands[0]);
        Assert.Equal(SeqTokenKind.Then, then.Operator);
        Assert.Equal(3, then.Operands.Count); // one n-ary chain, not nested pairs
    }

    [Fact]
    public void Blocks_take_items_separated_by_newlines_commas_or_semicolons()
    {
        var (file, diagnostics) = Parse("main = serial {\n  a\n  b; c, parallel { d e }\n}");
        Assert.Empty(diagnostics);
        var block = Assert.IsType<BlockSyntax>(file.Statements[0].Value);
        Assert.Equal(4, block.Items.Count);
        Assert.Equal(2, Assert.IsType<BlockSyntax>(block.Items[3]).Items.Count);
    }

    [Fact]
    public void A_call_needs_the_parenthesis_right_after_the_name()
    {
        var (file, _) = Parse("main = serial { a (b) }");
        var block = Assert.IsType<BlockSyntax>(file.Statements[0].Value);
        Assert.Equal(2, block.Items.Count);
    }

    [Fact]
    public void Errors_recover_at_the_next_statement_and_report_positions()
    {
        var (file, diagnostics) = Parse("let = 3\nseq a = on(B0:TTL:0 >>\nmain = a\nbogus\nparam t = 1us");
        Assert.Equal(
            ["t.seq(1,5): error KSQ1101: expected a name after 'let', found '='",
             "t.seq(3,1): error KSQ1101: expected an expression, found 'main'",
             "t.seq(4,1): error KSQ1101: expected the end of the statement (an operator, or a new line starting with a keyword), found 'bogus'"],
            diagnostics.Select(d => d.ToMSBuildFormat()).Take(3));
        Assert.Contains(file.Statements, s => s.Kind == StatementKind.Main);
        Assert.Contains(file.Statements, s => s.Kind == StatementKind.Param);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var text = "main = " + new string('(', 100_000) + "wait(1us)" + new string(')', 100_000) + "\nlet x = 1";
        var (file, diagnostics) = Parse(text);
        Assert.Contains(diagnostics, d => d.Code == "KSQ1102");
        Assert.Contains(file.Statements, s => s.Kind == StatementKind.Let);
        var minus = "let y = " + new string('-', 100_000) + "1";
        Assert.Contains(Parse(minus).Diagnostics, d => d.Code == "KSQ1102");
    }

    [Fact]
    public void Long_chains_parse_without_recursion()
    {
        var text = "main = " + string.Join(" >> ", Enumerable.Repeat("wait(1us)", 50_000));
        var (file, diagnostics) = Parse(text);
        Assert.Empty(diagnostics);
        Assert.Equal(50_000, Assert.IsType<ChainSyntax>(file.Statements[0].Value).Operands.Count);
    }
}
