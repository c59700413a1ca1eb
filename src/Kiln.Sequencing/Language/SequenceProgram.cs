using System.Globalization;
using Kiln.Sequencing.Output;
using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>A <c>param</c> of a sequence file: its arena parameter and what kind of value it holds.</summary>
/// <param name="IsTime">A time parameter's value is in clock cycles (<see cref="TimeUnit.Cycles"/>); otherwise a plain number.</param>
public sealed record ProgramParameter(string Name, Parameter Parameter, bool IsTime, TextSpan Span)
{
    /// <summary>A value of this parameter as the format writes it (<c>4us</c>, <c>0.25</c>).</summary>
    public string Format(double value) =>
        IsTime ? TimeText.FormatCycles((decimal)value, Parameter.Arena.Clock.Hz, digits: 9) : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One assignment of a scan point, with the source of the value.</summary>
public sealed record ScanAssignment(ProgramParameter Parameter, double Value, TextSpan Span);

/// <summary>
/// A bound sequence file: the arena with every node the file describes, its <c>main</c> sequence,
/// parameters and scan, the diagnostics, and the map from node ids back to source spans (so that
/// errors the compiler reports by node id, and events in outputs, point at the file).
/// Made by <see cref="SequenceLanguage.Bind"/>; pure (no IO).
/// </summary>
public sealed class SequenceProgram
{
    private readonly Dictionary<int, TextSpan> _spans;

    internal SequenceProgram(
        SourceText source,
        SequenceArena arena,
        SeqNode? main,
        IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlyList<ProgramParameter> parameters,
        IReadOnlyList<IReadOnlyList<ScanAssignment>>? scanPoints,
        IReadOnlyDictionary<Channel, string> channelNames,
        Dictionary<int, TextSpan> spans)
    {
        Source = source;
        Arena = arena;
        Main = main;
        Diagnostics = diagnostics;
        Parameters = parameters;
        ScanPoints = scanPoints;
        ChannelNames = channelNames;
        _spans = spans;
    }

    public SourceText Source { get; }

    public SequenceArena Arena { get; }

    /// <summary>The root (<c>main = ...</c>); null when it is missing or did not bind.</summary>
    public SeqNode? Main { get; }

    /// <summary>Every diagnostic, in source order where possible.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IReadOnlyList<ProgramParameter> Parameters { get; }

    /// <summary>The points of the file's <c>scan</c> (null when it has none).</summary>
    public IReadOnlyList<IReadOnlyList<ScanAssignment>>? ScanPoints { get; }

    /// <summary>Names given to channels by <c>let name = B0:TTL:3</c> (the first name of each channel).</summary>
    public IReadOnlyDictionary<Channel, string> ChannelNames { get; }

    /// <summary>The scan as the compiler takes it (one <see cref="ScanPoint"/> per point).</summary>
    public Scan? Scan => ScanPoints is null ? null : Scan.List(ScanPoints.Select(ToScanPoint));

    public static ScanPoint ToScanPoint(IReadOnlyList<ScanAssignment> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return new ScanPoint([.. point.Select(a => new KeyValuePair<Parameter, double>(a.Parameter.Parameter, a.Value))]);
    }

    /// <summary>A point as <c>t=4us, amp=0.2</c>.</summary>
    public static string Describe(IReadOnlyList<ScanAssignment> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return string.Join(", ", point.Select(a => a.Parameter.Name + "=" + a.Parameter.Format(a.Value)));
    }

    /// <summary>The span of the expression that made node <paramref name="node"/>, if the file made it.</summary>
    public TextSpan? SpanOf(int node) => _spans.TryGetValue(node, out var span) ? span : null;

    /// <summary><c>path(line,col)</c> of a node, for outputs and tooltips.</summary>
    public string? LocationOf(int node)
    {
        if (SpanOf(node) is not { } span)
        {
            return null;
        }

        var p = Source.GetLinePosition(span.Start);
        return string.Create(CultureInfo.InvariantCulture, $"{Source.Path}({p.Line},{p.Column})");
    }

    /// <summary>
    /// Turns a compiler error into a diagnostic at the source of the node at fault. For a channel
    /// conflict (KSQ0001) the position is the parallel composition and the message names the
    /// channel and the two operands with their positions.
    /// </summary>
    public Diagnostic ToDiagnostic(SequenceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var nodes = exception.Nodes;
        if (exception.Code == SequenceDiagnostics.ChannelConflict.Code && nodes.Count >= 3)
        {
            var channel = exception.Channel is { } c ? Describe(c) : "a channel";
            var message = $"parallel operands must use disjoint channels: {channel} is used by both {Operand(nodes[1])} and {Operand(nodes[2])}";
            return At(exception.Code, message, nodes[0]);
        }

        var detail = MessageOf(exception);
        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            if (SpanOf(nodes[i]) is not null)
            {
                return At(exception.Code, detail, nodes[i]);
            }
        }

        return Main is { } main && SpanOf(main.Id) is not null
            ? At(exception.Code, detail, main.Id)
            : new Diagnostic(DiagnosticSeverity.Error, exception.Code, detail, Source.Path, 0, 0);
    }

    /// <summary>The compiler's message, with node ids (which mean nothing in a file) left out where the position says it.</summary>
    internal static string MessageOf(SequenceException exception) => exception.Code switch
    {
        "KSQ0002" => "the duration of this composition overflows 2^64-1 clock cycles",
        "KSQ0007" => "this sequence has 2^31-1 or more events, more than one compiled sequence can hold",
        _ => exception.Detail,
    };

    /// <summary><c>B0:TTL:3 (cool)</c>.</summary>
    public string Describe(Channel channel) => ChannelNames.TryGetValue(channel, out var name) ? $"{channel} ({name})" : channel.ToString();

    private Diagnostic At(string code, string message, int node)
    {
        var span = SpanOf(node) ?? default;
        var p = Source.GetLinePosition(Math.Min(span.Start, Source.Length));
        return new Diagnostic(DiagnosticSeverity.Error, code, message, Source.Path, p.Line, p.Column);
    }

    private string Operand(int node)
    {
        if (SpanOf(node) is not { } span)
        {
            return "node " + node.ToString(CultureInfo.InvariantCulture);
        }

        var text = Source.Text.Substring(span.Start, span.Length).ReplaceLineEndings(" ");
        if (text.Length > 40)
        {
            text = string.Concat(text.AsSpan(0, 37), "...");
        }

        var p = Source.GetLinePosition(span.Start);
        return string.Create(CultureInfo.InvariantCulture, $"'{text}' ({p.Line},{p.Column})");
    }
}

/// <summary>The entry point of the sequence format: text in, <see cref="SequenceProgram"/> out.</summary>
public static class SequenceLanguage
{
    /// <summary>Lexes, parses and binds <paramref name="source"/>. Never throws on any input.</summary>
    public static SequenceProgram Bind(SourceText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var diagnostics = new DiagnosticBag();
        var syntax = SeqParser.Parse(source, diagnostics);
        return SeqBinder.Bind(syntax, diagnostics);
    }

    /// <summary>Same, for a text and the path to report it under.</summary>
    public static SequenceProgram Bind(string path, string text) => Bind(new SourceText(path, text));
}
