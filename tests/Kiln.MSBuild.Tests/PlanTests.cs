using Kiln.MSBuild;

namespace Kiln.MSBuild.Tests;

/// <summary>How items become Kiln builds: Grpc.Tools' output paths, file names and option strings.</summary>
public sealed class PlanTests
{
    private static readonly string Project = Path.Combine(Path.GetTempPath(), "plan-project");

    private static ProtoItem Item(string path, string protoRoot = ".", string outputDir = "obj/Debug/net10.0/", string grpcOutputDir = "", string grpcServices = "Both", string access = "Public", string importDirs = "", string arguments = "") =>
        new(path, protoRoot, outputDir, grpcOutputDir, grpcServices, access, importDirs, arguments, "", "", CompileOutputs: true);

    [Theory]
    [InlineData("greet", "Greet", "Greet")]
    [InlineData("hello_world", "HelloWorld", "HelloWorld")]
    [InlineData("foo-bar.v2", "FooBarV2", "Foo-bar.v2")]
    [InlineData("a1b_2c", "A1B2C", "A1b2c")]
    public void FileNamesFollowProtocAndTheGrpcPlugin(string stem, string protoc, string grpc)
    {
        Assert.Equal(protoc, ProtobufPlan.ProtocFileName(stem));
        Assert.Equal(grpc, ProtobufPlan.GrpcFileName(stem));
    }

    [Fact]
    public void OutputsGoToTheOutputFolderPlusTheFoldersBelowProtoRoot()
    {
        var messages = new List<PlanMessage>();
        var groups = ProtobufPlan.Plan([Item("Protos/api/greet_svc.proto"), Item("Protos/other.proto")], Project, "/wkt", messages);
        Assert.Empty(messages);
        Assert.Equal(2, groups.Count);
        var greet = groups[0];
        Assert.Equal(Path.Combine(Project, "obj", "Debug", "net10.0", "Protos", "api"), greet.CSharpOut);
        Assert.Equal(greet.CSharpOut, greet.GrpcOut);
        Assert.Equal(["/wkt", Project], greet.ImportPaths);
        Assert.Equal(
            [Path.Combine(greet.CSharpOut, "GreetSvc.cs"), Path.Combine(greet.CSharpOut, "GreetSvcGrpc.cs")],
            ProtobufPlan.ExpectedOutputs(greet, greet.Files[0]).ToArray());
    }

    [Fact]
    public void MetadataBecomesGeneratorOptions()
    {
        var messages = new List<PlanMessage>();
        var groups = ProtobufPlan.Plan(
            [
                Item("p/a.proto", protoRoot: "p", grpcServices: "Client", access: "Internal", arguments: "--csharp_opt=file_extension=.g.cs;--experimental_allow_proto3_optional"),
                Item("p/b.proto", protoRoot: "p", grpcServices: "Server", grpcOutputDir: "gen/grpc"),
                Item("p/c.proto", protoRoot: "p", grpcServices: "None", importDirs: "inc;../shared", arguments: "--proto_path=more;--weird"),
            ],
            Project,
            "",
            messages);
        Assert.Equal(3, groups.Count);
        Assert.Equal("internal_access,file_extension=.g.cs", groups[0].CSharpOptions);
        Assert.Equal("internal_access,no_server", groups[0].GrpcOptions);
        Assert.Equal("no_client", groups[1].GrpcOptions);
        Assert.Equal(Path.Combine(Project, "gen", "grpc"), groups[1].GrpcOut);
        Assert.Null(groups[2].GrpcOut);
        Assert.Null(groups[2].GrpcOptions);
        Assert.Equal(
            [Path.Combine(Project, "inc"), Path.GetFullPath(Path.Combine(Project, "..", "shared")), Path.Combine(Project, "more"), Path.Combine(Project, "p")],
            groups[2].ImportPaths);
        var warning = Assert.Single(messages);
        Assert.Equal("KLN0104", warning.Code);
        Assert.Contains("--weird", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemsWithTheSameSettingsShareOneGroup()
    {
        var groups = ProtobufPlan.Plan([Item("Protos/a.proto"), Item("Protos/b.proto"), Item("Protos/a.proto")], Project, "", []);
        var group = Assert.Single(groups);
        Assert.Equal(2, group.Files.Count);
    }

    [Fact]
    public void EveryItemGetsItsOwnWarningEvenWhenItsSettingsWereWorkedOutBefore()
    {
        var messages = new List<PlanMessage>();
        var groups = ProtobufPlan.Plan([Item("Protos/a.proto", access: "Secret"), Item("Protos/b.proto", access: "Secret"), Item("Protos/c.proto")], Project, "", messages);
        Assert.Equal(["Protos/a.proto", "Protos/b.proto"], messages.Select(m => m.Message[(m.Message.IndexOf("of '", StringComparison.Ordinal) + 4)..m.Message.IndexOf("' is", StringComparison.Ordinal)]));
        Assert.All(messages, m => Assert.Equal("KLN0102", m.Code));
        var group = Assert.Single(groups);
        Assert.Equal(["a.proto", "b.proto", "c.proto"], group.Files.Select(Path.GetFileName));
    }

    [Fact]
    public void ItemsOfOneFolderWithDifferentMetadataOrOfAnotherFolderGetTheirOwnGroups()
    {
        var groups = ProtobufPlan.Plan(
            [Item("Protos/a.proto"), Item("Protos/b.proto", grpcServices: "None"), Item("Protos/c.proto"), Item("Protos/sub/d.proto"), Item("Protos/b.proto", grpcServices: "None")],
            Project, "", []);
        Assert.Equal(3, groups.Count);
        Assert.Equal(["a.proto", "c.proto"], groups[0].Files.Select(Path.GetFileName));
        Assert.Equal(["b.proto"], groups[1].Files.Select(Path.GetFileName));
        Assert.Null(groups[1].GrpcOut);
        Assert.Equal(["d.proto"], groups[2].Files.Select(Path.GetFileName));
        Assert.EndsWith(Path.Combine("Protos", "sub"), groups[2].CSharpOut, StringComparison.Ordinal);
    }

    [Fact]
    public void AProtoRootThatIsNotAboveTheFileIsAWarning()
    {
        var messages = new List<PlanMessage>();
        var group = Assert.Single(ProtobufPlan.Plan([Item("a/x.proto", protoRoot: "b")], Project, "", messages));
        Assert.Equal("KLN0101", Assert.Single(messages).Code);
        Assert.Equal(Path.Combine(Project, "obj", "Debug", "net10.0"), group.CSharpOut);
    }

    [Fact]
    public void ThriftItemsGroupByOutputOptionsAndIncludes()
    {
        var groups = ThriftPlan.Plan(
            [
                new ThriftItem("idl/a.thrift", "net6", "obj/thrift/", "idl", true),
                new ThriftItem("idl/b.thrift", "net6", "obj/thrift/", "idl", true),
                new ThriftItem("idl/c.thrift", "net6;union", "obj/thrift/", "", false),
            ],
            Project);
        Assert.Equal(2, groups.Count);
        Assert.Equal(2, groups[0].Files.Count);
        Assert.Equal("net6,union", groups[1].Options);
        Assert.Equal(Path.Combine(Project, "obj", "thrift"), groups[0].OutputDir);
        Assert.Equal([Path.Combine(Project, "idl")], groups[0].IncludeDirs);
    }

    [Fact]
    public void CommonDirectoryIsTheDeepestSharedFolder()
    {
        var a = Path.Combine(Project, "x", "y", "a.proto");
        var b = Path.Combine(Project, "x", "z", "b.proto");
        Assert.Equal(Path.Combine(Project, "x"), GroupBuild.CommonDirectory([a, b]));
    }

    [Fact]
    public void ProtoRootIsGuessedAsGrpcToolsGuessesIt()
    {
        // Named: kept as it is. Inside the project: the project folder. Outside: $(Protobuf_ProtoRoot), else the file's folder.
        Assert.Equal("protos", ProtobufPlan.ProtoRootOf("protos/a.proto", "protos", Project, ""));
        Assert.Equal(".", ProtobufPlan.ProtoRootOf("protos/a.proto", "", Project, "elsewhere"));
        Assert.Equal(".", ProtobufPlan.ProtoRootOf(Path.Combine(Project, "a.proto"), "", Project + Path.DirectorySeparatorChar, ""));
        var outside = Path.Combine(Path.GetDirectoryName(Project)!, "shared", "b.proto");
        Assert.Equal(Path.GetDirectoryName(outside), ProtobufPlan.ProtoRootOf("../shared/b.proto", "", Project, ""));
        Assert.Equal("../shared", ProtobufPlan.ProtoRootOf("../shared/b.proto", "", Project, "../shared"));
        // A folder whose name only starts like the project's is outside it.
        Assert.Equal(Project + "2", ProtobufPlan.ProtoRootOf(Path.Combine(Project + "2", "c.proto"), "", Project, ""));
    }
}
