using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Semantics;

// The resolved model of one Thrift file: what an emitter and other files read. It holds no
// source positions, so an edit that moves text without changing meaning (a comment, a blank
// line) leaves it equal and lets the engine cut off early. Records compare by value throughout.

/// <summary>Names a definition in some file: the file's path as the driver gave it, and the definition's name.</summary>
public sealed record DefinitionRef(string File, string Name, DefinitionKind Kind)
{
    public override string ToString() => $"{File}:{Name}";
}

/// <summary>A resolved type.</summary>
public abstract record ThriftType
{
    /// <summary>The type behind every typedef (thrift's <c>get_true_type</c>).</summary>
    public ThriftType TrueType
    {
        get
        {
            var type = this;
            while (type is NamedType { Target: { } target })
            {
                type = target;
            }

            return type;
        }
    }
}

public sealed record BaseType(BaseTypeKind Kind) : ThriftType
{
    public static readonly BaseType Bool = new(BaseTypeKind.Bool);
    public static readonly BaseType I8 = new(BaseTypeKind.I8);
    public static readonly BaseType I16 = new(BaseTypeKind.I16);
    public static readonly BaseType I32 = new(BaseTypeKind.I32);
    public static readonly BaseType I64 = new(BaseTypeKind.I64);
    public static readonly BaseType Double = new(BaseTypeKind.Double);
    public static readonly BaseType String = new(BaseTypeKind.String);
    public static readonly BaseType Binary = new(BaseTypeKind.Binary);
    public static readonly BaseType Uuid = new(BaseTypeKind.Uuid);

    public static BaseType Of(BaseTypeKind kind) => kind switch
    {
        BaseTypeKind.Bool => Bool,
        BaseTypeKind.I8 => I8,
        BaseTypeKind.I16 => I16,
        BaseTypeKind.I32 => I32,
        BaseTypeKind.I64 => I64,
        BaseTypeKind.Double => Double,
        BaseTypeKind.String => String,
        BaseTypeKind.Binary => Binary,
        _ => Uuid,
    };

    public override string ToString() => Kind.ToString().ToLowerInvariant();
}

public sealed record ListType(ThriftType Element, string? CppType = null) : ThriftType
{
    public override string ToString() => $"list<{Element}>";
}

public sealed record SetType(ThriftType Element, string? CppType = null) : ThriftType
{
    public override string ToString() => $"set<{Element}>";
}

public sealed record MapType(ThriftType Key, ThriftType Value, string? CppType = null) : ThriftType
{
    public override string ToString() => $"map<{Key},{Value}>";
}

/// <summary>
/// A named type: a struct, union, exception or enum (<see cref="Target"/> null), or a typedef
/// whose <see cref="Target"/> is the aliased type (itself maybe another typedef).
/// </summary>
public sealed record NamedType(DefinitionRef Definition, ThriftType? Target) : ThriftType
{
    public override string ToString() => Definition.Name;
}

/// <summary>A type that did not resolve; the error is already reported. Nothing is checked against it.</summary>
public sealed record ErrorType(string Name) : ThriftType
{
    public override string ToString() => Name;
}

public sealed record Annotation(string Key, string Value);

/// <summary>A resolved constant value, typed by where it is used.</summary>
public abstract record ConstValue;

/// <summary>An integer; also a bool (0/1) when <see cref="IsBoolean"/>.</summary>
public sealed record IntegerConst(long Value, bool IsBoolean = false) : ConstValue;

public sealed record DoubleConst(double Value) : ConstValue;

public sealed record StringConst(string Value) : ConstValue;

public sealed record EnumConst(DefinitionRef Enum, string Member, int Value) : ConstValue;

/// <summary>A list or set value.</summary>
/// <param name="Items">The items, written out or copied from the constant the IDL named.</param>
/// <param name="Constant">
/// The constant the IDL named for this value (<c>list&lt;i32&gt; x = numbers</c>), whose items
/// <see cref="Items"/> are; null when the items were written out. thrift 0.17 never looks such a
/// name up and leaves the container empty; emitters that copy thrift read this.
/// </param>
public sealed record ListConst(EquatableArray<ConstValue> Items, string? Constant = null) : ConstValue;

public sealed record MapConstEntry(ConstValue Key, ConstValue Value);

/// <summary>A map value.</summary>
/// <param name="Entries">The entries, written out or copied from the constant the IDL named.</param>
/// <param name="Constant">The constant the IDL named for this value, or null; see <see cref="ListConst.Constant"/>.</param>
public sealed record MapConst(EquatableArray<MapConstEntry> Entries, string? Constant = null) : ConstValue;

public sealed record StructConstField(string Name, ConstValue Value);

public sealed record StructConst(DefinitionRef Struct, EquatableArray<StructConstField> Fields) : ConstValue;

/// <summary>A value that did not check; the error is already reported.</summary>
public sealed record ErrorConst : ConstValue
{
    public static readonly ErrorConst Instance = new();
}

public sealed record FieldModel(
    int Id,
    bool IdAssigned,
    string Name,
    ThriftType Type,
    Requiredness Requiredness,
    ConstValue? Default,
    bool IsReference,
    string? Doc,
    EquatableArray<Annotation> Annotations);

public sealed record EnumMemberModel(string Name, int Value, string? Doc, EquatableArray<Annotation> Annotations);

public sealed record EnumModel(string Name, EquatableArray<EnumMemberModel> Members, string? Doc, EquatableArray<Annotation> Annotations);

public sealed record TypedefModel(string Name, ThriftType Type, string? Doc, EquatableArray<Annotation> Annotations);

public sealed record StructModel(string Name, StructKind Kind, EquatableArray<FieldModel> Fields, string? Doc, EquatableArray<Annotation> Annotations);

public sealed record ConstModel(string Name, ThriftType Type, ConstValue Value, string? Doc);

/// <summary>A function; <see cref="ReturnType"/> is null for <c>void</c>.</summary>
public sealed record FunctionModel(
    string Name,
    ThriftType? ReturnType,
    bool Oneway,
    EquatableArray<FieldModel> Parameters,
    EquatableArray<FieldModel> Throws,
    string? Doc,
    EquatableArray<Annotation> Annotations);

public sealed record ServiceModel(string Name, DefinitionRef? Extends, EquatableArray<FunctionModel> Functions, string? Doc, EquatableArray<Annotation> Annotations);

/// <summary>An include as written and the file it resolved to (null when it did not).</summary>
public sealed record IncludeModel(string Path, string ProgramName, string? ResolvedFile);

public sealed record NamespaceModel(string Scope, string Name, EquatableArray<Annotation> Annotations);

/// <summary>
/// Everything one file defines, resolved. Definitions of each kind keep their declaration
/// order, as thrift's generators emit them.
/// </summary>
/// <param name="Path">The file's path as the driver named it.</param>
/// <param name="ProgramName">thrift's program name: the file name without directory and extension; other files qualify names with it.</param>
/// <param name="NetstdNamespace">The C# namespace thrift 0.17's netstd generator uses: <c>namespace netstd</c>, else <c>namespace *</c>, else none.</param>
public sealed record ThriftFileModel(
    string Path,
    string ProgramName,
    string? NetstdNamespace,
    EquatableArray<NamespaceModel> Namespaces,
    EquatableArray<IncludeModel> Includes,
    EquatableArray<string> CppIncludes,
    EquatableArray<TypedefModel> Typedefs,
    EquatableArray<EnumModel> Enums,
    EquatableArray<StructModel> Structs,
    EquatableArray<ConstModel> Consts,
    EquatableArray<ServiceModel> Services,
    string? Doc)
{
    public StructModel? FindStruct(string name)
    {
        foreach (var model in Structs)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    public EnumModel? FindEnum(string name)
    {
        foreach (var model in Enums)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    public ServiceModel? FindService(string name)
    {
        foreach (var model in Services)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    public TypedefModel? FindTypedef(string name)
    {
        foreach (var model in Typedefs)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    public ConstModel? FindConst(string name)
    {
        foreach (var model in Consts)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    /// <summary>thrift's program name of a path: the file name without directory and last extension.</summary>
    public static string ProgramNameOf(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        var name = slash >= 0 ? path[(slash + 1)..] : path;
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[..dot] : name;
    }
}
