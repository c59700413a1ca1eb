using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using Kiln.Text;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;

namespace Kiln.Protobuf.Linking;

/// <summary>One run of protoc's <c>DescriptorBuilder</c> over one parsed file.</summary>
internal sealed partial class FileLinker
{
    private readonly ParsedProtoFile _parsed;
    private readonly IReadOnlyList<LinkedProtoFile?> _dependencies;
    private readonly LinkOptions _options;
    private readonly FileDescriptorProto _out;
    private readonly LinkedProtoFile _file;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly List<LinkedProtoFile> _closure = [];
    private readonly HashSet<LinkedProtoFile> _accessible = [];
    private readonly Dictionary<string, List<LinkedProtoFile>> _byPackage = new(StringComparer.Ordinal);

    /// <summary>
    /// Every package of the closure and each of its dotted prefixes → the first closure file in that
    /// package (what a scan of the closure with <see cref="IsInPackage"/> finds). Name lookups miss
    /// often (scopes are tried innermost first) and each miss used to scan the whole closure.
    /// </summary>
    private readonly Dictionary<string, LinkedProtoFile> _packagePrefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Symbol> _packageSymbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Symbol? Symbol, LinkedProtoFile? File)> _importLookups = new(StringComparer.Ordinal);

    /// <summary>
    /// protoc's <c>unused_dependency_</c>: direct imports no lookup has landed in yet. Imports of
    /// files that themselves import publicly, and this file's own public imports, are never tracked.
    /// </summary>
    private HashSet<LinkedProtoFile>? _unusedImports;
    private bool _hadErrors;

    private LinkedProtoFile? _possibleUndeclaredDependency;
    private string _possibleUndeclaredDependencyName = "";
    private string _undefineResolvedName = "";

    public FileLinker(ParsedProtoFile parsed, IReadOnlyList<LinkedProtoFile?> dependencies, LinkOptions options)
    {
        _parsed = parsed;
        _dependencies = dependencies;
        _options = options;
        _out = parsed.Proto.Clone(); // no source info: ParsedProtoFile keeps it apart
        _file = new LinkedProtoFile(parsed.Path, _out, null, dependencies, [], false);
    }

    private string FilePath => _parsed.Path;

    public LinkedProtoFile Link()
    {
        foreach (var d in _parsed.Diagnostics)
        {
            _diagnostics.Add(d);
        }

        if (_parsed.HasErrors)
        {
            return Finish(hadErrors: true);
        }

        // As protoc's DescriptorBuilder: a bad edition or a missing import is reported and the file
        // is still built and cross-linked (so uses of the missing import's types are reported too);
        // only option interpretation and validation wait for an error-free file.
        var editionOk = CheckEdition();
        if (!CheckDependencies() || !editionOk)
        {
            _hadErrors = true;
        }

        BuildClosure();
        FixHeading();
        AddSymbols();
        CrossLink();
        if (!_hadErrors)
        {
            InterpretAllOptions();
        }

        if (!_hadErrors)
        {
            Validate();
        }

        return Finish(_hadErrors);
    }

    private LinkedProtoFile Finish(bool hadErrors)
    {
        _file.Diagnostics = _diagnostics;
        _file.HasErrors = hadErrors || _hadErrors;
        if (!_file.HasErrors && _unusedImports is { Count: > 0 })
        {
            _file.UnusedImportWarnings = UnusedImportWarnings(_unusedImports);
        }

        if (_options.IncludeSourceInfo && !_file.HasErrors)
        {
            _file.SourceCodeInfo = SourceInfoRewriter.Rewrite(_parsed.SourceCodeInfo, _interpretedPaths, _droppedOptionsPaths, stripSourceRetention: true);
            if (_file.SourceRetentionDescriptor != null)
            {
                _file.SourceRetentionSourceCodeInfo = SourceInfoRewriter.Rewrite(_parsed.SourceCodeInfo, _interpretedPaths, [], stripSourceRetention: false);
            }
        }

        return _file;
    }

    /// <summary>protoc's "Import X is unused." for each import left unused, in import order (protoc's own order is its hash set's).</summary>
    private List<Diagnostic> UnusedImportWarnings(HashSet<LinkedProtoFile> unused)
    {
        var proto = _parsed.Proto;
        var warnings = new List<Diagnostic>();
        for (var i = 0; i < _dependencies.Count && i < proto.Dependency.Count + proto.OptionDependency.Count; i++)
        {
            if (_dependencies[i] is { } d && unused.Remove(d))
            {
                var name = i < proto.Dependency.Count ? proto.Dependency[i] : proto.OptionDependency[i - proto.Dependency.Count];
                _parsed.Locations.FindImport(proto, name, out var line, out var column);
                warnings.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.UnusedImport, FilePath, line, column, name));
            }
        }

        return warnings;
    }

    // ---- errors ---------------------------------------------------------------------------------

    private void AddError(object element, ErrorLocation location, Kiln.Text.DiagnosticDescriptor descriptor, string message)
    {
        _parsed.Locations.Find(element, location, out var line, out var column);
        _diagnostics.Add(ProtobufDiagnostics.At(descriptor, FilePath, line, column, message));
        _hadErrors = true;
    }

    private void AddWarning(object element, ErrorLocation location, string message)
    {
        _parsed.Locations.Find(element, location, out var line, out var column);
        _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.ValidationWarning, FilePath, line, column, message));
    }

    // ---- dependencies ---------------------------------------------------------------------------

    private bool CheckDependencies()
    {
        var proto = _parsed.Proto;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        var all = new List<string>(proto.Dependency);
        all.AddRange(proto.OptionDependency);
        for (var i = 0; i < all.Count; i++)
        {
            var name = all[i];
            if (!seen.Add(name))
            {
                _parsed.Locations.FindImport(proto, name, out var l, out var c);
                _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.ImportListedTwice, FilePath, l, c, name));
                ok = false;
                continue;
            }

            var dep = i < _dependencies.Count ? _dependencies[i] : null;
            if (dep == null || dep.HasErrors)
            {
                _parsed.Locations.FindImport(proto, name, out var l, out var c);
                _diagnostics.Add(ProtobufDiagnostics.At(ProtobufDiagnostics.ImportNotFound, FilePath, l, c, name));
                ok = false;
            }
        }

        return ok;
    }

    private void BuildClosure()
    {
        // All files protoc's pool would hold: the transitive imports.
        var seen = new HashSet<LinkedProtoFile>();
        var stack = new Stack<LinkedProtoFile>();
        foreach (var d in _dependencies)
        {
            if (d != null && seen.Add(d))
            {
                stack.Push(d);
            }
        }

        while (stack.Count > 0)
        {
            var f = stack.Pop();
            _closure.Add(f);
            if (!_byPackage.TryGetValue(f.Package, out var list))
            {
                _byPackage[f.Package] = list = [];
                AddPackagePrefixes(f);
            }

            list.Add(f);
            foreach (var d in f.Dependencies)
            {
                if (d != null && seen.Add(d))
                {
                    stack.Push(d);
                }
            }
        }

        _unusedImports = [];
        foreach (var d in _dependencies)
        {
            if (d != null && d.Descriptor.PublicDependency.Count == 0)
            {
                _unusedImports.Add(d);
            }
        }

        foreach (var index in _parsed.Proto.PublicDependency)
        {
            if (index >= 0 && index < _parsed.Proto.Dependency.Count && index < _dependencies.Count && _dependencies[index] is { } publicImport)
            {
                _unusedImports.Remove(publicImport);
            }
        }

        // Accessible: direct imports and everything they import publicly, transitively.
        var work = new Stack<LinkedProtoFile>();
        foreach (var d in _dependencies)
        {
            if (d != null && _accessible.Add(d))
            {
                work.Push(d);
            }
        }

        while (work.Count > 0)
        {
            var f = work.Pop();
            foreach (var index in f.Descriptor.PublicDependency)
            {
                if (index >= 0 && index < f.Dependencies.Count && f.Dependencies[index] is { } pub && _accessible.Add(pub))
                {
                    work.Push(pub);
                }
            }
        }
    }

    private void AddPackagePrefixes(LinkedProtoFile f)
    {
        var package = f.Package;
        _packagePrefixes.TryAdd(package, f);
        for (var dot = package.IndexOf('.'); dot >= 0; dot = package.IndexOf('.', dot + 1))
        {
            _packagePrefixes.TryAdd(package[..dot], f);
        }
    }

    private void FixHeading()
    {
        if (_out.Syntax == "proto2")
        {
            _out.ClearSyntax();
        }

        if (_out.HasPackage && _out.Package.Length == 0)
        {
            _out.ClearPackage();
        }
    }

    private bool CheckEdition()
    {
        if (_out.Syntax != "editions")
        {
            return true;
        }

        var e = (int)_out.Edition;
        if (e < (int)Edition._2023)
        {
            AddError(_parsed.Proto, ErrorLocation.Editions, ProtobufDiagnostics.ValidationError, $"Edition {EditionName(e)} is earlier than the minimum supported edition 2023");
            return false;
        }

        if (e > (int)Edition._2024)
        {
            AddError(_parsed.Proto, ErrorLocation.Editions, ProtobufDiagnostics.ValidationError, $"Edition {EditionName(e)} is later than the maximum supported edition 2024");
            return false;
        }

        return true;
    }

    private static string EditionName(int edition) => edition switch
    {
        1000 => "2023",
        1001 => "2024",
        1002 => "2026",
        9999 => "UNSTABLE",
        _ => edition.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // ---- symbol lookup --------------------------------------------------------------------------

    internal Symbol? FindSymbolNotEnforcingDeps(string name, out LinkedProtoFile? file) => FindSymbolNotEnforcingDeps(name.AsSpan(), out file);

    /// <summary>
    /// protoc's <c>FindSymbolNotEnforcingDeps</c> on a name given as characters: name lookup tries
    /// a candidate per enclosing scope, and making each a string was a large share of linking's garbage.
    /// </summary>
    private Symbol? FindSymbolNotEnforcingDeps(ReadOnlySpan<char> name, out LinkedProtoFile? file)
    {
        var symbol = LookUpNotEnforcingDeps(name, out file);
        if (symbol is { Kind: not SymbolKind.Package } && file != null)
        {
            _unusedImports?.Remove(file); // protoc counts an import as used when a lookup lands in it
        }

        return symbol;
    }

    /// <summary><see cref="FindSymbolNotEnforcingDeps(ReadOnlySpan{char}, out LinkedProtoFile?)"/> without counting the import as used (protoc's own symbol-table checks).</summary>
    private Symbol? LookUpNotEnforcingDeps(ReadOnlySpan<char> name, out LinkedProtoFile? file)
    {
        if (_file.Symbols.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var s))
        {
            file = _file;
            return s;
        }

        // Imported files never change while this file links: their answers are kept (name lookup
        // asks the same candidates for every field of a message, and each question searches every
        // imported file of the package).
        var known = _importLookups.GetAlternateLookup<ReadOnlySpan<char>>();
        if (known.TryGetValue(name, out var answer))
        {
            file = answer.File;
            return answer.Symbol;
        }

        s = FindSymbolInImports(name, out file);
        _importLookups[name.ToString()] = (s, file);
        return s;
    }

    private Symbol? FindSymbolInImports(ReadOnlySpan<char> name, out LinkedProtoFile? file)
    {
        // A non-package symbol named a.b.c lives in a file whose package is a prefix of it.
        var lookup = _byPackage.GetAlternateLookup<ReadOnlySpan<char>>();
        var end = name.Length;
        while (end > 0)
        {
            end = name[..end].LastIndexOf('.');
            var prefix = end < 0 ? ReadOnlySpan<char>.Empty : name[..end];
            if (lookup.TryGetValue(prefix, out var files))
            {
                foreach (var f in files)
                {
                    if (f.Symbols.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var s))
                    {
                        file = f;
                        return s;
                    }
                }
            }
        }

        // Packages: a.b is a package if some file's package is a.b or starts with a.b.
        if (_packagePrefixes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var packageName, out var inPackage))
        {
            file = inPackage;
            return PackageSymbol(packageName, inPackage);
        }

        file = null;
        return null;
    }

    /// <summary>The symbol of a package (one per name and linker: lookups meet the same packages again and again).</summary>
    private Symbol PackageSymbol(string name, LinkedProtoFile f)
    {
        if (f.Symbols.TryGetValue(name, out var s) && s.Kind == SymbolKind.Package)
        {
            return s;
        }

        if (!_packageSymbols.TryGetValue(name, out s) || s.File != f)
        {
            _packageSymbols[name] = s = new Symbol(SymbolKind.Package, name, f, null, null);
        }

        return s;
    }

    private static bool IsInPackage(LinkedProtoFile f, ReadOnlySpan<char> name) =>
        f.Package.Length >= name.Length && f.Package.AsSpan().StartsWith(name, StringComparison.Ordinal) &&
        (f.Package.Length == name.Length || f.Package[name.Length] == '.');

    internal Symbol? FindSymbol(string name) => FindSymbol(name.AsSpan());

    private Symbol? FindSymbol(ReadOnlySpan<char> name)
    {
        var result = FindSymbolNotEnforcingDeps(name, out var file);
        if (result == null)
        {
            return null;
        }

        if (file == _file || _accessible.Contains(file!))
        {
            return result;
        }

        if (result.Kind == SymbolKind.Package)
        {
            if (IsInPackage(_file, name))
            {
                return result;
            }

            foreach (var d in _accessible)
            {
                if (IsInPackage(d, name))
                {
                    return result;
                }
            }
        }

        _possibleUndeclaredDependency = file;
        _possibleUndeclaredDependencyName = name.ToString();
        return null;
    }

    internal Symbol? LookupSymbol(string name, string relativeTo, bool typesOnly = false)
    {
        _possibleUndeclaredDependency = null;
        _undefineResolvedName = "";
        if (name.Length > 0 && name[0] == '.')
        {
            return FindSymbol(name.AsSpan(1));
        }

        var firstDot = name.IndexOf('.');
        var firstPartLength = firstDot < 0 ? name.Length : firstDot;
        var rest = name.AsSpan(firstPartLength); // "" or ".b.c"

        // Candidates (scope + "." + first part, then + rest) are built in one buffer, not as strings.
        var length = relativeTo.Length + 1 + name.Length;
        var buffer = length <= 256 ? stackalloc char[length] : new char[length];
        var scopeEnd = relativeTo.Length; // the scope is relativeTo[..scopeEnd], walked outwards
        while (true)
        {
            var dot = scopeEnd == 0 ? -1 : relativeTo.LastIndexOf('.', scopeEnd - 1);
            if (dot < 0)
            {
                return FindSymbol(name);
            }

            scopeEnd = dot;
            relativeTo.AsSpan(0, scopeEnd).CopyTo(buffer);
            buffer[scopeEnd] = '.';
            name.AsSpan(0, firstPartLength).CopyTo(buffer[(scopeEnd + 1)..]);
            var candidateLength = scopeEnd + 1 + firstPartLength;
            var result = FindSymbol(buffer[..candidateLength]);
            if (result != null)
            {
                if (rest.Length > 0)
                {
                    if (result.IsAggregate)
                    {
                        rest.CopyTo(buffer[candidateLength..]);
                        var full = buffer[..(candidateLength + rest.Length)];
                        result = FindSymbol(full);
                        if (result == null)
                        {
                            _undefineResolvedName = full.ToString();
                        }

                        return result;
                    }
                }
                else if (!typesOnly || result.IsType)
                {
                    return result;
                }
            }
        }
    }

    private void AddNotDefinedError(object element, ErrorLocation location, string undefinedSymbol)
    {
        if (_possibleUndeclaredDependency == null && _undefineResolvedName.Length == 0)
        {
            AddError(element, location, ProtobufDiagnostics.NotDefined, $"\"{undefinedSymbol}\" is not defined.");
            return;
        }

        if (_possibleUndeclaredDependency != null)
        {
            AddError(element, location, ProtobufDiagnostics.NotImported,
                $"\"{_possibleUndeclaredDependencyName}\" seems to be defined in \"{_possibleUndeclaredDependency.Path}\", which is not imported by \"{FilePath}\".  To use it here, please add the necessary import.");
        }

        if (_undefineResolvedName.Length > 0)
        {
            AddError(element, location, ProtobufDiagnostics.NotDefined,
                $"\"{undefinedSymbol}\" is resolved to \"{_undefineResolvedName}\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".{undefinedSymbol}\") to start from the outermost scope.");
        }
    }

    // ---- symbols --------------------------------------------------------------------------------

    private static string Join(string scope, string name) => scope.Length == 0 ? name : scope + "." + name;

    /// <param name="scopeIsOurs">
    /// The symbol's scope is a message, enum or service this file added without conflict. Then no
    /// imported file can define the name (it would have to define that scope too, which already
    /// conflicted) unless an imported package is so named; the search of imported files, the bulk
    /// of adding symbols, is skipped.
    /// </param>
    private bool AddSymbol(string fullName, Symbol symbol, object parsedElement, bool scopeIsOurs = false)
    {
        if (_file.Symbols.TryGetValue(fullName, out var existing))
        {
            if (existing.Kind == SymbolKind.Package && symbol.Kind == SymbolKind.Package)
            {
                return true;
            }

            var dot = fullName.LastIndexOf('.');
            AddError(parsedElement, ErrorLocation.Name, ProtobufDiagnostics.AlreadyDefined,
                dot < 0 ? $"\"{fullName}\" is already defined." : $"\"{fullName[(dot + 1)..]}\" is already defined in \"{fullName[..dot]}\".");
            return false;
        }

        Symbol? other = null;
        LinkedProtoFile? otherFile = null;
        if (!scopeIsOurs || _packagePrefixes.ContainsKey(fullName))
        {
            other = LookUpNotEnforcingDeps(fullName, out otherFile);
        }

        if (other != null && otherFile != _file && !(other.Kind == SymbolKind.Package && symbol.Kind == SymbolKind.Package))
        {
            if (symbol.Kind == SymbolKind.Package)
            {
                AddError(parsedElement, ErrorLocation.Name, ProtobufDiagnostics.AlreadyDefined,
                    $"\"{fullName}\" is already defined (as something other than a package) in file \"{otherFile!.Path}\".");
            }
            else
            {
                AddError(parsedElement, ErrorLocation.Name, ProtobufDiagnostics.AlreadyDefined, $"\"{fullName}\" is already defined in file \"{otherFile!.Path}\".");
            }

            return false;
        }

        _file.Symbols[fullName] = symbol;
        return true;
    }

    private void AddSymbols()
    {
        var package = _out.Package ?? "";
        if (package.Length > 0)
        {
            var end = package.Length;
            while (end > 0)
            {
                var name = package[..end];
                AddSymbol(name, new Symbol(SymbolKind.Package, name, _file, null, null), _parsed.Proto);
                end = name.LastIndexOf('.');
            }
        }

        for (var i = 0; i < _out.MessageType.Count; i++)
        {
            AddMessageSymbols(_parsed.Proto.MessageType[i], _out.MessageType[i], package, null);
        }

        for (var i = 0; i < _out.EnumType.Count; i++)
        {
            AddEnumSymbols(_parsed.Proto.EnumType[i], _out.EnumType[i], package, null);
        }

        for (var i = 0; i < _out.Extension.Count; i++)
        {
            AddExtensionSymbol(_parsed.Proto.Extension[i], _out.Extension[i], package, null);
        }

        for (var i = 0; i < _out.Service.Count; i++)
        {
            var ps = _parsed.Proto.Service[i];
            var s = _out.Service[i];
            var full = Join(package, s.Name);
            var sym = new Symbol(SymbolKind.Service, full, _file, null, s);
            var ours = AddSymbol(full, sym, ps);
            for (var j = 0; j < s.Method.Count; j++)
            {
                var mfull = full + "." + s.Method[j].Name;
                AddSymbol(mfull, new Symbol(SymbolKind.Method, mfull, _file, sym, s.Method[j]), ps.Method[j], ours);
            }
        }
    }

    private void AddMessageSymbols(DescriptorProto parsed, DescriptorProto message, string scope, Symbol? parent, bool scopeIsOurs = false)
    {
        var full = Join(scope, message.Name);
        var sym = new Symbol(SymbolKind.Message, full, _file, parent, message);
        var ours = AddSymbol(full, sym, parsed, scopeIsOurs);
        for (var i = 0; i < message.OneofDecl.Count; i++)
        {
            var o = message.OneofDecl[i];
            var name = full + "." + o.Name;
            AddSymbol(name, new Symbol(SymbolKind.Oneof, name, _file, sym, o), parsed.OneofDecl[i], ours);
        }

        for (var i = 0; i < message.Field.Count; i++)
        {
            var f = message.Field[i];
            var name = full + "." + f.Name;
            AddSymbol(name, new Symbol(SymbolKind.Field, name, _file, sym, f), parsed.Field[i], ours);
        }

        for (var i = 0; i < message.NestedType.Count; i++)
        {
            AddMessageSymbols(parsed.NestedType[i], message.NestedType[i], full, sym, ours);
        }

        for (var i = 0; i < message.EnumType.Count; i++)
        {
            AddEnumSymbols(parsed.EnumType[i], message.EnumType[i], full, sym, ours);
        }

        for (var i = 0; i < message.Extension.Count; i++)
        {
            AddExtensionSymbol(parsed.Extension[i], message.Extension[i], full, sym, ours);
        }
    }

    private void AddExtensionSymbol(FieldDescriptorProto parsed, FieldDescriptorProto field, string scope, Symbol? parent, bool scopeIsOurs = false)
    {
        var full = Join(scope, field.Name);
        AddSymbol(full, new Symbol(SymbolKind.Extension, full, _file, parent, field), parsed, scopeIsOurs);
    }

    /// <param name="scopeIsOurs">The enum's scope (also its values' scope: C++ scoping) is a message this file added without conflict.</param>
    private void AddEnumSymbols(EnumDescriptorProto parsed, EnumDescriptorProto e, string scope, Symbol? parent, bool scopeIsOurs = false)
    {
        var full = Join(scope, e.Name);
        var sym = new Symbol(SymbolKind.Enum, full, _file, parent, e);
        AddSymbol(full, sym, parsed, scopeIsOurs);
        for (var i = 0; i < e.Value.Count; i++)
        {
            var v = e.Value[i];
            var vfull = Join(scope, v.Name);
            if (_file.Symbols.TryGetValue(vfull, out var existing) && existing.Kind == SymbolKind.EnumValue)
            {
                AddError(parsed.Value[i], ErrorLocation.Name, ProtobufDiagnostics.AlreadyDefined,
                    $"\"{v.Name}\" is already defined in \"{(scope.Length == 0 ? "" : scope)}\". Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"{v.Name}\" must be unique within {(scope.Length == 0 ? "the global scope" : "\"" + scope + "\"")}, not just within \"{e.Name}\".");
                continue;
            }

            AddSymbol(vfull, new Symbol(SymbolKind.EnumValue, vfull, _file, sym, v), parsed.Value[i], scopeIsOurs);
        }
    }

    // ---- cross-linking --------------------------------------------------------------------------

    private void CrossLink()
    {
        var package = _out.Package ?? "";
        for (var i = 0; i < _out.MessageType.Count; i++)
        {
            CrossLinkMessage(_parsed.Proto.MessageType[i], _out.MessageType[i], package);
        }

        for (var i = 0; i < _out.Extension.Count; i++)
        {
            CrossLinkField(_parsed.Proto.Extension[i], _out.Extension[i], package);
        }

        for (var i = 0; i < _out.Service.Count; i++)
        {
            var ps = _parsed.Proto.Service[i];
            var s = _out.Service[i];
            var sfull = Join(package, s.Name);
            for (var j = 0; j < s.Method.Count; j++)
            {
                var pm = ps.Method[j];
                var m = s.Method[j];
                var mfull = sfull + "." + m.Name;
                m.InputType = ResolveMessageType(pm, ErrorLocation.InputType, pm.InputType, mfull);
                m.OutputType = ResolveMessageType(pm, ErrorLocation.OutputType, pm.OutputType, mfull);
            }
        }
    }

    private string ResolveMessageType(object element, ErrorLocation location, string name, string relativeTo)
    {
        var sym = LookupSymbol(name, relativeTo);
        if (sym == null)
        {
            AddNotDefinedError(element, location, name);
            return name;
        }

        if (sym.Kind != SymbolKind.Message)
        {
            AddError(element, location, ProtobufDiagnostics.NotDefined, $"\"{name}\" is not a message type.");
            return name;
        }

        return sym.DottedName;
    }

    private void CrossLinkMessage(DescriptorProto parsed, DescriptorProto message, string scope)
    {
        var full = Join(scope, message.Name);
        for (var i = 0; i < message.Field.Count; i++)
        {
            CrossLinkField(parsed.Field[i], message.Field[i], full);
        }

        for (var i = 0; i < message.NestedType.Count; i++)
        {
            CrossLinkMessage(parsed.NestedType[i], message.NestedType[i], full);
        }

        for (var i = 0; i < message.Extension.Count; i++)
        {
            CrossLinkField(parsed.Extension[i], message.Extension[i], full);
        }
    }

    private void CrossLinkField(FieldDescriptorProto parsed, FieldDescriptorProto field, string scope)
    {
        var full = Join(scope, field.Name);
        var self = _file.Symbols.GetValueOrDefault(full);
        if (parsed.HasExtendee)
        {
            var ext = LookupSymbol(parsed.Extendee, full);
            if (ext == null)
            {
                AddNotDefinedError(parsed, ErrorLocation.Extendee, parsed.Extendee);
            }
            else if (ext.Kind != SymbolKind.Message)
            {
                AddError(parsed, ErrorLocation.Extendee, ProtobufDiagnostics.NotDefined, $"\"{parsed.Extendee}\" is not a message type.");
            }
            else
            {
                field.Extendee = ext.DottedName;
                if (self != null)
                {
                    self.Extendee = ext;
                    RegisterExtension(ext.FullName, self);
                }

                CheckExtensionNumber(parsed, field, ext);
            }
        }

        if (parsed.HasTypeName)
        {
            var expectingEnum = parsed.HasType && parsed.Type == FieldType.Enum;
            var type = LookupSymbol(parsed.TypeName, full, typesOnly: true);
            if (type == null)
            {
                AddNotDefinedError(parsed, ErrorLocation.Type, parsed.TypeName);
                return;
            }

            if (!parsed.HasType)
            {
                if (type.Kind == SymbolKind.Message)
                {
                    field.Type = FieldType.Message;
                }
                else if (type.Kind == SymbolKind.Enum)
                {
                    field.Type = FieldType.Enum;
                }
                else
                {
                    AddError(parsed, ErrorLocation.Type, ProtobufDiagnostics.NotDefined, $"\"{parsed.TypeName}\" is not a type.");
                    return;
                }
            }

            if (field.Type is FieldType.Message or FieldType.Group)
            {
                if (type.Kind != SymbolKind.Message)
                {
                    AddError(parsed, ErrorLocation.Type, ProtobufDiagnostics.NotDefined, $"\"{parsed.TypeName}\" is not a message type.");
                    return;
                }

                if (parsed.HasDefaultValue)
                {
                    AddError(parsed, ErrorLocation.DefaultValue, ProtobufDiagnostics.ValidationError, "Messages can't have default values.");
                }
            }
            else if (field.Type == FieldType.Enum)
            {
                if (type.Kind != SymbolKind.Enum)
                {
                    AddError(parsed, ErrorLocation.Type, ProtobufDiagnostics.NotDefined, $"\"{parsed.TypeName}\" is not an enum type.");
                    return;
                }

                if (parsed.HasDefaultValue)
                {
                    var found = false;
                    foreach (var v in type.Enum.Value)
                    {
                        if (v.Name == parsed.DefaultValue)
                        {
                            found = true;
                            break;
                        }
                    }

                    if (!found)
                    {
                        AddError(parsed, ErrorLocation.DefaultValue, ProtobufDiagnostics.ValidationError, $"Enum type \"{type.FullName}\" has no value named \"{parsed.DefaultValue}\".");
                    }
                }
            }

            _ = expectingEnum;
            field.TypeName = type.DottedName;
            if (self != null)
            {
                self.ResolvedType = type;
            }
        }
        else if (parsed.HasDefaultValue)
        {
            field.DefaultValue = CanonicalDefault(parsed);
        }

        if (!field.HasJsonName)
        {
            field.JsonName = ToJsonName(field.Name);
        }
        else
        {
            (_file.ExplicitJsonNames ??= new HashSet<FieldDescriptorProto>(ReferenceEqualityComparer.Instance)).Add(field);
        }
    }

    private void RegisterExtension(string extendee, Symbol extension)
    {
        _file.ExtensionsByExtendee ??= new Dictionary<string, List<Symbol>>(StringComparer.Ordinal);
        if (!_file.ExtensionsByExtendee.TryGetValue(extendee, out var list))
        {
            _file.ExtensionsByExtendee[extendee] = list = [];
        }

        list.Add(extension);
    }

    private void CheckExtensionNumber(FieldDescriptorProto parsed, FieldDescriptorProto field, Symbol extendee)
    {
        foreach (var r in extendee.Message.ExtensionRange)
        {
            if (field.Number >= r.Start && field.Number < r.End)
            {
                return;
            }
        }

        AddError(parsed, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict, $"\"{extendee.FullName}\" does not declare {field.Number} as an extension number.");
    }

    internal static string ToJsonName(string name)
    {
        var capitalizeNext = false;
        var sb = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c == '_')
            {
                capitalizeNext = true;
            }
            else if (capitalizeNext)
            {
                sb.Append(c is >= 'a' and <= 'z' ? (char)(c - 32) : c);
                capitalizeNext = false;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string CanonicalDefault(FieldDescriptorProto parsed)
    {
        var text = parsed.DefaultValue;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (parsed.Type)
        {
            case FieldType.Int32:
            case FieldType.Sint32:
            case FieldType.Sfixed32:
            case FieldType.Int64:
            case FieldType.Sint64:
            case FieldType.Sfixed64:
                return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, inv, out var l) ? l.ToString(inv) : text;
            case FieldType.Uint32:
            case FieldType.Fixed32:
            case FieldType.Uint64:
            case FieldType.Fixed64:
                return ulong.TryParse(text, System.Globalization.NumberStyles.None, inv, out var u) ? u.ToString(inv) : text;
            case FieldType.Double:
                return NumberFormat.SimpleDtoa(ParseDouble(text));
            case FieldType.Float:
                return NumberFormat.SimpleFtoa((float)ParseDouble(text));
            case FieldType.Bytes:
                return NumberFormat.CEscape(NumberFormat.CUnescape(text));
            default:
                return text;
        }
    }

    private static double ParseDouble(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => NumberFormat.QuietNaN,
        _ => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0,
    };
}
