using BenchmarkDotNet.Attributes;
using Kiln.CSharp.Netstd;
using Kiln.Text;
using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Bench;

/// <summary>
/// Each pipeline stage over the whole corpus, one stage per benchmark, on one thread: the input
/// of each stage is prepared once in setup, so a benchmark measures only its own stage.
/// Throughput is in the <c>Lines/s</c> column (<see cref="LinesPerSecondColumn"/>); allocations
/// in <c>Allocated</c>.
/// </summary>
[MemoryDiagnoser]
public class FrontEndBenchmarks
{
    private IReadOnlyList<(string Path, string Text)> _files = [];
    private ParsedFile[] _parsed = [];
    private ThriftFileModel[] _models = [];
    private readonly NetstdOptions _options = NetstdOptions.Parse("", out _);

    /// <summary>Corpus size: big enough to leave the CPU caches, small enough to iterate quickly.</summary>
    public const int TargetLines = 50_000;

    /// <summary>Lines in the corpus (set by <see cref="Setup"/>).</summary>
    public static int Lines { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _files = Corpus.Generate(TargetLines, out var lines);
        Lines = lines;
        _parsed = [.. _files.Select(f => ThriftParser.Parse(f.Path, f.Text))];
        _models = [.. _parsed.Select(p => ThriftBinder.BindFile(p, _ => IncludeOutcome.NotFound).Model)];
    }

    [Benchmark]
    public int Lex()
    {
        var tokens = 0;
        foreach (var (path, text) in _files)
        {
            var lexer = new Lexer(new SourceText(path, text), new DiagnosticBag());
            while (lexer.Next().Kind != TokenKind.EndOfFile)
            {
                tokens++;
            }
        }

        return tokens;
    }

    [Benchmark]
    public int Parse()
    {
        var definitions = 0;
        foreach (var (path, text) in _files)
        {
            definitions += ThriftParser.Parse(path, text).Syntax.Definitions.Count;
        }

        return definitions;
    }

    [Benchmark]
    public int Bind()
    {
        var structs = 0;
        foreach (var parsed in _parsed)
        {
            structs += ThriftBinder.BindFile(parsed, _ => IncludeOutcome.NotFound).Model.Structs.Count;
        }

        return structs;
    }

    [Benchmark]
    public long Emit()
    {
        long chars = 0;
        foreach (var model in _models)
        {
            foreach (var file in NetstdGenerator.Generate(model, _ => null, _options).Files)
            {
                chars += file.Text.Length;
            }
        }

        return chars;
    }
}
