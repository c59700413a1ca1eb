using System.Runtime.CompilerServices;

namespace Kiln.CSharp.Tests;

/// <summary>
/// Expected-output files beside their inputs under <c>TestData/</c>. With <c>KILN_UPDATE=1</c> a
/// mismatching or missing expected file is rewritten and the test passes; reviewers read the diff.
/// </summary>
internal static class GoldenFiles
{
    public static string Directory => Path.Combine(SourceDirectory(), "TestData");

    public static bool Updating => Environment.GetEnvironmentVariable("KILN_UPDATE") == "1";

    public static void Check(string expectedPath, string actual)
    {
        var exists = File.Exists(expectedPath);
        var expected = exists ? File.ReadAllText(expectedPath).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            return;
        }

        if (Updating || !exists)
        {
            File.WriteAllText(expectedPath, actual);
            Assert.True(exists || Updating, $"Created {expectedPath}; review it and run again.");
            return;
        }

        Assert.Fail($"{Path.GetFileName(expectedPath)} differs from the generated output (run with KILN_UPDATE=1 to accept):\n{FirstDifference(expected!, actual)}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var left = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var right = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (left != right)
            {
                return $"line {i + 1}:\n- {left}\n+ {right}";
            }
        }

        return "(same lines, different line endings)";
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
