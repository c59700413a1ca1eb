using System.Xml.Linq;
using Kiln.Sequencing.Language;
using Kiln.Sequencing.Timeline;

namespace Kiln.Sequencing.Tests.Timeline;

public class SvgTimelineTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    private static CompiledSequence Shot(out SequenceProgram program)
    {
        program = SequenceLanguage.Bind("shot.seq", """
            let cool = B0:TTL:0
            let gate = B0:TTL:4
            let rf = B3:RWG:1
            seq pulse(ch, len) = on(ch) >> wait(len) >> off(ch)
            main = pulse(cool, 1ms) >> (pulse(gate, 2us) | atomic(rf, 1us, 0x0203, hex"01")) >> wait(5ms) >> pulse(cool, 1us)
            """);
        Assert.False(program.HasErrors, string.Join("\n", program.Diagnostics));
        return SequenceCompiler.Compile(program.Main!.Value);
    }

    private static XElement Render(CompiledSequence s, SvgTimelineOptions? options = null) => XDocument.Parse(SvgTimeline.Render(s, options)).Root!;

    private static IEnumerable<XElement> Class(XElement root, string name) =>
        root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(name) == true);

    [Fact]
    public void One_row_per_channel_grouped_by_board_in_channel_order()
    {
        var s = Shot(out var program);
        var root = Render(s, new SvgTimelineOptions { ChannelName = c => program.ChannelNames.GetValueOrDefault(c) });
        Assert.Equal(s_svg, root.Name.Namespace);
        var boards = Class(root, "board").ToList();
        Assert.Equal(["0", "3"], boards.Select(b => (string)b.Attribute("data-board")!));
        Assert.Equal(["B0:TTL:0", "B0:TTL:4"], Class(boards[0], "row").Select(r => (string)r.Attribute("data-channel")!));
        Assert.Equal(["B3:RWG:1"], Class(boards[1], "row").Select(r => (string)r.Attribute("data-channel")!));
        Assert.Contains(Class(root, "row-name"), t => t.Value == "cool");
        // Every event is a mark, except that marks closer than a pixel on one row are one mark:
        // the 2 us gate pulse and the 1 us cooling pulse are each one mark in 6 ms.
        Assert.Equal(7, s.Count);
        var marks = Class(root, "ev").ToList();
        Assert.Equal(5, marks.Count);
        Assert.Equal(2, marks.Count(m => m.Value.StartsWith("2 events from", StringComparison.Ordinal)));
        Assert.Single(Class(root, "bar"));
    }

    [Fact]
    public void Durations_are_drawn_to_scale()
    {
        var arena = new SequenceArena();
        var a = arena.Atomic(Channel.Ttl(0, 0), 100, 1);
        var b = arena.Atomic(Channel.Ttl(0, 1), 300, 1);
        var root = Render(SequenceCompiler.Compile(Seq.Serial(a, b)), new SvgTimelineOptions { Width = 1000 });
        var bars = Class(root, "bar").Select(r => double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, bars.Length);
        Assert.Equal(3.0, bars[1] / bars[0], 3);
    }

    [Fact]
    public void The_time_axis_has_si_labels()
    {
        var root = Render(Shot(out _));
        var labels = Class(root, "tick").Select(t => t.Value).ToList();
        Assert.Contains("0", labels);
        Assert.Contains(labels, l => l.EndsWith(" ms", StringComparison.Ordinal));
    }

    [Fact]
    public void A_time_range_clips_marks()
    {
        var s = Shot(out _);
        var clock = s.Arena.Clock;
        var root = Render(s, new SvgTimelineOptions { From = clock.Parse("999us"), To = clock.Parse("1.1ms") });
        // Inside: cool off at 1 ms, gate on/off, rf: 4 events.
        Assert.Equal(4, Class(root, "ev").Count());
        Assert.Equal(3, Class(root, "row").Count()); // rows stay, so pictures of one file line up
    }

    [Fact]
    public void Long_idle_gaps_can_be_compressed_into_marked_breaks()
    {
        var s = Shot(out _);
        var plain = Render(s);
        Assert.Empty(Class(plain, "break"));
        var compressed = Render(s, new SvgTimelineOptions { CompressGapsLongerThan = s.Arena.Clock.Parse("100us") });
        var breaks = Class(compressed, "break").ToList();
        Assert.Equal(2, breaks.Count); // the 1 ms cooling and the 5 ms wait
        Assert.Contains(breaks, b => b.Descendants(s_svg + "text").Any(t => t.Value == "5 ms"));
        // With the gaps compressed, the 2 us gate pulse becomes visible: its band is wider than a pixel.
        var band = Class(compressed, "row").Single(r => (string)r.Attribute("data-channel")! == "B0:TTL:4");
        Assert.Empty(Class(band, "high")); // no level function given
        var withLevels = Render(s, new SvgTimelineOptions { CompressGapsLongerThan = 25_000, Level = SeqOpcodes.TtlLevel });
        var gate = Class(withLevels, "row").Single(r => (string)r.Attribute("data-channel")! == "B0:TTL:4");
        var width = double.Parse((string)Class(gate, "high").Single().Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(width > 20, $"gate band {width} px");
    }

    [Fact]
    public void Many_events_are_merged_per_pixel_and_text_is_escaped()
    {
        var arena = new SequenceArena();
        var pulse = arena.Atomic(Channel.Ttl(0, 0), 1, 1);
        var many = arena.Serial([.. Enumerable.Repeat(pulse, 100_000)]);
        var svg = SvgTimeline.Render(SequenceCompiler.Compile(many), new SvgTimelineOptions { Title = "a<b & \"c\"", ChannelName = _ => "x&y", Width = 800 });
        var root = XDocument.Parse(svg).Root!;
        Assert.True(Class(root, "ev").Count() < 1000);
        Assert.True(svg.Length < 400_000, $"{svg.Length} characters");
        Assert.Contains(root.Descendants(s_svg + "text"), t => t.Value == "a<b & \"c\"");
    }

    [Fact]
    public void Names_with_any_characters_stay_well_formed()
    {
        var arena = new SequenceArena();
        var s = SequenceCompiler.Compile(arena.Atomic(Channel.Ttl(0, 0), 1, 1));
        var name = "\u0001\uD800x\uD83D\uDE00</g>";
        var root = Render(s, new SvgTimelineOptions { ChannelName = _ => name, Title = name, SourceOf = _ => name });
        Assert.Contains(root.Descendants(s_svg + "text"), t => t.Value == "\uFFFD\uFFFDx\uD83D\uDE00</g>");
    }

    [Fact]
    public void An_empty_sequence_still_renders()
    {
        var arena = new SequenceArena();
        var root = Render(SequenceCompiler.Compile(arena.Wait(10)), new SvgTimelineOptions { CompressGapsLongerThan = 1 });
        Assert.Empty(Class(root, "row"));
    }
}
