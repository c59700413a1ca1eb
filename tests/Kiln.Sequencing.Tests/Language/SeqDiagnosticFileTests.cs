using System.Runtime.CompilerServices;
using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

/// <summary>
/// Data-first: each <c>TestData/x.seq</c> sits beside <c>x.diag</c>, its diagnostics as users
/// see them. <c>KILN_UPDATE=1</c> rewrites the expected files (and creates missing ones).
/// </summary>
public class SeqDiagnosticFileTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestDataDirectory(), "*.seq").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_match_the_expected_file(string name)
    {
        var path = Path.Combine(TestDataDirectory(), name);
        var program = SequenceLanguage.Bind(name, File.ReadAllText(path).ReplaceLineEndings("\n"));
        var actual = string.Join("\n", program.Diagnostics.Select(d => d.ToMSBuildFormat())) + "\n";
        var expectedPath = Path.ChangeExtension(path, ".diag");
        if (Environment.GetEnvironmentVariable("KILN_UPDATE") == "1" || !File.Exists(expectedPath))
        {
            File.WriteAllText(expectedPath, actual);
        }

        Assert.Equal(File.ReadAllText(expectedPath).ReplaceLineEndings("\n"), actual);
    }

    private static string TestDataDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "TestData");
}
