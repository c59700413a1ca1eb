namespace Kiln.Build.Tests;

public sealed class OutputWriterTests
{
    [Fact]
    public void Equal_bytes_are_not_written_and_a_difference_anywhere_is()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-output-");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "set.pb");
            var bytes = new byte[(3 << 20) + 12345]; // several comparison blocks and a partial one
            new Random(7).NextBytes(bytes);

            Assert.True(OutputWriter.WriteIfChanged(path, bytes));
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.False(OutputWriter.WriteIfChanged(path, bytes));

            foreach (var at in new[] { 0, 1 << 20, bytes.Length - 1 })
            {
                var changed = (byte[])bytes.Clone();
                changed[at] ^= 0xFF;
                Assert.True(OutputWriter.WriteIfChanged(path, changed));
                Assert.Equal(changed, File.ReadAllBytes(path));
                Assert.True(OutputWriter.WriteIfChanged(path, bytes));
            }

            Assert.True(OutputWriter.WriteIfChanged(path, bytes.AsSpan(0, bytes.Length - 1).ToArray()));
            Assert.Equal(bytes.Length - 1, new FileInfo(path).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Segments_are_written_and_compared_as_their_concatenation()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-output-");
        try
        {
            var path = Path.Combine(dir.FullName, "set.pb");
            var whole = new byte[(2 << 20) + 77];
            new Random(11).NextBytes(whole);
            ReadOnlyMemory<byte>[] segments = [whole.AsMemory(0, 3), whole.AsMemory(3, 1 << 20), ReadOnlyMemory<byte>.Empty, whole.AsMemory(3 + (1 << 20))];

            Assert.True(OutputWriter.WriteIfChanged(path, segments));
            Assert.Equal(whole, File.ReadAllBytes(path));
            Assert.False(OutputWriter.WriteIfChanged(path, segments));
            Assert.False(OutputWriter.WriteIfChanged(path, whole));

            whole[^1] ^= 1;
            Assert.True(OutputWriter.WriteIfChanged(path, segments));
            Assert.Equal(whole, File.ReadAllBytes(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
