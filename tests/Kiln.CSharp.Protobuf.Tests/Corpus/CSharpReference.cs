using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>A corpus file left out of the comparison, and why.</summary>
internal sealed record ExcludedFile(string File, string Reason);

/// <summary>
/// protoc 35.1's <c>--csharp_out=DIR --csharp_opt=base_namespace=</c> over google-proto-files (one
/// invocation for every file it accepts, minus the files whose output path collides with another
/// file's) and, separately, over the well-known types of its include folder. Built once into
/// <see cref="CorpusPeers.ReferenceRoot"/> (in a temporary folder renamed at the end, so an
/// interrupted build leaves nothing), then only read.
/// </summary>
internal sealed partial class CSharpReference
{
    private const string BuildInfoFile = "build-info.txt";

    private CSharpReference(string root, bool builtNow, TimeSpan elapsed)
    {
        Root = root;
        BuiltNow = builtNow;
        Elapsed = elapsed;
        CorpusInputs = File.ReadAllLines(Path.Combine(root, "corpus-inputs.txt"));
        WktInputs = File.ReadAllLines(Path.Combine(root, "wkt-inputs.txt"));
        Excluded = [.. File.ReadAllLines(Path.Combine(root, "excluded.tsv")).Select(l => l.Split('\t', 2)).Select(p => new ExcludedFile(p[0], p[1]))];
        BuildInfo = File.ReadAllLines(Path.Combine(root, BuildInfoFile));
        Corpus = GeneratedTree.Load(Path.Combine(root, "corpus"));
        Wkt = GeneratedTree.Load(Path.Combine(root, "wkt"));
    }

    public string Root { get; }

    /// <summary>Whether this process built the cache (rather than finding it).</summary>
    public bool BuiltNow { get; }

    /// <summary>How long building or loading the cache took here.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The corpus files given to protoc (virtual paths, relative to the corpus root).</summary>
    public IReadOnlyList<string> CorpusInputs { get; }

    /// <summary>The well-known types given to protoc (virtual paths, relative to the include folder).</summary>
    public IReadOnlyList<string> WktInputs { get; }

    /// <summary>Corpus files protoc rejects or whose C# file collides with another one's.</summary>
    public IReadOnlyList<ExcludedFile> Excluded { get; }

    /// <summary>How the cache was built: protoc's version, each step's wall time.</summary>
    public IReadOnlyList<string> BuildInfo { get; }

    public GeneratedTree Corpus { get; }

    public GeneratedTree Wkt { get; }

    public static CSharpReference LoadOrBuild()
    {
        CorpusPeers.Require();
        var watch = Stopwatch.StartNew();
        var root = CorpusPeers.ReferenceRoot;
        var builtNow = false;
        if (!File.Exists(Path.Combine(root, BuildInfoFile)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(root)!);
            var temp = $"{root}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
            Directory.CreateDirectory(temp);
            try
            {
                Build(temp);
                try
                {
                    if (Directory.Exists(root))
                    {
                        // A folder without build-info.txt is not ours to trust (hand-made or foreign).
                        Directory.Delete(root, recursive: true);
                    }

                    Directory.Move(temp, root);
                    builtNow = true;
                }
                catch (IOException) when (File.Exists(Path.Combine(root, BuildInfoFile)))
                {
                    // Another process finished first: use its copy.
                }
            }
            finally
            {
                if (Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }
        }

        return new CSharpReference(root, builtNow, watch.Elapsed);
    }

    private static void Build(string dir)
    {
        var log = new List<string>();
        var (_, version) = CorpusPeers.RunProtocStdout(["--version"]);
        log.Add($"protoc: {CorpusPeers.Protoc} ({version.Trim()})");
        log.Add($"corpus: {CorpusPeers.Corpus}");
        log.Add($"built: {DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)} on {Environment.ProcessorCount} cores");
        var corpus = CorpusPeers.Corpus;
        var all = CorpusPeers.ProtoFiles(corpus);
        var excluded = new List<ExcludedFile>();
        var argsFile = Path.Combine(dir, "args.txt");

        // 1. The files protoc accepts: drop the files it names in errors until it succeeds
        // (a file importing a rejected one is rejected in turn).
        var inputs = all;
        var setFile = Path.Combine(dir, "accepted.pb");
        var watch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            File.WriteAllLines(argsFile, inputs);
            var (code, stderr) = CorpusPeers.RunProtoc(corpus, ["-I.", "--descriptor_set_out=" + setFile, "@" + argsFile]);
            if (code == 0)
            {
                log.Add($"accept: protoc accepts {inputs.Count} of {all.Count} corpus files ({attempt} descriptor-set runs, {watch.Elapsed.TotalSeconds:F1} s)");
                break;
            }

            var current = inputs.ToHashSet(StringComparer.Ordinal);
            var bad = ErrorsByFile(stderr).Where(e => current.Contains(e.Key)).ToList();
            if (bad.Count == 0 || attempt >= 25)
            {
                throw new InvalidOperationException($"protoc keeps rejecting the corpus after {attempt} runs:\n{Head(stderr, 20)}");
            }

            excluded.AddRange(bad.Select(b => new ExcludedFile(b.Key, "protoc rejects it: " + b.Value)));
            var badSet = bad.Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
            inputs = inputs.Where(f => !badSet.Contains(f)).ToList();
        }

        // 2. Files whose C# file has the path of another's: protoc fails the whole run with
        // "Tried to write the same file twice", so keep the first (ordinal order) of each group.
        var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(setFile));
        var predicted = set.File.ToDictionary(f => f.Name, CSharpNames.OutputPath, StringComparer.Ordinal);
        File.Delete(setFile);
        var collisions = 0;
        foreach (var group in inputs.GroupBy(f => predicted[f], StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var kept = group.First();
            foreach (var other in group.Skip(1))
            {
                excluded.Add(new ExcludedFile(other, $"its C# file {group.Key} is also {kept}'s (protoc: \"Tried to write the same file twice\"); {kept} is kept"));
                collisions++;
            }
        }

        var collided = excluded.Select(e => e.File).ToHashSet(StringComparer.Ordinal);
        inputs = inputs.Where(f => !collided.Contains(f)).ToList();

        // 3. One protoc run for the whole corpus. If protoc still finds a collision the naming
        // rule above missed, drop that group too and run again.
        var output = Path.Combine(dir, "corpus");
        for (var attempt = 1; ; attempt++)
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Directory.CreateDirectory(output);
            File.WriteAllLines(argsFile, inputs);
            watch.Restart();
            var (code, stderr) = CorpusPeers.RunProtoc(corpus, ["-I.", "--csharp_out=" + output, "--csharp_opt=base_namespace=", "@" + argsFile]);
            if (code == 0)
            {
                log.Add($"corpus: protoc --csharp_out over {inputs.Count} files in one run: {watch.Elapsed.TotalSeconds:F1} s");
                break;
            }

            var twice = TriedTwice().Match(stderr);
            var same = twice.Success ? inputs.Where(f => string.Equals(predicted[f], twice.Groups["path"].Value, StringComparison.OrdinalIgnoreCase)).ToList() : [];
            if (same.Count < 2 || attempt >= 10)
            {
                throw new InvalidOperationException($"protoc --csharp_out failed over {inputs.Count} accepted files:\n{Head(stderr, 20)}");
            }

            foreach (var other in same.Skip(1))
            {
                excluded.Add(new ExcludedFile(other, $"protoc: \"{twice.Value.Trim()}\" (also written by {same[0]}, which is kept)"));
                collisions++;
            }

            var drop = same.Skip(1).ToHashSet(StringComparer.Ordinal);
            inputs = inputs.Where(f => !drop.Contains(f)).ToList();
        }

        log.Add($"excluded: {excluded.Count} corpus files ({excluded.Count - collisions} rejected by protoc, {collisions} colliding)");
        var mispredicted = inputs.Count(f => !File.Exists(Path.Combine(output, predicted[f])));
        log.Add($"naming check: {inputs.Count - mispredicted} of {inputs.Count} output paths predicted by the harness's naming rule");

        // 4. The well-known types, from protoc's own include folder.
        var include = CorpusPeers.Include;
        var wkt = CorpusPeers.ProtoFiles(Path.Combine(include, "google", "protobuf"), SearchOption.TopDirectoryOnly).Select(f => "google/protobuf/" + f).ToList();
        var wktOutput = Path.Combine(dir, "wkt");
        Directory.CreateDirectory(wktOutput);
        watch.Restart();
        var (wktCode, wktError) = CorpusPeers.RunProtoc(include, ["-I.", "--csharp_out=" + wktOutput, "--csharp_opt=base_namespace=", .. wkt]);
        if (wktCode != 0)
        {
            throw new InvalidOperationException($"protoc --csharp_out failed over the well-known types:\n{Head(wktError, 20)}");
        }

        log.Add($"wkt: protoc --csharp_out over {wkt.Count} well-known types: {watch.Elapsed.TotalSeconds:F1} s");
        File.Delete(argsFile);
        File.WriteAllLines(Path.Combine(dir, "corpus-inputs.txt"), inputs);
        File.WriteAllLines(Path.Combine(dir, "wkt-inputs.txt"), wkt);
        File.WriteAllLines(Path.Combine(dir, "excluded.tsv"), excluded.OrderBy(e => e.File, StringComparer.Ordinal).Select(e => $"{e.File}\t{e.Reason}"));
        File.WriteAllLines(Path.Combine(dir, BuildInfoFile), log); // last: its presence marks a complete cache
    }

    /// <summary>The first error protoc printed for each file it names (warnings ignored).</summary>
    private static Dictionary<string, string> ErrorsByFile(string stderr)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stderr.Split('\n'))
        {
            var m = ErrorLine().Match(line.TrimEnd('\r'));
            if (m.Success && !line.Contains(": warning:", StringComparison.Ordinal))
            {
                errors.TryAdd(m.Groups["file"].Value, line.Trim());
            }
        }

        return errors;
    }

    private static string Head(string text, int lines) => string.Join('\n', text.Split('\n').Take(lines));

    [GeneratedRegex(@"^(?<file>[^:\s][^:]*\.proto):")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^(?<path>.+): Tried to write the same file twice\.", RegexOptions.Multiline)]
    private static partial Regex TriedTwice();
}

/// <summary>
/// protoc's C# output path with <c>base_namespace=</c> (protobuf <c>compiler/csharp/names.cc</c>):
/// the file namespace as folders, then the Pascal-cased base name. Used only to predict collisions.
/// </summary>
internal static class CSharpNames
{
    public static string OutputPath(FileDescriptorProto file)
    {
        var ns = file.Options?.HasCsharpNamespace == true ? file.Options.CsharpNamespace : UnderscoresToCamelCase(file.Package, true, true);
        var name = file.Name[(file.Name.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".proto", StringComparison.Ordinal))
        {
            name = name[..^".proto".Length];
        }

        var folder = ns.Replace('.', '/');
        return (folder.Length > 0 ? folder + "/" : "") + UnderscoresToCamelCase(name, true, false) + ".cs";
    }

    public static string UnderscoresToCamelCase(string input, bool capitalizeNext, bool preservePeriod)
    {
        var result = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c is >= 'a' and <= 'z')
            {
                result.Append(capitalizeNext ? (char)(c - 'a' + 'A') : c);
                capitalizeNext = false;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                result.Append(i == 0 && !capitalizeNext ? (char)(c - 'A' + 'a') : c);
                capitalizeNext = false;
            }
            else if (c is >= '0' and <= '9')
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
                if (c == '.' && preservePeriod)
                {
                    result.Append('.');
                }
            }
        }

        if (input.EndsWith('#'))
        {
            result.Append('_');
        }

        return result.ToString();
    }
}
