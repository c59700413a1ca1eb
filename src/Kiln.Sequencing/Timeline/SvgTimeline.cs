using System.Globalization;
using System.Text;
using Kiln.Sequencing.Output;

namespace Kiln.Sequencing.Timeline;

/// <summary>What <see cref="SvgTimeline.Render"/> shows and how.</summary>
public sealed record SvgTimelineOptions
{
    /// <summary>First cycle shown (default 0).</summary>
    public ulong? From { get; init; }

    /// <summary>Last cycle shown (default: the end of the sequence or of its last operation, whichever is later).</summary>
    public ulong? To { get; init; }

    /// <summary>
    /// When set, every stretch longer than this many cycles in which no event starts and no
    /// operation runs, on any channel, is drawn as a fixed-width break labelled with its length.
    /// </summary>
    public ulong? CompressGapsLongerThan { get; init; }

    /// <summary>Width of the picture in pixels (at least 400).</summary>
    public double Width { get; init; } = 1200;

    public string? Title { get; init; }

    /// <summary>A name shown beside a channel (<c>cool</c>), or null.</summary>
    public Func<Channel, string?>? ChannelName { get; init; }

    /// <summary>Where an atomic node comes from (<c>file(line,col)</c>), shown in tooltips.</summary>
    public Func<int, string?>? SourceOf { get; init; }

    /// <summary>
    /// The level an event sets on its channel (true high, false low, null no change); levels are
    /// drawn as bands. For the sequence format's TTL atomics pass <c>SeqOpcodes.TtlLevel</c>.
    /// </summary>
    public Func<SequenceEvent, bool?>? Level { get; init; }
}

/// <summary>
/// Draws a compiled sequence as an SVG timeline: one row per channel, grouped by board under a
/// board header; a time axis with SI units; each event a mark at its time, each operation's
/// duration a bar to scale, levels (TTL high) as bands; an optional time range and compressed idle
/// gaps. Marks closer than a pixel on one row are merged (the tooltip counts them), so the picture
/// stays small for any number of events while short pulses never vanish. Pure: sequence in, text out.
/// </summary>
public static class SvgTimeline
{
    private const double LabelWidth = 190;
    private const double RightMargin = 24;
    private const double TitleHeight = 26;
    private const double AxisHeight = 34;
    private const double BoardHeight = 22;
    private const double RowHeight = 22;
    private const double BreakWidth = 26;

    private readonly record struct Segment(double Start, double End, bool Compressed, double X);

    public static string Render(CompiledSequence sequence, SvgTimelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        options ??= new SvgTimelineOptions();
        var hz = sequence.Arena.Clock.Hz;
        var width = Math.Max(400, double.IsFinite(options.Width) ? options.Width : 1200);
        var plotLeft = LabelWidth;
        var plotWidth = width - plotLeft - RightMargin;

        // Range.
        ulong end = sequence.Duration;
        for (var i = 0; i < sequence.Count; i++)
        {
            var e = sequence.Records[i];
            end = Math.Max(end, SaturatingAdd(e.Time, sequence.Arena.DurationOf(e.Node)));
        }

        var from = Math.Min(options.From ?? 0, end);
        var to = options.To ?? end;
        if (to <= from)
        {
            to = from + 1;
        }

        // Channels, by board.
        var channels = new SortedSet<uint>();
        for (var i = 0; i < sequence.Count; i++)
        {
            channels.Add(sequence.ChannelAt(i).Value);
        }

        var rowOf = new Dictionary<uint, int>();
        foreach (var c in channels)
        {
            rowOf[c] = rowOf.Count;
        }

        var segments = Segments(sequence, from, to, options.CompressGapsLongerThan, plotWidth, out var scale);
        double X(double t)
        {
            var lo = 0;
            var hi = segments.Count - 1;
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (segments[mid].Start <= t)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            var s = segments[lo];
            var offset = s.Compressed ? BreakWidth * Math.Clamp((t - s.Start) / Math.Max(1, s.End - s.Start), 0, 1) : Math.Max(0, t - s.Start) * scale;
            return plotLeft + s.X + offset;
        }

        var boards = channels.Select(c => (int)(c >> Channel.BoardShift)).Distinct().ToList();
        var rowsTop = TitleHeight + AxisHeight;
        var height = rowsTop + (boards.Count * BoardHeight) + (channels.Count * RowHeight) + 16 + (channels.Count == 0 ? RowHeight : 0);
        var svg = new StringBuilder(4096 + (channels.Count * 512));
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append("<style>.axis{stroke:#444}.grid{stroke:#ddd}.tick{fill:#333;font-size:10px}.board-label{font-weight:bold}.row-bg{fill:#f7f7f7}")
            .Append(".row-label{fill:#222}.row-name{fill:#777}.ev{stroke:#c0392b;stroke-width:1.5}.bar{fill:#2e86c1;fill-opacity:.55;stroke:#1b4f72;stroke-width:.5}")
            .Append(".high{fill:#27ae60;fill-opacity:.35}.gap{fill:#fff;stroke:#999;stroke-dasharray:3 2}.gap-label{fill:#777;font-size:9px}</style>\n");
        var title = options.Title ?? "sequence";
        svg.Append(Inv($"<text x=\"8\" y=\"17\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>"));
        svg.Append(Inv($"<text x=\"{width - RightMargin:0.#}\" y=\"17\" text-anchor=\"end\" class=\"tick\">{Escape(Inv($"{sequence.Count} events, {channels.Count} channels, {TimeText.FormatCycles(sequence.Duration, hz, 6, "µs", " ")} long; showing {TimeText.FormatCycles(from, hz, 6, "µs", " ")} to {TimeText.FormatCycles(to, hz, 6, "µs", " ")} at {hz} Hz"))}</text>\n"));

        // Axis and grid.
        var axisY = TitleHeight + AxisHeight - 6;
        var bottom = height - 12;
        svg.Append(Inv($"<g class=\"time-axis\"><line class=\"axis\" x1=\"{plotLeft:0.##}\" y1=\"{axisY:0.##}\" x2=\"{plotLeft + plotWidth:0.##}\" y2=\"{axisY:0.##}\"/>\n"));
        AppendTicks(svg, segments, scale, hz, X, axisY, bottom);
        svg.Append("</g>\n");

        // Rows.
        var y = rowsTop;
        if (channels.Count == 0)
        {
            svg.Append(Inv($"<text x=\"{plotLeft:0.##}\" y=\"{y + 15:0.##}\" class=\"row-name\">no events</text>\n"));
        }

        var perChannel = new Dictionary<uint, List<int>>();
        for (var i = 0; i < sequence.Count; i++)
        {
            var c = sequence.ChannelAt(i).Value;
            if (!perChannel.TryGetValue(c, out var list))
            {
                perChannel[c] = list = [];
            }

            list.Add(i);
        }

        var rowIndex = 0;
        foreach (var board in boards)
        {
            svg.Append(Inv($"<g class=\"board\" data-board=\"{board}\">\n"));
            svg.Append(Inv($"<text class=\"board-label\" x=\"8\" y=\"{y + 15:0.##}\">board {board}</text>"));
            svg.Append(Inv($"<line class=\"grid\" x1=\"8\" y1=\"{y + BoardHeight - 2:0.##}\" x2=\"{plotLeft + plotWidth:0.##}\" y2=\"{y + BoardHeight - 2:0.##}\"/>\n"));
            y += BoardHeight;
            foreach (var c in channels.Where(c => (int)(c >> Channel.BoardShift) == board))
            {
                var channel = new Channel(c);
                svg.Append(Inv($"<g class=\"row\" data-channel=\"{channel}\">"));
                if (rowIndex++ % 2 == 0)
                {
                    svg.Append(Inv($"<rect class=\"row-bg\" x=\"{plotLeft:0.##}\" y=\"{y:0.##}\" width=\"{plotWidth:0.##}\" height=\"{RowHeight:0.##}\"/>"));
                }

                svg.Append(Inv($"<text class=\"row-label\" x=\"18\" y=\"{y + 15:0.##}\">{channel}</text>"));
                if (options.ChannelName?.Invoke(channel) is { } name)
                {
                    svg.Append(Inv($"<text class=\"row-name\" x=\"{plotLeft - 6:0.##}\" y=\"{y + 15:0.##}\" text-anchor=\"end\">{Escape(name)}</text>"));
                }

                AppendRow(svg, sequence, perChannel[c], options, from, to, X, y, hz);
                svg.Append("</g>\n");
                y += RowHeight;
            }

            svg.Append("</g>\n");
        }

        // Breaks over everything; a label only where it does not run into the previous one (the tooltip always has it).
        var lastGapLabel = double.NegativeInfinity;
        foreach (var s in segments.Where(s => s.Compressed))
        {
            var x = plotLeft + s.X;
            svg.Append(Inv($"<g class=\"break\"><rect class=\"gap\" x=\"{x + 3:0.##}\" y=\"{axisY - 10:0.##}\" width=\"{BreakWidth - 6:0.##}\" height=\"{bottom - axisY + 10:0.##}\"/>"));
            var length = TimeText.FormatCycles((decimal)(s.End - s.Start), hz, 3, "µs", " ");
            if (x - lastGapLabel >= 44)
            {
                lastGapLabel = x;
                svg.Append(Inv($"<text class=\"gap-label\" x=\"{x + (BreakWidth / 2):0.##}\" y=\"{axisY - 20:0.##}\" text-anchor=\"middle\">{Escape(length)}</text>"));
            }

            svg.Append(Inv($"<title>{Escape($"idle {length} compressed ({TimeText.FormatCycles((decimal)s.Start, hz, 6, "µs", " ")} to {TimeText.FormatCycles((decimal)s.End, hz, 6, "µs", " ")})")}</title></g>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    /// <summary>
    /// Splits [from, to] into drawn stretches and compressed idle gaps. A gap is a stretch longer
    /// than the threshold where no event starts and no operation runs on any channel.
    /// </summary>
    private static List<Segment> Segments(CompiledSequence sequence, ulong from, ulong to, ulong? threshold, double plotWidth, out double scale)
    {
        var gaps = new List<(double Start, double End)>();
        if (threshold is { } limit && sequence.Count > 0)
        {
            var cursor = (double)from;
            var any = false;
            for (var i = 0; i < sequence.Count; i++)
            {
                var r = sequence.Records[i];
                double s = r.Time;
                var e = s + sequence.Arena.DurationOf(r.Node);
                if (e < from || s > to)
                {
                    continue;
                }

                s = Math.Max(s, from);
                e = Math.Min(e, to);
                if (s - cursor > limit)
                {
                    gaps.Add((cursor, s));
                }

                cursor = Math.Max(cursor, e);
                any = true;
            }

            if (any && to - cursor > limit)
            {
                gaps.Add((cursor, to));
            }
        }

        var breakWidth = gaps.Count == 0 ? 0 : Math.Min(BreakWidth, plotWidth * 0.5 / gaps.Count);
        var linear = to - (double)from - gaps.Sum(g => g.End - g.Start);
        scale = (plotWidth - (gaps.Count * breakWidth)) / Math.Max(linear, 1e-9);
        if (linear <= 0)
        {
            scale = 0;
        }

        var segments = new List<Segment>(gaps.Count * 2 + 1);
        double x = 0;
        double t = from;
        foreach (var (gs, ge) in gaps)
        {
            if (gs > t)
            {
                segments.Add(new Segment(t, gs, false, x));
                x += (gs - t) * scale;
            }

            segments.Add(new Segment(gs, ge, true, x));
            x += breakWidth;
            t = ge;
        }

        if (to > t || segments.Count == 0)
        {
            segments.Add(new Segment(t, to, false, x));
        }

        return segments;
    }

    private static void AppendTicks(StringBuilder svg, List<Segment> segments, double scale, ulong hz, Func<double, double> x, double axisY, double bottom)
    {
        if (scale <= 0)
        {
            return;
        }

        // A step of 1, 2 or 5 times a power of ten seconds, about 90 pixels apart.
        var target = 90 / scale / hz;
        var exponent = (int)Math.Floor(Math.Log10(target));
        exponent = Math.Clamp(exponent, -15, 12);
        var power = exponent >= 0 ? Pow10(exponent) : 1m / Pow10(-exponent);
        var step = power;
        foreach (var m in new[] { 1m, 2m, 5m, 10m })
        {
            step = m * power;
            if ((double)step >= target)
            {
                break;
            }
        }

        var stepCycles = (double)step * hz;
        var breaks = segments.Where(s => s.Compressed).Select(s => x(s.Start)).ToArray();
        var lastLabel = double.NegativeInfinity;
        var ticks = 0;
        foreach (var s in segments.Where(s => !s.Compressed))
        {
            var k = Math.Ceiling(s.Start / stepCycles);
            for (; k * stepCycles <= s.End && ticks < 2000; k++)
            {
                var px = x(k * stepCycles);
                if (px - lastLabel < 48 || breaks.Any(b => px > b - 24 && px < b + BreakWidth + 24))
                {
                    continue;
                }

                lastLabel = px;
                ticks++;
                var label = TimeText.Format((decimal)k * step, 6, "µs", " ");
                svg.Append(Inv($"<line class=\"grid\" x1=\"{px:0.##}\" y1=\"{axisY:0.##}\" x2=\"{px:0.##}\" y2=\"{bottom:0.##}\"/>"));
                svg.Append(Inv($"<line class=\"axis\" x1=\"{px:0.##}\" y1=\"{axisY - 4:0.##}\" x2=\"{px:0.##}\" y2=\"{axisY + 2:0.##}\"/>"));
                svg.Append(Inv($"<text class=\"tick\" x=\"{px:0.##}\" y=\"{axisY - 7:0.##}\" text-anchor=\"middle\">{Escape(label)}</text>\n"));
            }
        }
    }

    private static decimal Pow10(int n)
    {
        var r = 1m;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }

    private static void AppendRow(StringBuilder svg, CompiledSequence sequence, List<int> events, SvgTimelineOptions options, ulong from, ulong to, Func<double, double> x, double y, ulong hz)
    {
        var arena = sequence.Arena;

        // Levels (TTL high) as bands.
        if (options.Level is { } level)
        {
            double? highSince = null;
            foreach (var i in events)
            {
                var e = sequence[i];
                switch (level(e))
                {
                    case true when highSince is null:
                        highSince = e.Time;
                        break;
                    case false when highSince is { } since:
                        Band(since, e.Time);
                        highSince = null;
                        break;
                }
            }

            if (highSince is { } open)
            {
                Band(open, to);
            }

            void Band(double start, double stop)
            {
                start = Math.Max(start, from);
                stop = Math.Min(stop, to);
                if (stop <= start)
                {
                    return;
                }

                var x1 = x(start);
                var x2 = x(stop);
                svg.Append(Inv($"<rect class=\"high\" x=\"{x1:0.##}\" y=\"{y + 4:0.##}\" width=\"{Math.Max(0.5, x2 - x1):0.##}\" height=\"{RowHeight - 8:0.##}\"/>"));
            }
        }

        // Durations as bars, merged where they touch within half a pixel.
        double barStart = 0, barEnd = double.NegativeInfinity;
        var barCount = 0;
        var barFirst = -1;
        foreach (var i in events)
        {
            var r = sequence.Records[i];
            var d = arena.DurationOf(r.Node);
            if (d == 0 || r.Time > to || r.Time + (double)d < from)
            {
                continue;
            }

            var x1 = x(Math.Max(r.Time, (double)from));
            var x2 = x(Math.Min(r.Time + (double)d, to));
            if (barCount > 0 && x1 <= barEnd + 0.5)
            {
                barEnd = Math.Max(barEnd, x2);
                barCount++;
                continue;
            }

            FlushBar();
            barStart = x1;
            barEnd = x2;
            barCount = 1;
            barFirst = i;
        }

        FlushBar();

        // Events as marks, merged within a pixel.
        double markX = double.NegativeInfinity;
        var markCount = 0;
        var markFirst = -1;
        var markLast = -1;
        foreach (var i in events)
        {
            var t = sequence.Records[i].Time;
            if (t < from || t > to)
            {
                continue;
            }

            var px = x(t);
            if (markCount > 0 && px - markX < 1)
            {
                markCount++;
                markLast = i;
                continue;
            }

            FlushMark();
            markX = px;
            markCount = 1;
            markFirst = markLast = i;
        }

        FlushMark();

        void FlushBar()
        {
            if (barCount == 0)
            {
                return;
            }

            var tip = barCount == 1 ? Describe(sequence, barFirst, options, hz) : Inv($"{barCount} operations");
            svg.Append(Inv($"<rect class=\"bar\" x=\"{barStart:0.##}\" y=\"{y + 6:0.##}\" width=\"{Math.Max(1, barEnd - barStart):0.##}\" height=\"{RowHeight - 12:0.##}\"><title>{Escape(tip)}</title></rect>"));
            barCount = 0;
        }

        void FlushMark()
        {
            if (markCount == 0)
            {
                return;
            }

            var tip = markCount == 1
                ? Describe(sequence, markFirst, options, hz)
                : Inv($"{markCount} events from {TimeText.FormatCycles(sequence.Records[markFirst].Time, hz, 6, "µs", " ")} to {TimeText.FormatCycles(sequence.Records[markLast].Time, hz, 6, "µs", " ")}");
            svg.Append(Inv($"<line class=\"ev\" x1=\"{markX:0.##}\" y1=\"{y + 2:0.##}\" x2=\"{markX:0.##}\" y2=\"{y + RowHeight - 2:0.##}\"><title>{Escape(tip)}</title></line>"));
            markCount = 0;
        }
    }

    private static string Describe(CompiledSequence sequence, int index, SvgTimelineOptions options, ulong hz)
    {
        var e = sequence[index];
        var text = new StringBuilder();
        text.Append(Inv($"t = {TimeText.FormatCycles(e.Time, hz, 6, "µs", " ")} ({e.Time} cycles), {e.Channel}"));
        if (options.ChannelName?.Invoke(e.Channel) is { } name)
        {
            text.Append(" (").Append(name).Append(')');
        }

        text.Append(Inv($", opcode 0x{e.Opcode:X4}"));
        if (!e.Payload.IsEmpty)
        {
            var payload = e.Payload.Length > 32 ? Convert.ToHexString(e.Payload.Span[..32]) + "..." : Convert.ToHexString(e.Payload.Span);
            text.Append(", payload ").Append(payload);
        }

        var d = sequence.Arena.DurationOf(e.Node);
        if (d > 0)
        {
            text.Append(", duration ").Append(TimeText.FormatCycles(d, hz, 6, "µs", " "));
        }

        if (options.SourceOf?.Invoke(e.Node) is { } source)
        {
            text.Append(", ").Append(source);
        }

        return text.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>XML text and attribute escaping; characters XML 1.0 cannot hold (controls, lone surrogates) become U+FFFD.</summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }

            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': sb.Append('\uFFFD'); break;
                default: sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c); break;
            }
        }

        return sb.ToString();
    }
}
