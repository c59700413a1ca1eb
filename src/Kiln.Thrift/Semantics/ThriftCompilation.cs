using Kiln.Text;

namespace Kiln.Thrift.Semantics;

/// <summary>
/// A root file and everything it includes, parsed by the caller and bound here, each file once,
/// includes before includers. Include cycles are found with an explicit stack (no recursion, so
/// a long include chain cannot overflow the stack) and reported in the file that closes the cycle.
/// </summary>
public sealed class ThriftCompilation
{
    private readonly Dictionary<string, BoundFile> _bound;
    private readonly Dictionary<string, ParsedFile> _parsed;

    private ThriftCompilation(ParsedFile root, Dictionary<string, ParsedFile> parsed, Dictionary<string, BoundFile> bound, List<string> order, ThriftOptions options)
    {
        RootPath = root.Path;
        Options = options;
        _parsed = parsed;
        _bound = bound;
        FilesInBindOrder = order;
    }

    public string RootPath { get; }

    /// <summary>The compiler flags the files were bound with and <see cref="Diagnostics"/> are filtered by.</summary>
    public ThriftOptions Options { get; }

    public BoundFile Root => _bound[RootPath];

    /// <summary>The paths of all files, includes before the files that include them; the root is last.</summary>
    public IReadOnlyList<string> FilesInBindOrder { get; }

    public BoundFile GetBoundFile(string path) => _bound[path];

    public ParsedFile GetParsedFile(string path) => _parsed[path];

    /// <summary>Parse and bind diagnostics of every file that <see cref="Options"/> report, by file (in bind order) then position.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics
    {
        get
        {
            var all = new List<Diagnostic>();
            foreach (var path in FilesInBindOrder)
            {
                var fileDiagnostics = new List<Diagnostic>(_parsed[path].Diagnostics);
                fileDiagnostics.AddRange(_bound[path].Diagnostics);
                all.AddRange(Options.Filter(DiagnosticOrder.Sort(fileDiagnostics)));
            }

            return all;
        }
    }

    public bool HasErrors => Diagnostics.Any(diagnostic => diagnostic.IsError);

    public static ThriftCompilation Create(ParsedFile root, Func<string, string, ParsedFile?> resolveInclude, ThriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(resolveInclude);
        options ??= ThriftOptions.Default;

        var parsed = new Dictionary<string, ParsedFile>(StringComparer.Ordinal) { [root.Path] = root };
        var bound = new Dictionary<string, BoundFile>(StringComparer.Ordinal);
        var order = new List<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);

        // Per file: the outcome of each include, filled in as the walk goes.
        var outcomes = new Dictionary<string, Dictionary<string, IncludeOutcome>>(StringComparer.Ordinal);
        var stack = new List<(ParsedFile File, List<(string IncludePath, ParsedFile? Target)> Includes, int Next)>();

        void Push(ParsedFile file)
        {
            var includes = new List<(string, ParsedFile?)>();
            foreach (var header in file.Syntax.Headers)
            {
                if (header is Syntax.IncludeSyntax include)
                {
                    ParsedFile? target = null;
                    try
                    {
                        target = resolveInclude(include.Path, file.Path);
                    }
                    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
                    {
                        // A resolver that reads the disk may fail; to the user this is a missing include.
                    }

                    includes.Add((include.Path, target));
                }
            }

            onStack.Add(file.Path);
            outcomes[file.Path] = new Dictionary<string, IncludeOutcome>(StringComparer.Ordinal);
            stack.Add((file, includes, 0));
        }

        Push(root);
        while (stack.Count > 0)
        {
            var top = stack.Count - 1;
            var (file, includes, next) = stack[top];
            if (next < includes.Count)
            {
                stack[top] = (file, includes, next + 1);
                var (includePath, target) = includes[next];
                var fileOutcomes = outcomes[file.Path];
                if (target is null)
                {
                    fileOutcomes.TryAdd(includePath, IncludeOutcome.NotFound);
                }
                else if (onStack.Contains(target.Path))
                {
                    var cycle = new List<string>();
                    var start = stack.FindIndex(frame => frame.File.Path == target.Path);
                    for (var i = start; i < stack.Count; i++)
                    {
                        cycle.Add(stack[i].File.Path);
                    }

                    cycle.Add(target.Path);
                    fileOutcomes.TryAdd(includePath, IncludeOutcome.Cycle(cycle.ToEquatableArray()));
                }
                else if (bound.TryGetValue(target.Path, out var done))
                {
                    fileOutcomes.TryAdd(includePath, IncludeOutcome.Found(done.Model));
                }
                else
                {
                    parsed.TryAdd(target.Path, target);
                    Push(parsed[target.Path]);
                }

                continue;
            }

            // All includes are bound (or failed): fill in the found ones, then bind this file.
            var own = outcomes[file.Path];
            foreach (var (includePath, target) in includes)
            {
                if (target is not null && !own.ContainsKey(includePath) && bound.TryGetValue(target.Path, out var included))
                {
                    own[includePath] = IncludeOutcome.Found(included.Model);
                }
            }

            var result = ThriftBinder.BindFile(
                file,
                includePath => own.TryGetValue(includePath, out var outcome) ? outcome : IncludeOutcome.NotFound,
                path => bound.TryGetValue(path, out var other) ? other.Model : null,
                options);
            bound[file.Path] = result;
            order.Add(file.Path);
            onStack.Remove(file.Path);
            stack.RemoveAt(top);
        }

        return new ThriftCompilation(root, parsed, bound, order, options);
    }
}
