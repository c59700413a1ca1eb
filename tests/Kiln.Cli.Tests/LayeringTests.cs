using System.Xml.Linq;

namespace Kiln.Cli.Tests;

/// <summary>Nothing lower ever references anything higher (DESIGN.md, "Layers").</summary>
public class LayeringTests
{
    /// <summary>Each layer and the layers it may reference.</summary>
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["Kiln.Text"] = [],
        ["Kiln.Engine"] = [],
        ["Kiln.Thrift"] = ["Kiln.Engine", "Kiln.Text"],
        ["Kiln.Protobuf"] = ["Kiln.Engine", "Kiln.Text"],
        ["Kiln.CSharp"] = ["Kiln.Engine", "Kiln.Text", "Kiln.Thrift", "Kiln.Protobuf"],
        ["Kiln.Sequencing"] = ["Kiln.Engine", "Kiln.Text"],
        ["Kiln.Build"] = ["Kiln.Engine", "Kiln.Text", "Kiln.Thrift", "Kiln.Protobuf", "Kiln.CSharp", "Kiln.Sequencing"],
        ["Kiln.Cli"] = ["Kiln.Engine", "Kiln.Text", "Kiln.Thrift", "Kiln.Protobuf", "Kiln.CSharp", "Kiln.Sequencing", "Kiln.Build"],
        ["Kiln.MSBuild"] = ["Kiln.Engine", "Kiln.Text", "Kiln.Thrift", "Kiln.Protobuf", "Kiln.CSharp", "Kiln.Sequencing", "Kiln.Build"],
    };

    [Fact]
    public void Every_project_reference_in_src_points_down_the_layers()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            Assert.True(s_allowed.TryGetValue(name, out var allowed), $"{name} is not a known layer: add it to DESIGN.md's table and to this test");
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')));
            foreach (var reference in references)
            {
                Assert.True(allowed.Contains(reference), $"{name} must not reference {reference}: it is not below it");
            }
        }
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kiln.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Kiln.slnx not found above " + thisFile);
    }
}
