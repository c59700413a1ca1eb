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
}
