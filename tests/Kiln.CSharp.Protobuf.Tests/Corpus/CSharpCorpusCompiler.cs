using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>
/// Which generated files compile together: each root with every file it imports (transitively,
/// from the embedded descriptors' dependencies), minus the ones Google.Protobuf already has (the
/// well-known types), packed into as few compilations as possible such that no two files of one
/// compilation declare the same type. Planned on protoc's output; Kiln's is compiled with the same plan.
/// </summary>
internal sealed record CompilePlan(IReadOnlyList<IReadOnlyList<string>> Groups, IReadOnlyList<string> Roots, IReadOnlyList<string> Skipped)
{
    /// <summary>Source bytes a compilation may hold before the next one starts (memory: Roslyn needs several times the text).</summary>
    private const long GroupBytes = 64L << 20;

    public int FileCount => Groups.Sum(g => g.Count);

    /// <summary>About <paramref name="count"/> files spread evenly over the sorted list (every n-th).</summary>
    public static List<string> Sample(IReadOnlyList<string> files, int count) =>
        files.Count <= count ? [.. files] : [.. Enumerable.Range(0, count).Select(i => files[(int)((long)i * files.Count / count)])];

    public static CompilePlan Create(GeneratedTree reference, IReadOnlyList<string> roots)
    {
        var infos = new ConcurrentDictionary<string, FileFacts>(StringComparer.Ordinal);
        FileFacts Facts(string file) => infos.GetOrAdd(file, f => FileFacts.Of(reference, f));

        // Facts of the roots in parallel (the corpus run parses every file once for its type names).
        Parallel.ForEach(roots, root => Facts(root));

        var groups = new List<Group>();
        var skipped = new List<string>();
        foreach (var root in roots)
        {
            // The root and what it imports, transitively.
            var closure = new List<string> { root };
            var seen = new HashSet<string>(StringComparer.Ordinal) { root };
            string? unresolved = null;
            for (var i = 0; i < closure.Count && unresolved == null; i++)
            {
                foreach (var dependency in Facts(closure[i]).Dependencies)
                {
                    var file = reference.FileFor(dependency);
                    if (file == null)
                    {
                        unresolved = $"{root}: imports {dependency} (through {closure[i]}), which has no C# file";
                        break;
                    }

                    if (seen.Add(file) && !Facts(file).InGoogleProtobuf)
                    {
                        closure.Add(file);
                    }
                }
            }

            if (unresolved != null)
            {
                skipped.Add(unresolved);
                continue;
            }

            var bytes = closure.Sum(f => Facts(f).Bytes);
            var group = groups.Find(g => (g.Bytes == 0 || g.Bytes + bytes <= GroupBytes) && closure.TrueForAll(f => g.Accepts(f, Facts(f))));
            if (group == null)
            {
                group = new Group();
                groups.Add(group);
            }

            closure.ForEach(f => group.Add(f, Facts(f)));
        }

        return new CompilePlan([.. groups.Select(g => (IReadOnlyList<string>)[.. g.Files.Order(StringComparer.Ordinal)])], roots, skipped);
    }

    /// <summary>
    /// One compilation being planned: its files and who declares each name. A type may not be
    /// declared by two files, nor share its full name with a namespace of another file
    /// (<c>Google.Cloud.AIPlatform.V1.Schema</c> is a message and a namespace: CS0101).
    /// </summary>
    private sealed class Group
    {
        private readonly Dictionary<string, (string File, bool IsType)> _names = new(StringComparer.Ordinal);

        public HashSet<string> Files { get; } = new(StringComparer.Ordinal);

        public long Bytes { get; private set; }

        public bool Accepts(string file, FileFacts facts) =>
            Files.Contains(file) ||
            (facts.Types.All(t => !_names.TryGetValue(t, out var owner) || (owner.IsType && owner.File == file)) &&
             facts.Namespaces.All(n => !_names.TryGetValue(n, out var owner) || !owner.IsType));

        public void Add(string file, FileFacts facts)
        {
            if (!Files.Add(file))
            {
                return;
            }

            Bytes += facts.Bytes;
            foreach (var type in facts.Types)
            {
                _names[type] = (file, true);
            }

            foreach (var ns in facts.Namespaces)
            {
                _names.TryAdd(ns, (file, false));
            }
        }
    }

    /// <summary>What the plan needs of one generated file.</summary>
    private sealed record FileFacts(IReadOnlyList<string> Dependencies, IReadOnlyList<string> Types, IReadOnlyList<string> Namespaces, bool InGoogleProtobuf, long Bytes)
    {
        public static FileFacts Of(GeneratedTree tree, string file)
        {
            var text = tree.Read(file);
            var dependencies = DescriptorBlob.Parse(DescriptorBlob.Extract(text))?.Dependency.ToList()
                ?? throw new InvalidOperationException($"{tree.FullPath(file)}: no readable descriptor blob");
            var types = new List<string>();
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            CollectTypes(CSharpSyntaxTree.ParseText(text).GetCompilationUnitRoot().Members, "", types, namespaces);
            var library = typeof(Google.Protobuf.IMessage).Assembly;
            return new FileFacts(dependencies, types, [.. namespaces], types.Exists(t => library.GetType(t) != null), text.Length);
        }

        private static void CollectTypes(SyntaxList<MemberDeclarationSyntax> members, string ns, List<string> types, HashSet<string> namespaces)
        {
            foreach (var member in members)
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax n:
                        var inner = ns;
                        foreach (var part in n.Name.ToString().Split('.'))
                        {
                            inner = inner.Length == 0 ? part : inner + "." + part;
                            namespaces.Add(inner);
                        }

                        CollectTypes(n.Members, inner, types, namespaces);
                        break;
                    case BaseTypeDeclarationSyntax t:
                        types.Add(ns.Length == 0 ? t.Identifier.Text : ns + "." + t.Identifier.Text);
                        break;
                }
            }
        }
    }
}

/// <summary>
/// Compiles generated C# with Roslyn against Google.Protobuf, Grpc.Core.Api and the runtime
/// (diagnostics only, no emit). A compilation of files byte-identical to one compiled before in
/// this run (same paths, same text) is not compiled again: its outcome is reused.
/// </summary>
internal sealed class CSharpCorpusCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToHashSet(StringComparer.Ordinal);
        paths.Add(typeof(Google.Protobuf.IMessage).Assembly.Location);
        paths.Add(typeof(global::Grpc.Core.Metadata).Assembly.Location);
        return [.. paths.Where(File.Exists).Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private readonly ConcurrentDictionary<string, Lazy<Outcome>> _outcomes = new(StringComparer.Ordinal);

    /// <summary>
    /// Errors in protoc's own output (<c>file: CSnnnn</c>), with why: Kiln reproduces protoc, so
    /// they are expected of both. Any other error fails the test.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KnownProtocErrors { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Google/Cloud/Compute/V1Beta/Compute.cs: CS0542"] =
            "message CapacityHistoryRequest has a nested enum named Types: protoc puts it in the message's Types class (enum Types inside class Types)",

        // grpc_csharp_plugin 2.85's output (Kiln's is byte-identical): service ConfigServiceV2 has methods
        // CreateBucket and CreateBucketAsync (UpdateBucket, UpdateBucketAsync), and the client's async
        // overloads of the first clash with the sync ones of the second.
        ["grpc:Google/Cloud/Logging/V2/LoggingConfigGrpc.cs: CS0111"] =
            "grpc_csharp_plugin: methods CreateBucket and CreateBucketAsync both give the client CreateBucketAsync(request, ...) overloads",
        ["grpc:Google/Cloud/Logging/V2/LoggingConfigGrpc.cs: CS0121"] =
            "grpc_csharp_plugin: the clashing CreateBucketAsync / UpdateBucketAsync overloads make their calls ambiguous",
    };

    /// <summary>One compilation's diagnostics: errors (known ones by key, the first others with their lines) and warnings by id.</summary>
    private sealed record Outcome(int Errors, int Unexpected, IReadOnlyList<string> Known, IReadOnlyList<string> FirstUnexpected, IReadOnlyDictionary<string, int> Warnings);

    /// <summary>The outcome of compiling one tree by a plan.</summary>
    public sealed record Result(
        int Groups, int Files, int GrpcFiles, long Bytes, int Errors, int Unexpected, IReadOnlyList<string> Known, IReadOnlyDictionary<string, int> Warnings,
        int Reused, IReadOnlyList<string> Missing, string FirstErrors, TimeSpan Elapsed)
    {
        public string Summary(string label) =>
            $"{label}: {Files} files{(GrpcFiles > 0 ? $" (of which {GrpcFiles} gRPC)" : "")} ({Bytes / 1e6:F1} MB) in {Groups} compilations: {Errors} errors ({Unexpected} unexpected, {Errors - Unexpected} known in protoc's output), " +
            $"{Warnings.Values.Sum()} warnings{(Warnings.Count > 0 ? " (" + string.Join(", ", Warnings.OrderByDescending(w => w.Value).Select(w => $"{w.Key} {w.Value}")) + ")" : "")}" +
            (Missing.Count > 0 ? $", {Missing.Count} files missing" : "") +
            (Reused > 0 ? $"; {Reused} compilations byte-identical to ones already compiled in this run: outcome reused" : "") +
            $" ({Elapsed.TotalSeconds:F1} s)" +
            string.Concat(Known.Select(k => $"\n  known: {k}: {KnownProtocErrors[k]}"));
    }

    /// <summary>
    /// Compiles each group of <paramref name="plan"/> from <paramref name="tree"/>, each C# file with
    /// its gRPC file from <paramref name="grpc"/> when there is one (<c>Foo.cs</c> and <c>FooGrpc.cs</c>,
    /// both under base_namespace folders).
    /// </summary>
    public Result Compile(GeneratedTree tree, CompilePlan plan, int maxErrors = 20, GeneratedTree? grpc = null)
    {
        var watch = Stopwatch.StartNew();
        var present = tree.Files.ToHashSet(StringComparer.Ordinal);
        var grpcPresent = grpc?.Files.ToHashSet(StringComparer.Ordinal) ?? [];
        var grpcFiles = 0;

        // Two compilations at a time: Roslyn alone keeps about one core of two busy on this code.
        var done = new (List<string> Sources, long Bytes, Outcome Outcome, bool Computed)[plan.Groups.Count];
        Parallel.For(0, plan.Groups.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, g =>
        {
            // Names relative to their tree (gRPC ones marked), so equal bytes of two trees share an outcome.
            var sources = plan.Groups[g].Where(present.Contains).ToList();
            var paths = sources.ConvertAll(tree.FullPath);
            foreach (var file in plan.Groups[g])
            {
                var service = file[..^".cs".Length] + "Grpc.cs";
                if (grpcPresent.Contains(service))
                {
                    sources.Add("grpc:" + service);
                    paths.Add(grpc!.FullPath(service));
                    Interlocked.Increment(ref grpcFiles);
                }
            }

            var contents = new byte[sources.Count][];
            Parallel.For(0, sources.Count, i => contents[i] = File.ReadAllBytes(paths[i]));
            var computed = false;
            var outcome = _outcomes.GetOrAdd(Key(sources, contents), _ => new Lazy<Outcome>(() =>
            {
                computed = true;
                return Check(sources, paths, contents, g, maxErrors);
            })).Value;
            done[g] = (sources, contents.Sum(c => (long)c.Length), outcome, computed);
        });

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var known = new SortedSet<string>(StringComparer.Ordinal);
        var warnings = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (errors, unexpected, files, reused, bytes) = (0, 0, 0, 0, 0L);
        var first = new List<string>();
        foreach (var (group, (sources, groupBytes, outcome, computed)) in plan.Groups.Zip(done))
        {
            missing.UnionWith(group.Where(f => !present.Contains(f)));
            files += sources.Count;
            bytes += groupBytes;
            reused += computed ? 0 : 1;
            errors += outcome.Errors;
            unexpected += outcome.Unexpected;
            known.UnionWith(outcome.Known);
            foreach (var (id, count) in outcome.Warnings)
            {
                warnings[id] = warnings.GetValueOrDefault(id) + count;
            }

            first.AddRange(outcome.FirstUnexpected.Take(maxErrors - first.Count));
        }

        return new Result(plan.Groups.Count, files, grpcFiles, bytes, errors, unexpected, [.. known], warnings, reused, [.. missing], string.Concat(first), watch.Elapsed);
    }

    /// <param name="names">Each file's name in reports and in <see cref="KnownProtocErrors"/>: relative to its tree, gRPC ones with <c>grpc:</c> first.</param>
    private static Outcome Check(List<string> names, List<string> paths, byte[][] contents, int index, int maxErrors)
    {
        var nameOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Count; i++)
        {
            nameOf[paths[i]] = names[i];
        }

        var trees = new SyntaxTree[paths.Count];
        Parallel.For(0, paths.Count, i => trees[i] = CSharpSyntaxTree.ParseText(
            SourceText.From(contents[i], contents[i].Length, Encoding.UTF8), ParseOptions, paths[i]));
        var compilation = CSharpCompilation.Create(
            $"Corpus{index}",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, concurrentBuild: true));
        var (errors, unexpected) = (0, 0);
        var known = new SortedSet<string>(StringComparer.Ordinal);
        var warnings = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new List<string>();
        foreach (var diagnostic in compilation.GetDiagnostics())
        {
            if (diagnostic.Severity == DiagnosticSeverity.Warning)
            {
                warnings[diagnostic.Id] = warnings.GetValueOrDefault(diagnostic.Id) + 1;
                continue;
            }

            if (diagnostic.Severity != DiagnosticSeverity.Error)
            {
                continue;
            }

            errors++;
            var span = diagnostic.Location.GetLineSpan();
            var file = nameOf.GetValueOrDefault(span.Path, span.Path);
            var key = $"{file}: {diagnostic.Id}";
            if (KnownProtocErrors.ContainsKey(key))
            {
                known.Add(key);
                continue;
            }

            unexpected++;
            if (first.Count < maxErrors)
            {
                var line = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
                first.Add($"  {file}({span.StartLinePosition.Line + 1}): {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}\n      {line}\n");
            }
        }

        return new Outcome(errors, unexpected, [.. known], first, warnings);
    }

    /// <summary>SHA-256 of the files' relative paths and bytes, in order.</summary>
    private static string Key(List<string> sources, byte[][] contents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < sources.Count; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(sources[i] + "\0" + contents[i].Length.ToString(CultureInfo.InvariantCulture) + "\0"));
            hash.AppendData(contents[i]);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
