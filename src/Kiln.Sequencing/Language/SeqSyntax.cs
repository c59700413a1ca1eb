using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>An expression of the sequence format. The binder gives it a type (number, time, channel, bytes, list, sequence).</summary>
public abstract record ExprSyntax(TextSpan Span);

/// <summary>A number with an optional unit: <c>0.5</c>, <c>10us</c>, <c>250MHz</c>, <c>0x0101</c>.</summary>
public sealed record NumberSyntax(TextSpan Span, decimal Value, string Unit, string Text) : ExprSyntax(Span);

public sealed record ChannelSyntax(TextSpan Span, string Text) : ExprSyntax(Span);

public sealed record HexSyntax(TextSpan Span, byte[] Bytes) : ExprSyntax(Span);

public sealed record NameSyntax(TextSpan Span, string Name) : ExprSyntax(Span);

/// <summary>An argument, possibly named (<c>t = [1us, 2us]</c>, in scans).</summary>
public sealed record ArgumentSyntax(TextSpan Span, string? Name, TextSpan NameSpan, ExprSyntax Value);

public sealed record CallSyntax(TextSpan Span, string Name, TextSpan NameSpan, IReadOnlyList<ArgumentSyntax> Arguments) : ExprSyntax(Span);

/// <summary><c>serial { a b c }</c> or <c>parallel { a, b }</c>.</summary>
public sealed record BlockSyntax(TextSpan Span, string Name, TextSpan NameSpan, IReadOnlyList<ExprSyntax> Items) : ExprSyntax(Span);

public sealed record ListSyntax(TextSpan Span, IReadOnlyList<ExprSyntax> Items) : ExprSyntax(Span);

public sealed record NegateSyntax(TextSpan Span, ExprSyntax Operand) : ExprSyntax(Span);

/// <summary>
/// A chain of one operator: <c>a &gt;&gt; b &gt;&gt; c</c> (one n-ary serial node), <c>a | b</c>,
/// <c>a ++ b</c>; arithmetic (<c>+ - * /</c>) is left-associative with its operators kept per operand.
/// </summary>
public sealed record ChainSyntax(TextSpan Span, SeqTokenKind Operator, IReadOnlyList<ExprSyntax> Operands, IReadOnlyList<SeqTokenKind> Operators) : ExprSyntax(Span);

/// <summary>Stands for an expression that did not parse (already reported).</summary>
public sealed record MissingSyntax(TextSpan Span) : ExprSyntax(Span);

public enum StatementKind : byte
{
    Clock,
    Let,
    Param,
    Seq,
    Main,
    Scan,
}

/// <summary>
/// One statement: <c>clock E</c>, <c>let N = E</c>, <c>param N = E</c>, <c>seq N(a, b) = E</c>,
/// <c>main = E</c>, <c>scan E</c>.
/// </summary>
public sealed record StatementSyntax(
    TextSpan Span,
    StatementKind Kind,
    TextSpan KeywordSpan,
    string? Name,
    TextSpan NameSpan,
    IReadOnlyList<(string Name, TextSpan Span)>? Parameters,
    ExprSyntax Value);

public sealed record SeqFileSyntax(SourceText Source, IReadOnlyList<StatementSyntax> Statements);
