using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Tests;

public class BinderTests
{
    private static ThriftFileModel Model(string text) => TestFiles.CompileInMemory(("a.thrift", text)).Root.Model;

    [Fact]
    public void A_comment_or_whitespace_edit_leaves_the_model_equal_so_dependents_stay_green()
    {
        const string text = "namespace netstd A\nstruct S {\n  1: i32 x = 1\n}\nconst i32 C = 2\n";
        var before = Model(text);
        var after = Model("// a new comment\n\n" + text.Replace("1: i32 x", "1:   i32   x", StringComparison.Ordinal) + "# trailing\n");
        Assert.Equal(before, after);
        Assert.Equal(before.GetHashCode(), after.GetHashCode());
        Assert.NotEqual(before, Model(text.Replace("x = 1", "x = 3", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("namespace netstd A.B\nnamespace * C", "A.B")]
    [InlineData("namespace * C\nnamespace netstd A.B", "A.B")]
    [InlineData("namespace * C.D", "C.D")]
    [InlineData("namespace csharp X\nnamespace java Y", null)]
    [InlineData("", null)]
    public void The_netstd_namespace_falls_back_to_star_as_thrift_does(string headers, string? expected)
    {
        Assert.Equal(expected, Model(headers + "\nstruct S {}").NetstdNamespace);
    }

    [Fact]
    public void Doc_comments_attach_to_what_they_document()
    {
        var model = Model("/** Program. */\nnamespace netstd N\n/** Struct. */\nstruct S {\n  /** Field. */\n  1: i32 x\n}\n/** Enum. */ enum E { /** Member. */ A }\nservice Svc {\n  /**\n   * Function,\n   *   indented.\n   */\n  void f()\n}\n");
        Assert.Equal("Program.\n", model.Doc);
        Assert.Equal("Struct.\n", model.Structs[0].Doc);
        Assert.Equal("Field.\n", model.Structs[0].Fields[0].Doc);
        Assert.Equal("Enum.\n", model.Enums[0].Doc);
        Assert.Equal("Member.\n", model.Enums[0].Members[0].Doc);
        Assert.Equal("Function,\n  indented.\n", model.Services[0].Functions[0].Doc);
    }

    [Fact]
    public void Missing_field_ids_get_negative_ids_counting_down_per_field_list()
    {
        var model = Model("struct S { i32 a, 5: i32 b, i32 c }\nservice Svc { void f(i32 x, i32 y) }");
        Assert.Equal([(-1, true), (5, false), (-2, true)], model.Structs[0].Fields.Select(field => (field.Id, field.IdAssigned)));
        Assert.Equal([-1, -2], model.Services[0].Functions[0].Parameters.Select(field => field.Id));
    }

    [Fact]
    public void A_container_value_naming_a_constant_keeps_the_items_and_the_name()
    {
        // thrift 0.17 never looks the name up (the netstd emitter copies that: NetstdQuirks); the model keeps both.
        var model = Model("const list<i32> numbers = [1, 2]\nconst map<string, i32> m = {\"a\": 1}\nstruct S { 1: list<i32> a = numbers, 2: list<list<i32>> b = [numbers, [3]], 3: map<string, i32> c = m }");
        var numbers = new ListConst(EquatableArray.Create<ConstValue>(new IntegerConst(1), new IntegerConst(2)));
        Assert.Equal(numbers with { Constant = "numbers" }, model.Structs[0].Fields[0].Default);
        var three = new ListConst(EquatableArray.Create<ConstValue>(new IntegerConst(3)));
        Assert.Equal(new ListConst(EquatableArray.Create<ConstValue>(numbers with { Constant = "numbers" }, three)), model.Structs[0].Fields[1].Default);
        Assert.Equal("m", Assert.IsType<MapConst>(model.Structs[0].Fields[2].Default).Constant);
        Assert.Null(Assert.IsType<ListConst>(model.Consts[0].Value).Constant);
    }

    [Fact]
    public void A_container_value_naming_no_container_constant_is_an_empty_container_with_a_warning()
    {
        // thrift 0.17 accepts these and generates empty containers: an undefined name, a string
        // constant, a constant declared later.
        var compilation = TestFiles.CompileInMemory(("a.thrift",
            "const string s = \"x\"\nconst list<i32> a = nothing\nconst map<string, i32> b = s\nconst set<i32> c = later\nconst list<i32> later = [1]\nstruct T { 1: list<i32> f = nowhere }\n"));
        Assert.Equal(
        [
            "a.thrift(2,21): warning KTH0086: \"nothing\" is not a list constant declared before it; thrift generates an empty list here.",
            "a.thrift(3,28): warning KTH0086: \"s\" is not a map constant declared before it; thrift generates an empty map here.",
            "a.thrift(4,20): warning KTH0086: \"later\" is not a set constant declared before it; thrift generates an empty set here.",
            "a.thrift(6,29): warning KTH0086: \"nowhere\" is not a list constant declared before it; thrift generates an empty list here.",
        ], compilation.Messages());
        var model = compilation.Root.Model;
        Assert.Equal(new ListConst(EquatableArray<ConstValue>.Empty, "nothing"), model.Consts[1].Value);
        Assert.Equal(new MapConst(EquatableArray<MapConstEntry>.Empty, "s"), model.Consts[2].Value);
        Assert.Equal(new ListConst(EquatableArray<ConstValue>.Empty, "nowhere"), model.Structs[0].Fields[0].Default);
    }

    [Fact]
    public void Implicit_enum_values_continue_from_the_previous_one()
    {
        var model = Model("enum E { A, B = 10, C, D = -3, F }");
        Assert.Equal([0, 10, 11, -3, -2], model.Enums[0].Members.Select(member => member.Value));
    }

    [Fact]
    public void Typedefs_keep_their_chain_and_expose_the_true_type()
    {
        var model = Model("typedef i64 Id\ntypedef Id UserId\nstruct S { 1: UserId id }");
        var type = model.Structs[0].Fields[0].Type;
        var named = Assert.IsType<NamedType>(type);
        Assert.Equal("UserId", named.Definition.Name);
        Assert.Equal(BaseType.I64, type.TrueType);
    }

    [Fact]
    public void Qualified_names_resolve_through_includes_to_the_defining_file()
    {
        var compilation = TestFiles.CompileInMemory(
            ("dir/main.thrift", "include \"sub/shared.thrift\"\nstruct S { 1: shared.T t = { \"x\": shared.E.B } }\nconst shared.E e = shared.E.A"),
            ("dir/sub/shared.thrift", "namespace netstd Shared\nenum E { A, B }\nstruct T { 1: E x }"));
        Assert.Empty(compilation.Diagnostics);
        var field = compilation.Root.Model.Structs[0].Fields[0];
        Assert.Equal(new DefinitionRef("dir/sub/shared.thrift", "T", DefinitionKind.Struct), Assert.IsType<NamedType>(field.Type).Definition);
        var value = Assert.IsType<StructConst>(field.Default);
        Assert.Equal(new EnumConst(new DefinitionRef("dir/sub/shared.thrift", "E", DefinitionKind.Enum), "B", 1), value.Fields[0].Value);
        Assert.Equal(["dir/sub/shared.thrift", "dir/main.thrift"], compilation.FilesInBindOrder);
    }

    [Fact]
    public void A_file_included_twice_is_bound_once()
    {
        var compilation = TestFiles.CompileInMemory(
            ("a.thrift", "include \"b.thrift\"\ninclude \"c.thrift\"\nstruct A { 1: b.B b, 2: c.C c }"),
            ("b.thrift", "include \"d.thrift\"\nstruct B { 1: d.D d }"),
            ("c.thrift", "include \"d.thrift\"\nstruct C { 1: d.D d }"),
            ("d.thrift", "struct D {}"));
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal(["d.thrift", "b.thrift", "c.thrift", "a.thrift"], compilation.FilesInBindOrder);
    }

    [Fact]
    public void Binding_one_file_needs_only_the_models_of_its_includes()
    {
        var shared = TestFiles.CompileInMemory(("shared.thrift", "struct T {}")).Root.Model;
        var parsed = ThriftParser.Parse("main.thrift", "include \"shared.thrift\"\nstruct S { 1: shared.T t, 2: shared.U u }");
        var bound = ThriftBinder.BindFile(parsed, path => path == "shared.thrift" ? IncludeOutcome.Found(shared) : IncludeOutcome.NotFound);
        Assert.Equal(["main.thrift(2,30): error KTH0052: Type \"shared.U\" not defined. Did you mean 'shared.T'?"], bound.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Every_diagnostic_code_is_exercised_by_an_expected_file_or_a_unit_test()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal)
        {
            "KTH0002", // LexerTests.Bad_escapes_and_unterminated_literals_are_reported
            "KTH0007", // .NET parses every double the scanner accepts (overflow is infinity); kept for safety.
            "KTH0023", // RobustnessTests
            "KTH0080", // RobustnessTests.A_long_typedef_chain_resolves_or_is_reported_without_overflow
            "KTH0083", // CompilerFlagTests (-strict)
            "KTH0084", // CompilerFlagTests (--allow-neg-keys)
            "KTH0085", // CompilerFlagTests (-strict's warning level)
            "KTH0086", // BinderTests.A_container_value_naming_no_container_constant_is_an_empty_container_with_a_warning
        };
        foreach (var file in Directory.EnumerateFiles(Golden.TestDataDirectory, "*.diag"))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var match = System.Text.RegularExpressions.Regex.Match(line, "KTH[0-9]{4}");
                if (match.Success)
                {
                    covered.Add(match.Value);
                }
            }
        }

        var missing = ThriftDiagnostics.All.Select(descriptor => descriptor.Code).Where(code => !covered.Contains(code)).ToList();
        Assert.True(missing.Count == 0, "no test shows " + string.Join(", ", missing));
    }
}
