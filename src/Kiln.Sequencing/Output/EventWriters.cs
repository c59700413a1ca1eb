using System.Globalization;
using System.Text;

namespace Kiln.Sequencing.Output;

/// <summary>What the event writers add to each event: where it came from and what the channels are called.</summary>
public sealed record EventOutputOptions
{
    /// <summary>The source of an atomic node (<c>path(line,col)</c>), or null.</summary>
    public Func<int, string?>? SourceOf { get; init; }

    /// <summary>A name for a channel (<c>cool</c>), or null.</summary>
    public Func<Channel, string?>? ChannelName { get; init; }

    /// <summary>Parameter values of this compile (name, value as text), written in the JSON header.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Parameters { get; init; }
}

/// <summary>
/// Writes a compiled sequence as CSV, one event per line, in the compiled order (by time; equal
/// times in composition order): <c>time,time_s,channel,name,opcode,payload,duration,source</c>.
/// <c>time</c> and <c>duration</c> are clock cycles, <c>time_s</c> exact seconds, <c>opcode</c>
/// hexadecimal (<c>0x0101</c>), <c>payload</c> hexadecimal bytes (empty when none). Pure: the
/// caller owns the writer.
/// </summary>
public static class EventCsvWriter
{
    public const string Header = "time,time_s,channel,name,opcode,payload,duration,source";

    public static void Write(CompiledSequence sequence, TextWriter writer, EventOutputOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new EventOutputOptions();
        var hz = (decimal)sequence.Arena.Clock.Hz;
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder(96);
        for (var i = 0; i < sequence.Count; i++)
        {
            var e = sequence[i];
            line.Clear();
            line.Append(e.Time.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((e.Time / hz).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(e.Channel.ToString()).Append(',')
                .Append(Field(options.ChannelName?.Invoke(e.Channel))).Append(',')
                .Append("0x").Append(e.Opcode.ToString("X4", CultureInfo.InvariantCulture)).Append(',')
                .Append(Convert.ToHexString(e.Payload.Span)).Append(',')
                .Append(sequence.Arena.DurationOf(e.Node).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(options.SourceOf?.Invoke(e.Node)))
                .Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>RFC 4180 quoting when a field holds a comma, a quote or a line break.</summary>
    internal static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>
/// Writes a compiled sequence as one JSON object:
/// <c>{"clockHz":…,"duration":…,"parameters":{…},"events":[{"time":…,"channel":"B0:TTL:3","name":…,"board":0,"opcode":257,"payload":"01","duration":…,"source":…}]}</c>.
/// Times and durations are clock cycles; <c>payload</c> is hexadecimal. Pure.
/// </summary>
public static class EventJsonWriter
{
    public static void Write(CompiledSequence sequence, TextWriter writer, EventOutputOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new EventOutputOptions();
        var inv = CultureInfo.InvariantCulture;
        writer.Write("{\n  \"clockHz\": ");
        writer.Write(sequence.Arena.Clock.Hz.ToString(inv));
        writer.Write(",\n  \"duration\": ");
        writer.Write(sequence.Duration.ToString(inv));
        writer.Write(",\n  \"parameters\": {");
        var first = true;
        foreach (var (name, value) in options.Parameters ?? [])
        {
            writer.Write(first ? "" : ", ");
            writer.Write(Quote(name));
            writer.Write(": ");
            writer.Write(Quote(value));
            first = false;
        }

        writer.Write("},\n  \"events\": [");
        var line = new StringBuilder(160);
        for (var i = 0; i < sequence.Count; i++)
        {
            var e = sequence[i];
            line.Clear();
            line.Append(i == 0 ? "\n    " : ",\n    ")
                .Append("{\"time\": ").Append(e.Time.ToString(inv))
                .Append(", \"channel\": \"").Append(e.Channel.ToString()).Append('"');
            if (options.ChannelName?.Invoke(e.Channel) is { } channelName)
            {
                line.Append(", \"name\": ").Append(Quote(channelName));
            }

            line.Append(", \"board\": ").Append(e.Channel.Board.ToString(inv))
                .Append(", \"opcode\": ").Append(e.Opcode.ToString(inv))
                .Append(", \"payload\": \"").Append(Convert.ToHexString(e.Payload.Span)).Append('"')
                .Append(", \"duration\": ").Append(sequence.Arena.DurationOf(e.Node).ToString(inv));
            if (options.SourceOf?.Invoke(e.Node) is { } source)
            {
                line.Append(", \"source\": ").Append(Quote(source));
            }

            line.Append('}');
            writer.Write(line);
        }

        writer.Write(sequence.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
    }

    internal static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }
}
