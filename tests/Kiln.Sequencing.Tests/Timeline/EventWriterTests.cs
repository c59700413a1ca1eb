using System.Text.Json;
using Kiln.Sequencing.Language;
using Kiln.Sequencing.Output;

namespace Kiln.Sequencing.Tests.Timeline;

public class EventWriterTests
{
    private static (CompiledSequence Sequence, SequenceProgram Program) Compile()
    {
        var program = SequenceLanguage.Bind("w.seq", "let cool = B0:TTL:0\nmain = on(cool) >> atomic(B1:RWG:0, 1us, 0x0202, f32(0.5)) >> off(cool)");
        Assert.False(program.HasErrors);
        return (SequenceCompiler.Compile(program.Main!.Value), program);
    }

    [Fact]
    public void Csv_has_one_line_per_event_in_compiled_order()
    {
        var (s, program) = Compile();
        var writer = new StringWriter();
        EventCsvWriter.Write(s, writer, new EventOutputOptions { SourceOf = program.LocationOf, ChannelName = c => program.ChannelNames.GetValueOrDefault(c) });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                EventCsvWriter.Header,
                "0,0,B0:TTL:0,cool,0x0101,,0,\"w.seq(2,8)\"",
                "0,0,B1:RWG:0,,0x0202,0000003F,250,\"w.seq(2,20)\"",
                "250,0.000001,B0:TTL:0,cool,0x0100,,0,\"w.seq(2,63)\"",
            ],
            lines);
    }

    [Fact]
    public void Json_is_valid_and_carries_every_field()
    {
        var (s, program) = Compile();
        var writer = new StringWriter();
        EventJsonWriter.Write(s, writer, new EventOutputOptions { SourceOf = program.LocationOf, Parameters = [new("a\"b", "1us")] });
        using var json = JsonDocument.Parse(writer.ToString());
        var root = json.RootElement;
        Assert.Equal(250_000_000UL, root.GetProperty("clockHz").GetUInt64());
        Assert.Equal(250UL, root.GetProperty("duration").GetUInt64());
        Assert.Equal("1us", root.GetProperty("parameters").GetProperty("a\"b").GetString());
        var events = root.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(3, events.Length);
        Assert.Equal("B1:RWG:0", events[1].GetProperty("channel").GetString());
        Assert.Equal(1, events[1].GetProperty("board").GetInt32());
        Assert.Equal(0x0202, events[1].GetProperty("opcode").GetInt32());
        Assert.Equal("0000003F", events[1].GetProperty("payload").GetString());
        Assert.Equal(250UL, events[1].GetProperty("duration").GetUInt64());
        Assert.Equal("w.seq(2,20)", events[1].GetProperty("source").GetString());
    }

    [Fact]
    public void Times_print_in_si_units()
    {
        Assert.Equal("0", TimeText.Format(0));
        Assert.Equal("1.5us", TimeText.Format(0.0000015m));
        Assert.Equal("250ns", TimeText.FormatCycles(62.5m, 250_000_000));
        Assert.Equal("12 ms", TimeText.Format(0.012m, separator: " "));
        Assert.Equal("2s", TimeText.Format(2m));
    }
}
