using System.Runtime.CompilerServices;

namespace Kiln.Thrift.Tests;

/// <summary>
/// Expected-output files beside the inputs. <c>KILN_UPDATE=1</c> rewrites them; a missing one is
/// created (and the test passes), so reviewers read the diff.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("KILN_UPDATE") is "1" or "true";

    /// <summary>The test project's source folder (not the build output), so updates land in the repository.</summary>
    public static string ProjectDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    public static string TestDataDirectory => Path.Combine(ProjectDirectory(), "TestData");

    public static void Check(string expectedPath, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        if (Updating || !File.Exists(expectedPath))
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        var expected = File.ReadAllText(expectedPath).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"{Path.GetFileName(expectedPath)} differs (run with KILN_UPDATE=1 to accept).\n--- expected\n{expected}\n--- actual\n{actual}");
        }
    }
}
