namespace Kiln.Build.Tests;

/// <summary>A temporary folder of files, written from a path → text list and deleted afterwards.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree(params (string Path, string Text)[] files)
    {
        Root = Path.Combine(Path.GetTempPath(), "kiln-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (var (path, text) in files)
        {
            Write(path, text);
        }
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var full = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
