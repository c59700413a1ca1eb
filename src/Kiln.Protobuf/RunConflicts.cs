using Google.Protobuf.Reflection;
using Kiln.Protobuf.Linking;
using Kiln.Protobuf.Syntax;
using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>
/// protoc builds every file of one run into one descriptor pool, so a file defining a name that an
/// unrelated file built earlier in the run also defines is an error, though each links alone.
/// Kiln links each file against its imports only (a pure query), and this pass adds what the shared
/// pool would have said, walking the files in protoc's build order and each file's names in the
/// order protoc adds them.
/// </summary>
public static class RunConflicts
{
    /// <summary>
    /// The "already defined in file" errors protoc reports for <paramref name="files"/> (in protoc's
    /// build order: imports before importers), by file. Conflicts with a file's own imports are the
    /// linker's to report and are not repeated. <paramref name="parse"/> gives a file's parse, asked
    /// only for a file with a conflict (to place the errors).
    /// </summary>
    public static Dictionary<string, List<Diagnostic>> Find(IReadOnlyList<LinkedProtoFile> files, Func<string, ParsedProtoFile> parse)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(parse);
        // Sized once: a whole corpus defines about a million names, and each doubling of a table that
        // size is a large-object allocation the collector pays for.
        var names = 0;
        foreach (var linked in files)
        {
            names += linked.Symbols.Count;
        }

        var owners = new Dictionary<string, (LinkedProtoFile File, bool IsPackage)>(names, StringComparer.Ordinal);
        var result = new Dictionary<string, List<Diagnostic>>(StringComparer.Ordinal);
        foreach (var linked in files)
        {
            // The linker's symbol table holds the same names; its keys cost nothing to look up.
            var conflict = false;
            HashSet<LinkedProtoFile>? closure = null;
            foreach (var (name, symbol) in linked.Symbols)
            {
                if (owners.TryGetValue(name, out var owner) && !(owner.IsPackage && symbol.Kind == SymbolKind.Package)
                    && !(closure ??= Closure(linked)).Contains(owner.File))
                {
                    conflict = true;
                    break;
                }
            }

            if (conflict)
            {
                result[linked.Path] = Errors(parse(linked.Path), linked, owners, closure!);
            }
            else if (!linked.HasErrors)
            {
                // A file that fails leaves nothing in protoc's pool (its names are rolled back).
                foreach (var (name, symbol) in linked.Symbols)
                {
                    owners.TryAdd(name, (linked, symbol.Kind == SymbolKind.Package));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Visits the names of <paramref name="file"/> that can clash with another file's (with true
    /// for a package): its package, its top-level messages, enums, services and extensions, and the
    /// values of its top-level enums (siblings of the enum). Names nested in the file's own types
    /// cannot clash without their enclosing type clashing first, so when a run had no conflict and
    /// an edit keeps these names, the edit made none either: a new process that reloads only the
    /// edited files need not run <see cref="Find"/> over the files it did not load.
    /// </summary>
    public static void VisitClashableNames(LinkedProtoFile file, Action<string, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(visit);
        foreach (var (name, symbol) in file.Symbols)
        {
            if (symbol.Parent is null || (symbol.Kind == SymbolKind.EnumValue && symbol.Parent.Parent is null))
            {
                visit(name, symbol.Kind == SymbolKind.Package);
            }
        }
    }

    /// <summary>A conflicting file's errors, in the order protoc adds its names.</summary>
    private static List<Diagnostic> Errors(ParsedProtoFile parsed, LinkedProtoFile linked, Dictionary<string, (LinkedProtoFile File, bool IsPackage)> owners, HashSet<LinkedProtoFile> closure)
    {
        var errors = new List<Diagnostic>();
        foreach (var (fullName, element, isPackage) in Names(parsed.Proto))
        {
            if (!owners.TryGetValue(fullName, out var owner) || (owner.IsPackage && isPackage) || closure.Contains(owner.File))
            {
                continue;
            }

            var message = isPackage
                ? $"\"{fullName}\" is already defined (as something other than a package) in file \"{owner.File.Path}\"."
                : $"\"{fullName}\" is already defined in file \"{owner.File.Path}\".";
            parsed.Locations.Find(element, ErrorLocation.Name, out var line, out var column);
            errors.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.AlreadyDefined, linked.Path, line, column, message));
        }

        return errors;
    }

    private static HashSet<LinkedProtoFile> Closure(LinkedProtoFile file)
    {
        var seen = new HashSet<LinkedProtoFile>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<LinkedProtoFile>();
        stack.Push(file);
        while (stack.Count > 0)
        {
            foreach (var dependency in stack.Pop().Dependencies)
            {
                if (dependency != null && seen.Add(dependency))
                {
                    stack.Push(dependency);
                }
            }
        }

        return seen;
    }

    private static string Join(string scope, string name) => scope.Length == 0 ? name : scope + "." + name;

    /// <summary>A file's names in the order protoc's <c>DescriptorBuilder</c> adds them: package, messages, enums, services, extensions.</summary>
    private static IEnumerable<(string FullName, object Element, bool IsPackage)> Names(FileDescriptorProto file)
    {
        var package = file.Package;
        for (var end = package.Length; end > 0; end = package.LastIndexOf('.', end - 1))
        {
            yield return (package[..end], file, true);
        }

        foreach (var m in file.MessageType)
        {
            foreach (var name in MessageNames(m, package))
            {
                yield return name;
            }
        }

        foreach (var e in file.EnumType)
        {
            foreach (var name in EnumNames(e, package))
            {
                yield return name;
            }
        }

        foreach (var s in file.Service)
        {
            var full = Join(package, s.Name);
            foreach (var method in s.Method)
            {
                yield return (full + "." + method.Name, method, false);
            }

            yield return (full, s, false);
        }

        foreach (var x in file.Extension)
        {
            yield return (Join(package, x.Name), x, false);
        }
    }

    /// <summary>A message's names: its oneofs, fields, enums, extensions and nested messages, then itself.</summary>
    private static IEnumerable<(string FullName, object Element, bool IsPackage)> MessageNames(DescriptorProto message, string scope)
    {
        var full = Join(scope, message.Name);
        foreach (var o in message.OneofDecl)
        {
            yield return (full + "." + o.Name, o, false);
        }

        foreach (var f in message.Field)
        {
            yield return (full + "." + f.Name, f, false);
        }

        foreach (var e in message.EnumType)
        {
            foreach (var name in EnumNames(e, full))
            {
                yield return name;
            }
        }

        foreach (var x in message.Extension)
        {
            yield return (full + "." + x.Name, x, false);
        }

        foreach (var nested in message.NestedType)
        {
            foreach (var name in MessageNames(nested, full))
            {
                yield return name;
            }
        }

        yield return (full, message, false);
    }

    /// <summary>An enum's values (siblings of the enum, C++ scoping), then the enum.</summary>
    private static IEnumerable<(string FullName, object Element, bool IsPackage)> EnumNames(EnumDescriptorProto e, string scope)
    {
        foreach (var v in e.Value)
        {
            yield return (Join(scope, v.Name), v, false);
        }

        yield return (Join(scope, e.Name), e, false);
    }
}

/// <summary>
/// The names the files of a run define (packages aside), kept current as files change, so that
/// a long-lived workspace can answer cheaply whether an edit can have made a conflict at all:
/// only when some name is defined by two files. When none is, <see cref="RunConflicts.Find"/>
/// need not run; when one is, the caller runs it (its messages are protoc's). Not thread-safe.
/// </summary>
public sealed class RunNameIndex
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedProtoFile> _files = new(StringComparer.Ordinal);
    private int _shared;

    public RunNameIndex(IEnumerable<LinkedProtoFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            Replace(file);
        }
    }

    /// <summary>True when some name is defined by more than one file (a conflict, or a linker error between related files).</summary>
    public bool MayConflict => _shared > 0;

    /// <summary>Puts the new version of a file in place of the old one (or adds it).</summary>
    public void Replace(LinkedProtoFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_files.TryGetValue(file.Path, out var old))
        {
            if (ReferenceEquals(old, file))
            {
                return;
            }

            foreach (var (name, symbol) in old.Symbols)
            {
                if (symbol.Kind != SymbolKind.Package && --_counts[name] == 1)
                {
                    _shared--;
                }
            }
        }

        _files[file.Path] = file;
        foreach (var (name, symbol) in file.Symbols)
        {
            if (symbol.Kind != SymbolKind.Package)
            {
                var count = _counts.GetValueOrDefault(name) + 1;
                _counts[name] = count;
                if (count == 2)
                {
                    _shared++;
                }
            }
        }
    }
}
