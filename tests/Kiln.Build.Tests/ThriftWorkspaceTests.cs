using Kiln.Thrift;

namespace Kiln.Build.Tests;

public class ThriftWorkspaceTests
{
    [Fact]
    public void A_file_reached_through_many_include_paths_is_read_parsed_and_bound_once()
    {
        // A diamond, twice: top includes left and right, both include base.
        using var tree = new TempTree(
            ("base.thrift", "struct Base { 1: i32 x }\n"),
            ("left.thrift", "include \"base.thrift\"\nstruct Left { 1: base.Base b }\n"),
            ("right.thrift", "include \"base.thrift\"\nstruct Right { 1: base.Base b }\n"),
            ("top.thrift", "include \"left.thrift\"\ninclude \"right.thrift\"\nstruct Top { 1: left.Left l, 2: right.Right r }\n"));
        var workspace = new ThriftWorkspace([]);
        workspace.Load([tree["top.thrift"]]);
        workspace.BindAll();

        Assert.Equal(4, workspace.Files.Count);
        var statistics = workspace.Database.GetStatistics().ToDictionary(s => s.Query);
        Assert.Equal(4, statistics["parse"].Executions);
        Assert.Equal(4, statistics["bind"].Executions);
        Assert.Empty(workspace.Bind.Get(workspace.Database, tree["top.thrift"]).Diagnostics);
    }

    [Fact]
    public void Includes_are_searched_beside_the_including_file_first_then_in_each_include_folder_in_order()
    {
        using var tree = new TempTree(
            ("src/main.thrift", "include \"shared.thrift\"\ninclude \"onlyinb.thrift\"\nstruct M { 1: shared.Local l, 2: onlyinb.B b }\n"),
            ("src/shared.thrift", "struct Local { 1: i32 x }\n"),
            ("a/shared.thrift", "struct FromA { 1: i32 x }\n"),
            ("a/onlyinb.thrift", "struct NotThis { 1: i32 x }\n"),
            ("b/onlyinb.thrift", "struct B { 1: i32 x }\n"));
        var workspace = new ThriftWorkspace([tree["b"], tree["a"]]);
        workspace.Load([tree["src/main.thrift"]]);
        workspace.BindAll();

        Assert.Contains(Path.GetFullPath(tree["src/shared.thrift"]), workspace.Files);
        Assert.Contains(Path.GetFullPath(tree["b/onlyinb.thrift"]), workspace.Files);
        Assert.DoesNotContain(Path.GetFullPath(tree["a/shared.thrift"]), workspace.Files);
        Assert.Empty(workspace.Bind.Get(workspace.Database, Path.GetFullPath(tree["src/main.thrift"])).Diagnostics);
    }

    [Fact]
    public void An_include_cycle_is_a_diagnostic_not_a_hang()
    {
        using var tree = new TempTree(
            ("a.thrift", "include \"b.thrift\"\nstruct A { 1: i32 x }\n"),
            ("b.thrift", "include \"a.thrift\"\nstruct B { 1: i32 x }\n"));
        var result = ThriftBuild.Run(new ThriftBuildRequest([tree["a.thrift"]], [], [], null, null, false, false));
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("KTH0051", error.Code);
        Assert.Contains("Include cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comment_edit_in_an_included_file_does_not_re_bind_the_files_that_include_it()
    {
        using var tree = new TempTree(
            ("base.thrift", "struct Base { 1: i32 x }\n"),
            ("user.thrift", "include \"base.thrift\"\nstruct User { 1: base.Base b }\n"));
        var workspace = new ThriftWorkspace([]);
        workspace.Load([tree["user.thrift"]]);
        workspace.BindAll();
        var before = workspace.Database.GetStatistics().ToDictionary(s => s.Query);

        tree.Write("base.thrift", "// a new comment\n\nstruct Base {\n  1: i32 x\n}\n");
        workspace.Load([tree["user.thrift"]]);
        workspace.BindAll();
        var after = workspace.Database.GetStatistics().ToDictionary(s => s.Query);

        Assert.Equal(1, after["parse"].Executions - before["parse"].Executions); // base only: user's text is unchanged
        Assert.Equal(1, after["bind"].Executions - before["bind"].Executions); // base only
        Assert.Equal(1, after["bind"].Backdates - before["bind"].Backdates); // and its result is unchanged
    }

    [Fact]
    public void A_real_change_in_an_included_file_re_binds_its_includers()
    {
        using var tree = new TempTree(
            ("base.thrift", "struct Base { 1: i32 x }\n"),
            ("user.thrift", "include \"base.thrift\"\nstruct User { 1: base.Base b }\n"));
        var workspace = new ThriftWorkspace([]);
        workspace.Load([tree["user.thrift"]]);
        workspace.BindAll();

        tree.Write("base.thrift", "struct Renamed { 1: i32 x }\n");
        workspace.Load([tree["user.thrift"]]);
        workspace.BindAll();
        var diagnostics = workspace.Bind.Get(workspace.Database, Path.GetFullPath(tree["user.thrift"])).Diagnostics;
        Assert.Contains(diagnostics, d => d.IsError);
    }

    [Fact]
    public void Changing_only_what_is_reported_re_runs_no_bind_and_changing_a_binding_flag_re_binds()
    {
        using var tree = new TempTree(("a.thrift", "struct S {\n  1: i32 a,\n  -2: i64 b = 5000000000,\n}\n"));
        var path = Path.GetFullPath(tree["a.thrift"]);
        var workspace = new ThriftWorkspace([]);
        workspace.Load([tree["a.thrift"]]);
        workspace.BindAll();
        Assert.Equal(["KTH0030", "KTH0029", "KTH0028"], workspace.Diagnostics.Get(workspace.Database, path).Select(d => d.Code));
        Assert.Equal(-1, workspace.Model.Get(workspace.Database, path).Structs[0].Fields[1].Id);
        var before = workspace.Database.GetStatistics().ToDictionary(s => s.Query);

        // -nowarn --allow-64bit-consts: only the report changes; parse and bind are reused.
        workspace.Options = new ThriftOptions(Allow64BitConstants: true, WarningLevel: ThriftOptions.NoWarningsLevel);
        workspace.BindAll();
        Assert.Empty(workspace.Diagnostics.Get(workspace.Database, path));
        var quiet = workspace.Database.GetStatistics().ToDictionary(s => s.Query);
        Assert.Equal(0, quiet["parse"].Executions - before["parse"].Executions);
        Assert.Equal(0, quiet["bind"].Executions - before["bind"].Executions);
        Assert.Equal(1, quiet["bindOptions"].Backdates - before["bindOptions"].Backdates);

        // --allow-neg-keys changes the model: bind runs again, and so does what reads it.
        workspace.Options = new ThriftOptions(AllowNegativeFieldKeys: true);
        workspace.BindAll();
        Assert.Equal(-2, workspace.Model.Get(workspace.Database, path).Structs[0].Fields[1].Id);
        Assert.Equal(["KTH0084", "KTH0028"], workspace.Diagnostics.Get(workspace.Database, path).Select(d => d.Code)); // -2 is not the -1 thrift would assign
        var negative = workspace.Database.GetStatistics().ToDictionary(s => s.Query);
        Assert.Equal(1, negative["bind"].Executions - quiet["bind"].Executions);
        Assert.Equal(0, negative["parse"].Executions - quiet["parse"].Executions);

        // -strict: with --allow-neg-keys every key is explicit, without it b's key is implicit: an error.
        workspace.Options = new ThriftOptions(Strict: true, AllowNegativeFieldKeys: true, WarningLevel: ThriftOptions.StrictWarningLevel);
        Assert.DoesNotContain(workspace.Diagnostics.Get(workspace.Database, path), d => d.IsError);
        workspace.Options = new ThriftOptions(Strict: true, WarningLevel: ThriftOptions.StrictWarningLevel);
        Assert.Contains(workspace.Diagnostics.Get(workspace.Database, path), d => d.Code == "KTH0083");
    }

    [Fact]
    public void A_build_reports_with_the_requested_flags()
    {
        using var tree = new TempTree(("a.thrift", "struct S { i32 a }\n"));
        var plain = ThriftBuild.Run(new ThriftBuildRequest([tree["a.thrift"]], [], [], null, null, false, false));
        Assert.Equal(["KTH0029"], plain.Diagnostics.Select(d => d.Code));
        Assert.False(plain.HasErrors);
        Assert.Equal([Path.GetFullPath(tree["a.thrift"])], plain.Read.Select(Path.GetFullPath));

        var strict = ThriftBuild.Run(new ThriftBuildRequest([tree["a.thrift"]], [], [], null, null, false, false, new ThriftOptions(Strict: true)));
        Assert.True(strict.HasErrors);
        Assert.Contains(strict.Statistics, s => s.Query == "bind" && s.Executions == 1);
    }
}
