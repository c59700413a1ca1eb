using CsCheck;
using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

/// <summary>No input crashes the front end: random bytes, and random sequences of the format's own tokens.</summary>
public class SeqFuzzTests
{
    private static readonly string[] s_tokens =
    [
        "clock", "let", "param", "seq", "main", "scan", "=", "(", ")", "{", "}", "[", "]", ",", ";", ">>", "|", "++", "+", "-", "*", "/",
        "wait", "on", "off", "atomic", "repeat", "serial", "parallel", "ttl", "rwg", "channel", "u8", "u16", "u32", "u64", "i8", "i64", "f32", "f64",
        "round", "cycles", "seconds", "min", "linspace", "product", "zip", "a", "b", "t", "x",
        "B0:TTL:0", "B0:TTL:1", "B1:RWG:0", "B9:T15:4095", "B0:XX:1", "0", "1", "2", "0.5", "-1", "1us", "4ns", "1ns", "10ms", "2s", "7cycles",
        "18446744073709551615cycles", "1e30", "0xFFFF", "0x10000", "250MHz", "hex\"01\"", "hex\"0", "\n", " ", "#c\n", "\"", "$", "µ",
    ];

    private static void BindAndCompile(string text)
    {
        var program = SequenceLanguage.Bind("fuzz.seq", text);
        foreach (var d in program.Diagnostics)
        {
            Assert.True(d.Line >= 0 && d.Column >= 0);
            _ = d.ToMSBuildFormat();
        }

        if (program.Main is { } main)
        {
            try
            {
                var compiler = new IncrementalCompiler(program.Arena);
                if (main.EventCount < 100_000)
                {
                    compiler.Compile(main);
                }

                if (program.Scan is { Points.Count: < 50 } scan)
                {
                    foreach (var point in compiler.CompileScan(main, scan))
                    {
                        _ = point.Sequence.Count;
                    }
                }
            }
            catch (SequenceException e)
            {
                _ = program.ToDiagnostic(e).ToMSBuildFormat();
            }
        }
    }

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.String.Sample(BindAndCompile, iter: 3000);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => BindAndCompile(System.Text.Encoding.UTF8.GetString(bytes)), iter: 2000);
    }

    [Fact]
    public void Random_token_streams_never_throw()
    {
        Gen.Int[0, s_tokens.Length - 1].Array[0, 60]
            .Sample(indices => BindAndCompile(string.Join(" ", indices.Select(i => s_tokens[i]))), iter: 20_000);
    }

    [Fact]
    public void Mutations_of_a_valid_file_never_throw()
    {
        const string valid = """
            clock 250MHz
            let cool = B0:TTL:0
            let ftw(f) = u32(round(f / 250MHz * 4294967296))
            param t = 2us
            param amp = 0.5
            seq pulse(ch, len) = on(ch) >> wait(len) >> off(ch)
            seq rf = atomic(B1:RWG:0, 40ns, 0x0201, ftw(80MHz)) >> atomic(B1:RWG:0, t, 0x0202, f32(amp))
            main = repeat(2, serial { pulse(cool, 1us) | rf  wait(1us) })
            scan product(amp = [0.1, 0.2], t = linspace(1us, 2us, 3))
            """;
        Gen.Select(Gen.Int[0, valid.Length], Gen.Int[0, 8], Gen.Int[0, s_tokens.Length - 1].Array[0, 3]).Sample(
            m =>
            {
                var (at, cut, insert) = m;
                var end = Math.Min(valid.Length, at + cut);
                BindAndCompile(valid[..at] + string.Join(" ", insert.Select(i => s_tokens[i])) + valid[end..]);
            },
            iter: 5000);
    }
}
