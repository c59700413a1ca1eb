using System.Globalization;
using System.Runtime.CompilerServices;
using Kiln.Text;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Semantics;

/// <summary>Binds one file; see <see cref="ThriftBinder.BindFile"/>. One instance per call.</summary>
internal sealed class FileBinder
{
    /// <summary>How deep type resolution may go through typedefs and containers together.</summary>
    private const int MaxResolutionDepth = 400;

    /// <summary>How deep a typedef's resolved type may be: keeps the model shallow enough to compare and hash without deep recursion.</summary>
    private const int MaxTypedefDepth = 100;

    /// <summary>"Did you mean" hints per file: each scans every name, so a file full of errors must not go quadratic.</summary>
    private const int MaxHints = 50;

    private readonly ParsedFile _file;
    private readonly SourceText _source;
    private readonly Func<string, IncludeOutcome> _resolveInclude;
    private readonly Func<string, ThriftFileModel?>? _modelOf;
    private readonly ThriftOptions _options;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly string _path;

    // Includes by program name; names of includes in a cycle (already an error) are remembered so that
    // references through them stay quiet. A missing include is only a warning, as in thrift: using it is the error.
    private readonly Dictionary<string, ThriftFileModel> _includes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedIncludes = new(StringComparer.Ordinal);

    // Local declarations.
    private readonly Dictionary<string, (DefinitionSyntax Syntax, int Index)> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ConstSyntax Syntax, int Index)> _consts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumModel> _enums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ThriftType> _typedefTargets = new(StringComparer.Ordinal);
    private readonly List<string> _typedefsResolving = [];
    private readonly Dictionary<string, List<(FieldSyntax Syntax, FieldModel Model)>> _structFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstModel> _boundConsts = new(StringComparer.Ordinal);
    // Reused by every field list (field lists never nest while being bound).
    private readonly Dictionary<int, string> _fieldIds = [];
    private readonly HashSet<string> _fieldNames = new(StringComparer.Ordinal);
    private readonly Dictionary<ThriftType, int> _typeDepths = new(ReferenceEqualityComparer.Instance);
    private int _resolutionDepth;
    private int _currentDefinitionIndex;
    private int _hintsLeft = MaxHints;

    public FileBinder(ParsedFile file, Func<string, IncludeOutcome> resolveInclude, Func<string, ThriftFileModel?>? modelOf, ThriftOptions options)
    {
        _options = options;
        _file = file;
        _source = file.Source;
        _path = file.Path;
        _resolveInclude = resolveInclude;
        _modelOf = modelOf;
    }

    public BoundFile Bind()
    {
        var syntax = _file.Syntax;
        var includes = BindHeaders(syntax, out var namespaces, out var cppIncludes, out var netstdNamespace);
        Declare(syntax);

        // Types first (forward references are fine), then values in declaration order, as
        // thrift resolves a constant when it parses it.
        var typedefs = new List<TypedefModel>();
        var enums = new List<EnumModel>();
        foreach (var definition in syntax.Definitions)
        {
            switch (definition)
            {
                case EnumSyntax enumSyntax when IsFirstDeclaration(definition):
                    enums.Add(BindEnum(enumSyntax));
                    break;
                case SenumSyntax senum when IsFirstDeclaration(definition):
                    _typedefTargets[senum.Name.Text] = BaseType.String;
                    break;
            }
        }

        foreach (var definition in syntax.Definitions)
        {
            switch (definition)
            {
                case TypedefSyntax typedef when IsFirstDeclaration(definition):
                    CheckKeyword(typedef.Name);
                    typedefs.Add(new TypedefModel(typedef.Name.Text, TypedefTarget(typedef), typedef.Doc, Annotations(typedef.Annotations)));
                    break;
                case StructSyntax structSyntax when IsFirstDeclaration(definition):
                    BindFieldTypes(structSyntax);
                    break;
            }
        }

        var structs = new List<StructModel>();
        var consts = new List<ConstModel>();
        var services = new List<ServiceModel>();
        for (var index = 0; index < syntax.Definitions.Count; index++)
        {
            _currentDefinitionIndex = index;
            var definition = syntax.Definitions[index];
            switch (definition)
            {
                case ConstSyntax constSyntax:
                    var constModel = BindConst(constSyntax);
                    if (_consts.TryGetValue(constSyntax.Name.Text, out var declared) && declared.Syntax == constSyntax)
                    {
                        _boundConsts[constSyntax.Name.Text] = constModel;
                        consts.Add(constModel);
                    }

                    break;
                case StructSyntax structSyntax when IsFirstDeclaration(definition):
                    structs.Add(BindStruct(structSyntax));
                    break;
                case StructSyntax duplicate:
                    BindFieldTypes(duplicate);
                    _ = BindStruct(duplicate);
                    break;
                case ServiceSyntax service:
                    var serviceModel = BindService(service, index);
                    if (IsFirstDeclaration(definition))
                    {
                        services.Add(serviceModel);
                    }

                    break;
            }
        }

        var model = new ThriftFileModel(
            _path,
            ThriftFileModel.ProgramNameOf(_path),
            netstdNamespace,
            namespaces.ToEquatableArray(),
            includes.ToEquatableArray(),
            cppIncludes.ToEquatableArray(),
            typedefs.ToEquatableArray(),
            enums.ToEquatableArray(),
            structs.ToEquatableArray(),
            consts.ToEquatableArray(),
            services.ToEquatableArray(),
            syntax.Doc);
        return new BoundFile(model, DiagnosticOrder.Sort(_diagnostics.Items));
    }

    // ---- Headers and declarations ----------------------------------------------------------

    private List<IncludeModel> BindHeaders(DocumentSyntax syntax, out List<NamespaceModel> namespaces, out List<string> cppIncludes, out string? netstdNamespace)
    {
        var includes = new List<IncludeModel>();
        namespaces = [];
        cppIncludes = [];
        string? netstd = null;
        string? star = null;
        foreach (var header in syntax.Headers)
        {
            switch (header)
            {
                case IncludeSyntax include:
                    {
                        var programName = ThriftFileModel.ProgramNameOf(include.Path);
                        var outcome = _resolveInclude(include.Path);
                        switch (outcome.Status)
                        {
                            case IncludeStatus.Found when outcome.Model is { } model:
                                _includes.TryAdd(programName, model);
                                includes.Add(new IncludeModel(include.Path, programName, model.Path));
                                break;
                            case IncludeStatus.Cycle:
                                _failedIncludes.Add(programName);
                                Report(ThriftDiagnostics.IncludeCycle, include.PathSpan.Start, string.Join(" -> ", outcome.CyclePath));
                                includes.Add(new IncludeModel(include.Path, programName, null));
                                break;
                            default:
                                Report(ThriftDiagnostics.IncludeNotFound, include.PathSpan.Start, include.Path);
                                includes.Add(new IncludeModel(include.Path, programName, null));
                                break;
                        }

                        break;
                    }

                case CppIncludeSyntax cppInclude:
                    cppIncludes.Add(cppInclude.Path);
                    break;
                case NamespaceSyntax ns:
                    {
                        var scope = ns.Scope.Text;
                        if (scope == "*")
                        {
                            star = ns.Name.Text;
                        }
                        else
                        {
                            var language = scope.Split('.')[0];
                            if (language == "netstd")
                            {
                                netstd = ns.Name.Text;
                            }

                            if (!ThriftLanguage.KnownGenerators.Contains(language) && language != "smalltalk")
                            {
                                Report(ThriftDiagnostics.UnknownNamespaceLanguage, ns.Scope.Span.Start, language);
                            }
                        }

                        namespaces.Add(new NamespaceModel(scope, ns.Name.Text, Annotations(ns.Annotations)));
                        break;
                    }
            }
        }

        netstdNamespace = netstd ?? star;
        return includes;
    }

    private void Declare(DocumentSyntax syntax)
    {
        for (var index = 0; index < syntax.Definitions.Count; index++)
        {
            var definition = syntax.Definitions[index];
            if (definition is ConstSyntax constSyntax)
            {
                if (!_consts.TryAdd(constSyntax.Name.Text, (constSyntax, index)))
                {
                    Report(ThriftDiagnostics.ConstantAlreadyDefined, constSyntax.Name.Span.Start, constSyntax.Name.Text);
                }
            }
            else if (!_types.TryAdd(definition.Name.Text, (definition, index)))
            {
                Report(ThriftDiagnostics.TypeAlreadyDefined, definition.Name.Span.Start, definition.Name.Text);
            }
        }
    }

    private bool IsFirstDeclaration(DefinitionSyntax definition) =>
        _types.TryGetValue(definition.Name.Text, out var declared) && declared.Syntax == definition;

    // ---- Types -----------------------------------------------------------------------------

    private ThriftType ResolveType(TypeSyntax syntax)
    {
        if (_resolutionDepth >= MaxResolutionDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Report(ThriftDiagnostics.TypeNestingTooDeep, syntax.Span.Start, DescribeSyntax(syntax), MaxResolutionDepth);
            return new ErrorType(DescribeSyntax(syntax));
        }

        _resolutionDepth++;
        try
        {
            return syntax switch
            {
                BaseTypeSyntax baseType => BaseType.Of(baseType.BaseType),
                NamedTypeSyntax named => ResolveNamedType(named.Name),
                ListTypeSyntax list => new ListType(ResolveType(list.Element), list.CppType),
                SetTypeSyntax set => new SetType(ResolveType(set.Element), set.CppType),
                MapTypeSyntax map => new MapType(ResolveType(map.Key), ResolveType(map.Value), map.CppType),
                _ => new ErrorType("?"),
            };
        }
        finally
        {
            _resolutionDepth--;
        }
    }

    private ThriftType ResolveNamedType(NameSyntax name)
    {
        var text = name.Text;
        if (_types.TryGetValue(text, out var local))
        {
            var definition = local.Syntax;
            switch (definition)
            {
                case TypedefSyntax typedef:
                    return new NamedType(new DefinitionRef(_path, text, DefinitionKind.Typedef), TypedefTarget(typedef));
                case SenumSyntax:
                    return BaseType.String;
                case ServiceSyntax:
                    Report(ThriftDiagnostics.ServiceIsNotAType, name.Span.Start, text);
                    return new ErrorType(text);
                default:
                    return new NamedType(new DefinitionRef(_path, text, definition.Kind), null);
            }
        }

        var dot = text.LastIndexOf('.');
        if (dot > 0)
        {
            var program = text[..dot];
            var member = text[(dot + 1)..];
            if (_includes.TryGetValue(program, out var included))
            {
                if (FindIncludedType(included, member) is { } found)
                {
                    return found;
                }

                if (included.FindService(member) is not null)
                {
                    Report(ThriftDiagnostics.ServiceIsNotAType, name.Span.Start, text);
                    return new ErrorType(text);
                }
            }
            else if (_failedIncludes.Contains(program))
            {
                return new ErrorType(text);
            }
        }

        Report(ThriftDiagnostics.TypeNotDefined, name.Span.Start, text, Hint(text, TypeCandidates()));
        return new ErrorType(text);
    }

    private static NamedType? FindIncludedType(ThriftFileModel model, string name)
    {
        if (model.FindStruct(name) is { } structModel)
        {
            var kind = structModel.Kind switch
            {
                StructKind.Union => DefinitionKind.Union,
                StructKind.Exception => DefinitionKind.Exception,
                _ => DefinitionKind.Struct,
            };
            return new NamedType(new DefinitionRef(model.Path, name, kind), null);
        }

        if (model.FindEnum(name) is not null)
        {
            return new NamedType(new DefinitionRef(model.Path, name, DefinitionKind.Enum), null);
        }

        if (model.FindTypedef(name) is { } typedef)
        {
            return new NamedType(new DefinitionRef(model.Path, name, DefinitionKind.Typedef), typedef.Type);
        }

        return null;
    }

    private IEnumerable<string> TypeCandidates()
    {
        foreach (var (name, declared) in _types)
        {
            if (declared.Syntax is not ServiceSyntax)
            {
                yield return name;
            }
        }

        foreach (var (program, model) in _includes)
        {
            foreach (var item in model.Structs)
            {
                yield return $"{program}.{item.Name}";
            }

            foreach (var item in model.Enums)
            {
                yield return $"{program}.{item.Name}";
            }

            foreach (var item in model.Typedefs)
            {
                yield return $"{program}.{item.Name}";
            }
        }
    }

    /// <summary>The type a local typedef names, resolved once; a cycle of typedefs is reported once and resolves to an error type.</summary>
    private ThriftType TypedefTarget(TypedefSyntax typedef)
    {
        var name = typedef.Name.Text;
        if (_typedefTargets.TryGetValue(name, out var target))
        {
            return target;
        }

        var cycleStart = _typedefsResolving.IndexOf(name);
        if (cycleStart >= 0)
        {
            var cycle = string.Join(" -> ", _typedefsResolving.Skip(cycleStart).Append(name));
            Report(ThriftDiagnostics.TypedefCycle, typedef.Name.Span.Start, cycle);
            var error = new ErrorType(name);
            foreach (var member in _typedefsResolving.Skip(cycleStart))
            {
                _typedefTargets[member] = error;
            }

            return error;
        }

        _typedefsResolving.Add(name);
        var resolved = ResolveType(typedef.Type);
        _typedefsResolving.RemoveAt(_typedefsResolving.Count - 1);
        if (TypeDepth(resolved) > MaxTypedefDepth)
        {
            Report(ThriftDiagnostics.TypeNestingTooDeep, typedef.Name.Span.Start, name, MaxTypedefDepth);
            resolved = new ErrorType(name);
        }

        // A member of a cycle found deeper down already has its (error) target.
        if (_typedefTargets.TryGetValue(name, out var fromCycle))
        {
            return fromCycle;
        }

        _typedefTargets[name] = resolved;
        return resolved;
    }

    /// <summary>The nesting depth of a resolved type, memoized per instance (typedef targets are shared).</summary>
    private int TypeDepth(ThriftType type)
    {
        if (_typeDepths.TryGetValue(type, out var known))
        {
            return known;
        }

        var depth = type switch
        {
            ListType list => 1 + TypeDepth(list.Element),
            SetType set => 1 + TypeDepth(set.Element),
            MapType map => 1 + Math.Max(TypeDepth(map.Key), TypeDepth(map.Value)),
            NamedType { Target: { } target } => 1 + TypeDepth(target),
            _ => 1,
        };
        _typeDepths[type] = depth;
        return depth;
    }

    // ---- Enums -----------------------------------------------------------------------------

    private EnumModel BindEnum(EnumSyntax syntax)
    {
        CheckKeyword(syntax.Name);
        var members = new List<EnumMemberModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long next = -1;
        foreach (var value in syntax.Values)
        {
            CheckKeyword(value.Name);
            int assigned;
            if (value.Value is { } explicitValue)
            {
                if (explicitValue is < int.MinValue or > int.MaxValue)
                {
                    Report(ThriftDiagnostics.EnumValueTooBig, value.ValueSpan.Start, value.Name.Text);
                }

                assigned = unchecked((int)explicitValue);
            }
            else
            {
                if (next == int.MaxValue)
                {
                    Report(ThriftDiagnostics.EnumValueOverflow, value.Name.Span.Start, value.Name.Text);
                }

                assigned = unchecked((int)(next + 1));
            }

            next = assigned;
            if (!names.Add(value.Name.Text))
            {
                Report(ThriftDiagnostics.EnumValueAlreadyDefined, value.Name.Span.Start, syntax.Name.Text, value.Name.Text);
                continue;
            }

            members.Add(new EnumMemberModel(value.Name.Text, assigned, value.Doc, Annotations(value.Annotations)));
        }

        var model = new EnumModel(syntax.Name.Text, members.ToEquatableArray(), syntax.Doc, Annotations(syntax.Annotations));
        _enums[syntax.Name.Text] = model;
        return model;
    }

    // ---- Structs and fields ----------------------------------------------------------------

    private void BindFieldTypes(StructSyntax syntax)
    {
        CheckKeyword(syntax.Name);
        _structFields[syntax.Name.Text] = BindFieldList(syntax.Fields, syntax.StructKind == StructKind.Union ? syntax.Name.Text : null);
    }

    /// <summary>Field ids, names and types of one field list, with thrift's id assignment and duplicate checks.</summary>
    private List<(FieldSyntax Syntax, FieldModel Model)> BindFieldList(EquatableArray<FieldSyntax> fields, string? unionName)
    {
        var result = new List<(FieldSyntax, FieldModel)>(fields.Count);
        var ids = _fieldIds;
        var names = _fieldNames;
        ids.Clear();
        names.Clear();
        var nextAutomatic = -1;
        foreach (var field in fields)
        {
            int id;
            var assigned = false;
            var at = field.IdSpan.Length > 0 ? field.IdSpan.Start : field.Span.Start;
            if (field.Id is > 0 and var explicitId)
            {
                id = unchecked((int)explicitId);
            }
            else if (field.Id is { } negative && _options.AllowNegativeFieldKeys)
            {
                // --allow-neg-keys (thrifty.yy, FieldIdentifier): the key is kept, and the next
                // automatic key continues below it; duplicates are caught like any other.
                if (negative != nextAutomatic)
                {
                    Report(ThriftDiagnostics.NegativeFieldIdNotAutomatic, at, negative, nextAutomatic);
                }

                nextAutomatic = unchecked((int)(negative - 1));
                id = unchecked((int)negative);
            }
            else
            {
                if (field.Id is { } nonPositive)
                {
                    Report(ThriftDiagnostics.NonPositiveFieldId, at, nonPositive);
                }

                id = nextAutomatic--;
                assigned = true;
                Report(ThriftDiagnostics.NoFieldId, field.Name.Span.Start, field.Name.Text, id);
                if (_options.Strict)
                {
                    Report(ThriftDiagnostics.ImplicitFieldIdStrict, field.Name.Span.Start, field.Name.Text);
                }
            }

            if (id is < short.MinValue or > short.MaxValue)
            {
                Report(ThriftDiagnostics.FieldIdOutOfRange, at, id);
            }

            CheckKeyword(field.Name);
            var requiredness = field.Requiredness;
            if (unionName is not null && requiredness != Requiredness.Optional)
            {
                if (requiredness == Requiredness.Required)
                {
                    Report(ThriftDiagnostics.UnionRequiredness, field.RequirednessSpan.Start, unionName, field.Name.Text);
                }

                requiredness = Requiredness.Optional;
            }

            var type = ResolveType(field.Type);
            if (ids.TryGetValue(id, out var holder))
            {
                Report(ThriftDiagnostics.FieldIdAlreadyUsed, at, id, field.Name.Text, holder);
                continue;
            }

            if (!names.Add(field.Name.Text))
            {
                Report(ThriftDiagnostics.FieldNameAlreadyUsed, field.Name.Span.Start, id, field.Name.Text);
                continue;
            }

            ids[id] = field.Name.Text;
            result.Add((field, new FieldModel(id, assigned, field.Name.Text, type, requiredness, null, field.IsReference, field.Doc, Annotations(field.Annotations))));
        }

        return result;
    }

    private StructModel BindStruct(StructSyntax syntax)
    {
        var fields = _structFields[syntax.Name.Text];
        var models = new List<FieldModel>(fields.Count);
        string? firstDefault = null;
        foreach (var (fieldSyntax, model) in fields)
        {
            if (fieldSyntax.Default is null)
            {
                models.Add(model);
                continue;
            }

            if (syntax.StructKind == StructKind.Union && firstDefault is not null)
            {
                Report(ThriftDiagnostics.UnionSecondDefault, fieldSyntax.Name.Span.Start, fieldSyntax.Name.Text, syntax.Name.Text);
            }

            firstDefault ??= fieldSyntax.Name.Text;
            var value = BindValue(fieldSyntax.Default, model.Type, fieldSyntax.Name.Text);
            models.Add(model with { Default = value });
        }

        return new StructModel(syntax.Name.Text, syntax.StructKind, models.ToEquatableArray(), syntax.Doc, Annotations(syntax.Annotations));
    }

    // ---- Services --------------------------------------------------------------------------

    private ServiceModel BindService(ServiceSyntax syntax, int index)
    {
        CheckKeyword(syntax.Name);
        DefinitionRef? extends = null;
        var inherited = new Dictionary<string, string>(StringComparer.Ordinal);
        if (syntax.Extends is { } baseName)
        {
            extends = ResolveExtends(baseName, index);
            if (extends is not null)
            {
                CollectInheritedFunctions(extends, inherited);
            }
        }

        var functions = new List<FunctionModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in syntax.Functions)
        {
            CheckKeyword(function.Name);
            var returnType = function.ReturnType is null ? null : ResolveType(function.ReturnType);
            var parameters = BindFieldList(function.Parameters, null);
            var throws = BindFieldList(function.Throws, null);
            foreach (var (throwSyntax, throwModel) in throws)
            {
                var trueType = throwModel.Type.TrueType;
                if (trueType is ErrorType)
                {
                    continue;
                }

                if (trueType is not NamedType { Definition.Kind: DefinitionKind.Exception })
                {
                    Report(ThriftDiagnostics.ThrowsNonException, throwSyntax.Type.Span.Start, throwModel.Type, DescribeKind(trueType));
                }
            }

            if (function.Oneway)
            {
                if (returnType is not null)
                {
                    Report(ThriftDiagnostics.OnewayNotVoid, function.ReturnType!.Span.Start, function.Name.Text);
                }

                if (function.Throws.Count > 0)
                {
                    Report(ThriftDiagnostics.OnewayThrows, function.ThrowsSpan.Start, function.Name.Text);
                }
            }

            if (!names.Add(function.Name.Text))
            {
                Report(ThriftDiagnostics.FunctionAlreadyDefined, function.Name.Span.Start, function.Name.Text, syntax.Name.Text);
                continue;
            }

            if (inherited.TryGetValue(function.Name.Text, out var owner))
            {
                Report(ThriftDiagnostics.FunctionAlreadyDefined, function.Name.Span.Start, function.Name.Text, owner);
            }

            functions.Add(new FunctionModel(
                function.Name.Text,
                returnType,
                function.Oneway,
                BindDefaults(parameters),
                BindDefaults(throws),
                function.Doc,
                Annotations(function.Annotations)));
        }

        return new ServiceModel(syntax.Name.Text, extends, functions.ToEquatableArray(), syntax.Doc, Annotations(syntax.Annotations));
    }

    private EquatableArray<FieldModel> BindDefaults(List<(FieldSyntax Syntax, FieldModel Model)> fields)
    {
        var models = new List<FieldModel>(fields.Count);
        foreach (var (syntax, model) in fields)
        {
            models.Add(syntax.Default is null ? model : model with { Default = BindValue(syntax.Default, model.Type, syntax.Name.Text) });
        }

        return models.ToEquatableArray();
    }

    private DefinitionRef? ResolveExtends(NameSyntax name, int index)
    {
        var text = name.Text;
        if (_types.TryGetValue(text, out var local))
        {
            if (local.Syntax is not ServiceSyntax)
            {
                Report(ThriftDiagnostics.ExtendsNotService, name.Span.Start, text, Article(local.Syntax.Kind));
                return null;
            }

            if (local.Index >= index)
            {
                Report(ThriftDiagnostics.ServiceUsedBeforeDeclared, name.Span.Start, text);
                return null;
            }

            return new DefinitionRef(_path, text, DefinitionKind.Service);
        }

        var dot = text.LastIndexOf('.');
        if (dot > 0 && _includes.TryGetValue(text[..dot], out var included))
        {
            var member = text[(dot + 1)..];
            if (included.FindService(member) is not null)
            {
                return new DefinitionRef(included.Path, member, DefinitionKind.Service);
            }

            if (FindIncludedType(included, member) is { } type)
            {
                Report(ThriftDiagnostics.ExtendsNotService, name.Span.Start, text, Article(type.Definition.Kind));
                return null;
            }
        }
        else if (dot > 0 && _failedIncludes.Contains(text[..dot]))
        {
            return null;
        }

        var candidates = new List<string>();
        foreach (var (localName, declared) in _types)
        {
            if (declared.Syntax is ServiceSyntax)
            {
                candidates.Add(localName);
            }
        }

        foreach (var (program, model) in _includes)
        {
            candidates.AddRange(model.Services.Select(service => $"{program}.{service.Name}"));
        }

        Report(ThriftDiagnostics.ServiceNotDefined, name.Span.Start, text, Hint(text, candidates));
        return null;
    }

    /// <summary>Function names of the whole extends chain, each with the service defining it.</summary>
    private void CollectInheritedFunctions(DefinitionRef service, Dictionary<string, string> into)
    {
        var seen = new HashSet<DefinitionRef>();
        DefinitionRef? current = service;
        while (current is not null && seen.Add(current))
        {
            if (current.File == _path)
            {
                if (!_types.TryGetValue(current.Name, out var local) || local.Syntax is not ServiceSyntax localService)
                {
                    return;
                }

                foreach (var function in localService.Functions)
                {
                    into.TryAdd(function.Name.Text, localService.Name.Text);
                }

                current = null;
                if (localService.Extends is { } next && _types.ContainsKey(next.Text))
                {
                    current = new DefinitionRef(_path, next.Text, DefinitionKind.Service);
                }
                else if (localService.Extends is { } qualified && qualified.Text.LastIndexOf('.') is > 0 and var dot
                    && _includes.TryGetValue(qualified.Text[..dot], out var model))
                {
                    current = new DefinitionRef(model.Path, qualified.Text[(dot + 1)..], DefinitionKind.Service);
                }
            }
            else
            {
                var model = ModelOf(current.File);
                if (model?.FindService(current.Name) is not { } serviceModel)
                {
                    return;
                }

                foreach (var function in serviceModel.Functions)
                {
                    into.TryAdd(function.Name, serviceModel.Name);
                }

                current = serviceModel.Extends;
            }
        }
    }

    private ThriftFileModel? ModelOf(string path)
    {
        foreach (var model in _includes.Values)
        {
            if (model.Path == path)
            {
                return model;
            }
        }

        return _modelOf?.Invoke(path);
    }

    // ---- Constants -------------------------------------------------------------------------

    private ConstModel BindConst(ConstSyntax syntax)
    {
        CheckKeyword(syntax.Name);
        var type = ResolveType(syntax.Type);
        var value = BindValue(syntax.Value, type, syntax.Name.Text);
        return new ConstModel(syntax.Name.Text, type, value, syntax.Doc);
    }

    /// <summary>Checks a written value against the type it is assigned to, as thrift's <c>validate_const_rec</c>, and resolves names in it.</summary>
    private ConstValue BindValue(ConstValueSyntax syntax, ThriftType type, string path)
    {
        if (syntax is MissingValueSyntax)
        {
            return ErrorConst.Instance;
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Report(ThriftDiagnostics.NestingTooDeep, syntax.Span.Start, Parser.MaxNestingDepth);
            return ErrorConst.Instance;
        }

        var trueType = type.TrueType;
        if (trueType is ErrorType)
        {
            return ErrorConst.Instance;
        }

        // An enum member by name or value.
        if (trueType is NamedType { Definition.Kind: DefinitionKind.Enum } enumType)
        {
            return BindEnumValue(syntax, enumType.Definition, path);
        }

        if (syntax is IdentifierValueSyntax identifier)
        {
            return ResolveConstReference(identifier, trueType, path);
        }

        switch (trueType)
        {
            case BaseType baseType:
                return BindBaseValue(syntax, baseType, path);
            case ListType or SetType:
                if (syntax is not ListValueSyntax list)
                {
                    return Mismatch(syntax, trueType, path);
                }

                var element = trueType is ListType l ? l.Element : ((SetType)trueType).Element;
                var items = new List<ConstValue>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    items.Add(BindValue(item, element, path + "<elem>"));
                }

                return new ListConst(items.ToEquatableArray());
            case MapType mapType:
                if (syntax is not MapValueSyntax map)
                {
                    return Mismatch(syntax, trueType, path);
                }

                var entries = new List<MapConstEntry>(map.Entries.Count);
                var keys = new HashSet<ConstValue>();
                foreach (var entry in map.Entries)
                {
                    var key = BindValue(entry.Key, mapType.Key, path + "<key>");
                    if (key is not ErrorConst && !keys.Add(key))
                    {
                        Report(ThriftDiagnostics.DuplicateMapKey, entry.Key.Span.Start, DescribeValue(key), path);
                    }

                    entries.Add(new MapConstEntry(key, BindValue(entry.Value, mapType.Value, path + "<val>")));
                }

                return new MapConst(entries.ToEquatableArray());
            case NamedType { Definition: var definition } when definition.Kind is DefinitionKind.Struct or DefinitionKind.Union or DefinitionKind.Exception:
                return BindStructValue(syntax, definition, path);
            default:
                return Mismatch(syntax, trueType, path);
        }
    }

    private ConstValue BindBaseValue(ConstValueSyntax syntax, BaseType type, string path)
    {
        switch (type.Kind)
        {
            case BaseTypeKind.String or BaseTypeKind.Binary or BaseTypeKind.Uuid:
                return syntax is StringValueSyntax text ? new StringConst(text.Value) : Mismatch(syntax, type, path);
            case BaseTypeKind.Double:
                return syntax switch
                {
                    DoubleValueSyntax number => new DoubleConst(number.Value),
                    IntegerValueSyntax integer => new DoubleConst(integer.Value),
                    _ => Mismatch(syntax, type, path),
                };
            default:
                if (syntax is not IntegerValueSyntax value)
                {
                    return Mismatch(syntax, type, path);
                }

                return CheckRange(value.Value, type, path, syntax.Span.Start) ? new IntegerConst(value.Value, type.Kind == BaseTypeKind.Bool) : ErrorConst.Instance;
        }
    }

    private bool CheckRange(long value, BaseType type, string path, int at)
    {
        var (min, max) = type.Kind switch
        {
            BaseTypeKind.Bool => (0L, 1L),
            BaseTypeKind.I8 => (sbyte.MinValue, sbyte.MaxValue),
            BaseTypeKind.I16 => (short.MinValue, short.MaxValue),
            BaseTypeKind.I32 => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (value >= min && value <= max)
        {
            return true;
        }

        Report(ThriftDiagnostics.IntegerOutOfRange, at, path, type, value, min, max);
        return false;
    }

    private ConstValue BindEnumValue(ConstValueSyntax syntax, DefinitionRef enumRef, string path)
    {
        var model = EnumModelOf(enumRef);
        switch (syntax)
        {
            case IntegerValueSyntax integer:
                if (model is null)
                {
                    return ErrorConst.Instance;
                }

                foreach (var member in model.Members)
                {
                    if (member.Value == integer.Value)
                    {
                        return new EnumConst(enumRef, member.Name, member.Value);
                    }
                }

                Report(ThriftDiagnostics.NoEnumMemberWithValue, syntax.Span.Start, enumRef.Name, integer.Value);
                return ErrorConst.Instance;
            case IdentifierValueSyntax identifier:
                {
                    var text = identifier.Name.Text;
                    var dot = text.LastIndexOf('.');
                    if (dot < 0)
                    {
                        Report(ThriftDiagnostics.UnqualifiedEnumValue, syntax.Span.Start, text, enumRef.Name);
                        return ErrorConst.Instance;
                    }

                    if (model is null)
                    {
                        return ErrorConst.Instance;
                    }

                    // thrift checks only the member name (EnumTest.thrift in Apache Thrift relies on it).
                    var memberName = text[(dot + 1)..];
                    var prefix = text[..dot];
                    var prefixNamesEnum = prefix == enumRef.Name || (prefix.EndsWith("." + enumRef.Name, StringComparison.Ordinal) && enumRef.File != _path);
                    foreach (var member in model.Members)
                    {
                        if (member.Name == memberName)
                        {
                            if (!prefixNamesEnum)
                            {
                                Report(ThriftDiagnostics.EnumValueFromOtherEnum, syntax.Span.Start, text, member.Name, enumRef.Name);
                            }

                            return new EnumConst(enumRef, member.Name, member.Value);
                        }
                    }

                    Report(ThriftDiagnostics.NotAnEnumMember, syntax.Span.Start, path, enumRef.Name, text);
                    return ErrorConst.Instance;
                }

            default:
                return Mismatch(syntax, new NamedType(enumRef, null), path);
        }
    }

    private EnumModel? EnumModelOf(DefinitionRef enumRef)
    {
        if (enumRef.File == _path)
        {
            return _enums.GetValueOrDefault(enumRef.Name);
        }

        return ModelOf(enumRef.File)?.FindEnum(enumRef.Name);
    }

    private ConstValue BindStructValue(ConstValueSyntax syntax, DefinitionRef structRef, string path)
    {
        if (syntax is not MapValueSyntax map)
        {
            return Mismatch(syntax, new NamedType(structRef, null), path);
        }

        // Field name -> type, from this file (being bound) or another file's model.
        Dictionary<string, ThriftType>? fieldTypes = null;
        if (structRef.File == _path)
        {
            if (_structFields.TryGetValue(structRef.Name, out var localFields))
            {
                fieldTypes = new(StringComparer.Ordinal);
                foreach (var (_, model) in localFields)
                {
                    fieldTypes.TryAdd(model.Name, model.Type);
                }
            }
        }
        else if (ModelOf(structRef.File)?.FindStruct(structRef.Name) is { } other)
        {
            fieldTypes = new(StringComparer.Ordinal);
            foreach (var field in other.Fields)
            {
                fieldTypes.TryAdd(field.Name, field.Type);
            }
        }

        var fields = new List<StructConstField>(map.Entries.Count);
        foreach (var entry in map.Entries)
        {
            if (entry.Key is not StringValueSyntax key)
            {
                Report(ThriftDiagnostics.StructKeyNotString, entry.Key.Span.Start, path);
                continue;
            }

            if (fieldTypes is null)
            {
                fields.Add(new StructConstField(key.Value, ErrorConst.Instance));
                continue;
            }

            if (!fieldTypes.TryGetValue(key.Value, out var fieldType))
            {
                Report(ThriftDiagnostics.StructHasNoField, entry.Key.Span.Start, key.Value, structRef.Name);
                continue;
            }

            fields.Add(new StructConstField(key.Value, BindValue(entry.Value, fieldType, path + "." + key.Value)));
        }

        return new StructConst(structRef, fields.ToEquatableArray());
    }

    /// <summary>A name used as a value: another constant or an enum member, local or through an include.</summary>
    private ConstValue ResolveConstReference(IdentifierValueSyntax identifier, ThriftType expected, string path)
    {
        var text = identifier.Name.Text;
        var at = identifier.Span.Start;
        ConstValue? value = null;
        ThriftType? valueType = null;
        if (_consts.TryGetValue(text, out var local))
        {
            if (local.Index >= _currentDefinitionIndex || !_boundConsts.TryGetValue(text, out var bound))
            {
                if (IsContainer(expected))
                {
                    return NamedContainerStartsEmpty(text, expected, at);
                }

                Report(ThriftDiagnostics.ConstantUsedBeforeDeclared, at, text);
                return ErrorConst.Instance;
            }

            (value, valueType) = (bound.Value, bound.Type);
        }
        else if (LookupEnumMember(text) is { } member)
        {
            (value, valueType) = (member, BaseType.I32);
        }
        else
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            while (dot > 0 && value is null)
            {
                var program = text[..dot];
                if (_includes.TryGetValue(program, out var included))
                {
                    var rest = text[(dot + 1)..];
                    if (included.FindConst(rest) is { } constModel)
                    {
                        (value, valueType) = (constModel.Value, constModel.Type);
                    }
                    else if (LookupEnumMember(included, rest) is { } includedMember)
                    {
                        (value, valueType) = (includedMember, BaseType.I32);
                    }
                }
                else if (_failedIncludes.Contains(program))
                {
                    return ErrorConst.Instance;
                }

                dot = text.IndexOf('.', dot + 1);
            }
        }

        if ((value is null || valueType is null) && IsContainer(expected))
        {
            return NamedContainerStartsEmpty(text, expected, at);
        }

        if (value is null || valueType is null)
        {
            Report(ThriftDiagnostics.ConstantNotDefined, at, text, Hint(text, ConstCandidates()));
            return ErrorConst.Instance;
        }

        if (!FitsContainer(value, expected))
        {
            return NamedContainerStartsEmpty(text, expected, at);
        }

        // Remember which constant a container came from (thrift's generators leave it empty).
        return Conform(value, expected, path, at) switch
        {
            ListConst list => list with { Constant = text },
            MapConst map => map with { Constant = text },
            var conformed => conformed,
        };
    }

    private static bool IsContainer(ThriftType type) => type.TrueType is ListType or SetType or MapType;

    /// <summary>Whether a named constant's value has the shape of the container expected (or nothing is a container).</summary>
    private static bool FitsContainer(ConstValue value, ThriftType expected) => expected.TrueType switch
    {
        ListType or SetType => value is ListConst or ErrorConst,
        MapType => value is MapConst or ErrorConst,
        _ => true,
    };

    /// <summary>
    /// thrift 0.17 looks a name up only for scalar types: a list, set or map value naming anything
    /// else (an undefined name, a later constant, a string) is accepted and generated as an empty
    /// container. Kiln accepts it too, with a warning.
    /// </summary>
    private ConstValue NamedContainerStartsEmpty(string text, ThriftType expected, int at)
    {
        var kind = expected.TrueType switch { ListType => "list", SetType => "set", _ => "map" };
        Report(ThriftDiagnostics.ContainerNameNotAConstant, at, text, kind);
        return expected.TrueType is MapType
            ? new MapConst(EquatableArray<MapConstEntry>.Empty, text)
            : new ListConst(EquatableArray<ConstValue>.Empty, text);
    }

    private EnumConst? LookupEnumMember(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || !_enums.TryGetValue(text[..dot], out var enumModel))
        {
            return null;
        }

        var name = text[(dot + 1)..];
        foreach (var member in enumModel.Members)
        {
            if (member.Name == name)
            {
                return new EnumConst(new DefinitionRef(_path, enumModel.Name, DefinitionKind.Enum), member.Name, member.Value);
            }
        }

        return null;
    }

    private static EnumConst? LookupEnumMember(ThriftFileModel model, string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || model.FindEnum(text[..dot]) is not { } enumModel)
        {
            return null;
        }

        var name = text[(dot + 1)..];
        foreach (var member in enumModel.Members)
        {
            if (member.Name == name)
            {
                return new EnumConst(new DefinitionRef(model.Path, enumModel.Name, DefinitionKind.Enum), member.Name, member.Value);
            }
        }

        return null;
    }

    private IEnumerable<string> ConstCandidates()
    {
        foreach (var name in _boundConsts.Keys)
        {
            yield return name;
        }

        foreach (var enumModel in _enums.Values)
        {
            foreach (var member in enumModel.Members)
            {
                yield return $"{enumModel.Name}.{member.Name}";
            }
        }

        foreach (var (program, model) in _includes)
        {
            foreach (var constModel in model.Consts)
            {
                yield return $"{program}.{constModel.Name}";
            }
        }
    }

    /// <summary>Checks an already resolved value (of another constant) against the type it is now used as.</summary>
    private ConstValue Conform(ConstValue value, ThriftType expected, string path, int at)
    {
        var trueType = expected.TrueType;
        switch (value, trueType)
        {
            case (ErrorConst, _) or (_, ErrorType):
                return value;
            case (IntegerConst integer, BaseType { Kind: BaseTypeKind.Double }):
                return new DoubleConst(integer.Value);
            case (IntegerConst integer, BaseType { Kind: BaseTypeKind.Bool or BaseTypeKind.I8 or BaseTypeKind.I16 or BaseTypeKind.I32 or BaseTypeKind.I64 } baseType):
                return CheckRange(integer.Value, baseType, path, at) ? integer with { IsBoolean = baseType.Kind == BaseTypeKind.Bool } : ErrorConst.Instance;
            case (EnumConst member, BaseType { Kind: BaseTypeKind.I32 or BaseTypeKind.I64 or BaseTypeKind.Double }):
                return new IntegerConst(member.Value);
            case (EnumConst member, NamedType { Definition.Kind: DefinitionKind.Enum } enumType) when member.Enum == enumType.Definition:
                return member;
            case (DoubleConst, BaseType { Kind: BaseTypeKind.Double }):
            case (StringConst, BaseType { Kind: BaseTypeKind.String or BaseTypeKind.Binary or BaseTypeKind.Uuid }):
                return value;
            case (ListConst list, ListType or SetType):
                var element = trueType is ListType l ? l.Element : ((SetType)trueType).Element;
                var items = new List<ConstValue>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    items.Add(Conform(item, element, path + "<elem>", at));
                }

                return new ListConst(items.ToEquatableArray());
            case (MapConst map, MapType mapType):
                var entries = new List<MapConstEntry>(map.Entries.Count);
                foreach (var entry in map.Entries)
                {
                    entries.Add(new MapConstEntry(Conform(entry.Key, mapType.Key, path + "<key>", at), Conform(entry.Value, mapType.Value, path + "<val>", at)));
                }

                return new MapConst(entries.ToEquatableArray());
            case (StructConst structValue, NamedType structType) when structValue.Struct == structType.Definition:
                return value;
            default:
                Report(ThriftDiagnostics.ValueTypeMismatch, at, path, DescribeType(trueType), DescribeValue(value));
                return ErrorConst.Instance;
        }
    }

    private ErrorConst Mismatch(ConstValueSyntax syntax, ThriftType type, string path)
    {
        Report(ThriftDiagnostics.ValueTypeMismatch, syntax.Span.Start, path, DescribeType(type), DescribeSyntaxValue(syntax));
        return ErrorConst.Instance;
    }

    // ---- Keywords, hints, descriptions -----------------------------------------------------

    private void CheckKeyword(NameSyntax name)
    {
        if (ThriftLanguage.ReservedKeywords.Contains(name.Text))
        {
            Report(ThriftDiagnostics.ReservedKeyword, name.Span.Start, name.Text);
        }
    }

    private string Hint(string name, IEnumerable<string> candidates)
    {
        if (_hintsLeft <= 0)
        {
            return "";
        }

        _hintsLeft--;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance.Compute(name, candidate);
            if (distance < bestDistance || (distance == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var limit = Math.Max(1, Math.Min(3, name.Length / 3));
        return best is not null && bestDistance <= limit ? $" Did you mean '{best}'?" : "";
    }

    private static string DescribeType(ThriftType type) => type switch
    {
        NamedType { Definition: var definition } => $"{definition.Kind.ToString().ToLowerInvariant()} {definition.Name}",
        _ => type.ToString() ?? "?",
    };

    private static string DescribeKind(ThriftType type) => type switch
    {
        NamedType { Definition.Kind: var kind } => Article(kind),
        BaseType baseType => $"the base type {baseType}",
        _ => $"the container type {type}",
    };

    private static string Article(DefinitionKind kind) => kind switch
    {
        DefinitionKind.Enum => "an enum",
        DefinitionKind.Exception => "an exception",
        var other => "a " + other.ToString().ToLowerInvariant(),
    };

    private static string DescribeValue(ConstValue value) => value switch
    {
        IntegerConst integer => integer.Value.ToString(CultureInfo.InvariantCulture),
        DoubleConst number => number.Value.ToString("R", CultureInfo.InvariantCulture),
        StringConst text => $"\"{text.Value}\"",
        EnumConst member => $"{member.Enum.Name}.{member.Member}",
        ListConst => "a list",
        MapConst => "a map",
        StructConst structValue => $"a {structValue.Struct.Name} value",
        _ => "invalid",
    };

    private static string DescribeSyntaxValue(ConstValueSyntax value) => value switch
    {
        IntegerValueSyntax integer => integer.IsBoolean ? (integer.Value != 0 ? "true" : "false") : $"the integer {integer.Value.ToString(CultureInfo.InvariantCulture)}",
        DoubleValueSyntax number => $"the double {number.Value.ToString("R", CultureInfo.InvariantCulture)}",
        StringValueSyntax => "a string",
        IdentifierValueSyntax identifier => identifier.Name.Text,
        ListValueSyntax => "a list",
        MapValueSyntax => "a map",
        _ => "invalid",
    };

    private static string DescribeSyntax(TypeSyntax syntax) => syntax switch
    {
        NamedTypeSyntax named => named.Name.Text,
        ListTypeSyntax => "list",
        SetTypeSyntax => "set",
        MapTypeSyntax => "map",
        _ => "type",
    };

    private static EquatableArray<Annotation> Annotations(EquatableArray<AnnotationSyntax> syntax)
    {
        if (syntax.Count == 0)
        {
            return EquatableArray<Annotation>.Empty;
        }

        var list = new List<Annotation>(syntax.Count);
        foreach (var annotation in syntax)
        {
            list.Add(new Annotation(annotation.Key.Text, annotation.Value));
        }

        return list.ToEquatableArray();
    }

    private void Report(DiagnosticDescriptor descriptor, int offset, params object?[] args) =>
        _diagnostics.Add(descriptor, _source, Math.Clamp(offset, 0, _source.Length), args);
}
