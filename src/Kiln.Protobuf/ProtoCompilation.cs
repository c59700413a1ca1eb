using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>
/// A simple non-incremental driver: parses and links files on demand through a loader that maps a
/// virtual import path to its text (the caller does the disk IO). Each file is parsed and linked
/// once; import cycles are reported, never followed. The incremental engine drives
/// <see cref="ProtoParser.Parse"/> and <see cref="ProtoLinker.Link(ParsedProtoFile, IReadOnlyList{LinkedProtoFile?}, LinkOptions?)"/>
/// itself.
/// </summary>
public sealed class ProtoCompilation
{
    private readonly Func<string, SourceText?> _load;
    private readonly LinkOptions _options;
    private readonly Dictionary<string, LinkedProtoFile?> _linked = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _diagnostics = [];

    public ProtoCompilation(Func<string, SourceText?> load, LinkOptions? options = null)
    {
        _load = load;
        _options = options ?? LinkOptions.Default;
    }

    /// <summary>Diagnostics about files as a whole (not found, import cycles).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Parses and links <paramref name="path"/> and its imports; null if the file does not exist.</summary>
    public LinkedProtoFile? Compile(string path)
    {
        if (_linked.TryGetValue(path, out var done))
        {
            return done;
        }

        // Iterative post-order over imports (explicit stack: import chains can be long).
        var parsed = new Dictionary<string, ParsedProtoFile?>(StringComparer.Ordinal);
        var stack = new List<(string Path, int Next)> { (path, 0) };
        var onStack = new HashSet<string>(StringComparer.Ordinal) { path };
        while (stack.Count > 0)
        {
            var (current, next) = stack[^1];
            if (!parsed.TryGetValue(current, out var file))
            {
                var text = _load(current);
                file = text == null ? null : ProtoParser.Parse(text);
                parsed[current] = file;
                if (file == null)
                {
                    _diagnostics.Add(ProtobufDiagnostics.FileNotFound.ForFile(current, current));
                }
            }

            var imports = file == null ? 0 : file.Imports.Count + file.OptionImports.Count;
            if (file != null && !file.HasErrors && next < imports)
            {
                stack[^1] = (current, next + 1);
                var import = next < file.Imports.Count ? file.Imports[next] : file.OptionImports[next - file.Imports.Count];
                if (_linked.ContainsKey(import))
                {
                    continue;
                }

                if (onStack.Contains(import))
                {
                    var cycle = new List<string>();
                    var start = stack.FindIndex(s => s.Path == import);
                    for (var i = start; i < stack.Count; i++)
                    {
                        cycle.Add(stack[i].Path);
                    }

                    cycle.Add(import);
                    _diagnostics.Add(ProtobufDiagnostics.ImportCycle.ForFile(current, string.Join(" -> ", cycle)));
                    _linked[import] = null;
                    continue;
                }

                onStack.Add(import);
                stack.Add((import, 0));
                continue;
            }

            stack.RemoveAt(stack.Count - 1);
            onStack.Remove(current);
            if (_linked.ContainsKey(current))
            {
                continue;
            }

            _linked[current] = file == null ? null : ProtoLinker.Link(file, p => _linked.GetValueOrDefault(p), _options);
        }

        return _linked.GetValueOrDefault(path);
    }

    /// <summary>
    /// A <see cref="FileDescriptorSet"/> as <c>protoc --descriptor_set_out</c> writes it: the roots in
    /// order, each preceded by its imports (post-order, no repeats) when <paramref name="includeImports"/>.
    /// </summary>
    public FileDescriptorSet BuildDescriptorSet(IEnumerable<string> roots, bool includeImports, bool includeSourceInfo, out bool hadErrors)
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        hadErrors = false;
        foreach (var root in roots)
        {
            var file = Compile(root);
            if (file == null || file.HasErrors)
            {
                hadErrors = true;
                continue;
            }

            if (includeImports)
            {
                ImportOrder.AddTransitive(file, seen, f => set.File.Add(f.ToDescriptorProto(includeSourceInfo)));
            }
            else if (seen.Add(file.Path))
            {
                set.File.Add(file.ToDescriptorProto(includeSourceInfo));
            }
        }

        return set;
    }
}
