using System.Text;
using Kiln.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.Thrift.Tests;

/// <summary>Hostile shapes: deep nesting, long chains, big files. Reported, never a crash or a hang.</summary>
public class RobustnessTests
{
    private static ThriftCompilation Compile(string text) => TestFiles.CompileInMemory(("deep.thrift", text));

    [Fact]
    public void A_list_type_nested_100000_deep_is_reported_not_a_stack_overflow()
    {
        const int depth = 100_000;
        var text = "struct S { 1: " + string.Concat(Enumerable.Repeat("list<", depth)) + "i32" + new string('>', depth) + " deep }\nstruct After { 1: i32 ok }\n";
        var compilation = Compile(text);
        Assert.Equal(["KTH0023"], compilation.Codes());
        Assert.Contains(compilation.Root.Model.Structs, model => model.Name == "After");
    }

    [Fact]
    public void A_map_type_nested_deeply_on_both_sides_is_reported()
    {
        var builder = new StringBuilder("typedef ");
        for (var i = 0; i < 5000; i++)
        {
            builder.Append("map<i32, ");
        }

        builder.Append("i32").Append('>', 5000).Append(" Deep\nconst i32 after = 1\n");
        var compilation = Compile(builder.ToString());
        Assert.Equal(["KTH0023"], compilation.Codes());
        Assert.Single(compilation.Root.Model.Consts);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"k\": ", "}")]
    public void A_constant_value_nested_100000_deep_is_reported_not_a_stack_overflow(string open, string close)
    {
        const int depth = 100_000;
        var text = "const list<i32> deep = " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "\nconst i32 after = 1\n";
        var compilation = Compile(text);
        Assert.Contains("KTH0023", compilation.Codes());
        Assert.Contains(compilation.Root.Model.Consts, model => model.Name == "after");
    }

    [Fact]
    public void Unclosed_nesting_to_the_end_of_the_file_terminates()
    {
        var compilation = Compile("const list<i32> x = " + new string('[', 50_000));
        Assert.Contains("KTH0023", compilation.Codes());
        compilation = Compile("struct S { 1: " + string.Concat(Enumerable.Repeat("list<", 50_000)));
        Assert.Contains("KTH0023", compilation.Codes());
    }

    [Fact]
    public void A_long_typedef_chain_resolves_or_is_reported_without_overflow()
    {
        var builder = new StringBuilder("typedef i32 T0\n");
        for (var i = 1; i < 20_000; i++)
        {
            builder.Append("typedef T").Append(i - 1).Append(" T").Append(i).Append('\n');
        }

        builder.Append("struct S { 1: T19999 x }\n");
        var compilation = Compile(builder.ToString());
        Assert.Contains("KTH0080", compilation.Codes());
        Assert.All(compilation.Diagnostics, diagnostic => Assert.Equal("KTH0080", diagnostic.Code));
        _ = compilation.Root.Model.GetHashCode();
        Assert.Equal(compilation.Root.Model, Compile(builder.ToString()).Root.Model);
    }

    [Fact]
    public void A_long_include_chain_binds_without_recursion()
    {
        const int length = 3000;
        var files = new (string, string)[length];
        for (var i = 0; i < length; i++)
        {
            files[i] = ($"f{i}.thrift", i + 1 < length ? $"include \"f{i + 1}.thrift\"\nstruct S{i} {{ 1: f{i + 1}.S{i + 1} following }}\n" : $"struct S{i} {{}}\n");
        }

        var compilation = TestFiles.CompileInMemory(files);
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal(length, compilation.FilesInBindOrder.Count);
    }

    [Fact]
    public void A_big_generated_file_parses_and_binds_cleanly()
    {
        var text = Generate(4000);
        var parsed = ThriftParser.Parse("big.thrift", text);
        Assert.Empty(parsed.Diagnostics);
        var compilation = ThriftCompilation.Create(parsed, (_, _) => null);
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal(4000, compilation.Root.Model.Structs.Count);
    }

    [Fact]
    public void Many_errors_in_one_file_are_all_reported_in_linear_time()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            builder.Append("struct S").Append(i).Append(" { 1: Unknown").Append(i).Append(" x }\n");
        }

        var compilation = Compile(builder.ToString());
        Assert.Equal(20_000, compilation.Diagnostics.Count);
    }

    /// <summary>A deterministic file of <paramref name="structs"/> structs, enums, consts and a service (about 12 lines each).</summary>
    internal static string Generate(int structs)
    {
        var builder = new StringBuilder("namespace netstd Big\n");
        for (var i = 0; i < structs; i++)
        {
            builder.Append("/** Doc ").Append(i).Append(" */\nenum E").Append(i).Append(" { A, B = 5, C }\n");
            builder.Append("struct S").Append(i).Append(" {\n  1: required i32 id = 7,\n  2: optional list<string> names\n");
            builder.Append("  3: map<string, E").Append(i).Append("> colors\n");
            builder.Append(i > 0 ? $"  4: S{i - 1} previous\n" : "  4: i64 previous\n");
            builder.Append("} (anno = \"x\")\nconst E").Append(i).Append(" DEFAULT").Append(i).Append(" = E").Append(i).Append(".B\n");
            builder.Append("service Svc").Append(i).Append(" { S").Append(i).Append(" get(1: i32 id) }\n");
        }

        return builder.ToString();
    }
}
