using System.Text;

namespace Kiln.Build.Tests;

public sealed class TextFileTests
{
    public static TheoryData<string, byte[]> Encodings() => new()
    {
        { "utf-8 without mark", Encoding.UTF8.GetBytes("syntax = \"proto3\"; // é ✓\n") },
        { "utf-8 with mark", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("struct S {}\n")] },
        { "utf-16 le", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("enum E { A = 1 }")] },
        { "utf-16 be", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("enum E { A = 1 }")] },
        { "utf-32 le", [0xFF, 0xFE, 0x00, 0x00, .. new UTF32Encoding(false, false).GetBytes("const i32 X = 1")] },
        { "utf-32 be", [0x00, 0x00, 0xFE, 0xFF, .. new UTF32Encoding(true, false).GetBytes("const i32 X = 1")] },
        { "invalid utf-8", [(byte)'a', 0xC3, 0x28, 0xFF, (byte)'b'] },
        { "empty", [] },
        { "only a mark", [0xEF, 0xBB, 0xBF] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Reads_what_File_ReadAllText_reads(string name, byte[] bytes)
    {
        _ = name; // names the case in the test list

        var path = Path.Combine(Path.GetTempPath(), $"kiln-textfile-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllBytes(path, bytes);
            Assert.Equal(File.ReadAllText(path), TextFile.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reads_a_large_file_whole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kiln-textfile-{Guid.NewGuid():N}.txt");
        try
        {
            var text = string.Concat(Enumerable.Range(0, 100_000).Select(i => $"line {i} ✓\n"));
            File.WriteAllText(path, text);
            Assert.Equal(text, TextFile.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_throws_what_File_ReadAllText_throws()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kiln-missing-{Guid.NewGuid():N}.txt");
        Assert.Throws<FileNotFoundException>(() => TextFile.ReadAllText(path));
    }
}
