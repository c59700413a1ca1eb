using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.CSharp.Netstd;

/// <summary>What the emitters need to know about a resolved Thrift type, after typedefs.</summary>
internal enum TypeCategory
{
    Bool,
    I8,
    I16,
    I32,
    I64,
    Double,
    String,
    Binary,
    Uuid,
    Enum,
    Struct,
    Union,
    Exception,
    List,
    Set,
    Map,

    /// <summary>Did not resolve (an error the front end reported).</summary>
    Error,
}

/// <summary>
/// C# names and wire shapes of Thrift types for one generated file: type names are written
/// <c>global::</c>-qualified with the namespace of the file that defines them, as the netstd generator does.
/// </summary>
internal sealed class NetstdTypes
{
    private readonly ThriftFileModel _file;
    private readonly Func<string, ThriftFileModel?> _modelOf;

    public NetstdTypes(ThriftFileModel file, Func<string, ThriftFileModel?> modelOf)
    {
        _file = file;
        _modelOf = modelOf;
    }

    public static TypeCategory Category(ThriftType type) => type.TrueType switch
    {
        BaseType { Kind: var kind } => kind switch
        {
            BaseTypeKind.Bool => TypeCategory.Bool,
            BaseTypeKind.I8 => TypeCategory.I8,
            BaseTypeKind.I16 => TypeCategory.I16,
            BaseTypeKind.I32 => TypeCategory.I32,
            BaseTypeKind.I64 => TypeCategory.I64,
            BaseTypeKind.Double => TypeCategory.Double,
            BaseTypeKind.String => TypeCategory.String,
            BaseTypeKind.Binary => TypeCategory.Binary,
            _ => TypeCategory.Uuid,
        },
        ListType => TypeCategory.List,
        SetType => TypeCategory.Set,
        MapType => TypeCategory.Map,
        NamedType { Definition.Kind: DefinitionKind.Enum } => TypeCategory.Enum,
        NamedType { Definition.Kind: DefinitionKind.Senum } => TypeCategory.String,
        NamedType { Definition.Kind: DefinitionKind.Union } => TypeCategory.Union,
        NamedType { Definition.Kind: DefinitionKind.Exception } => TypeCategory.Exception,
        NamedType { Definition.Kind: DefinitionKind.Struct } => TypeCategory.Struct,
        _ => TypeCategory.Error,
    };

    public static bool IsContainer(ThriftType type) => Category(type) is TypeCategory.List or TypeCategory.Set or TypeCategory.Map;

    public static bool IsStructLike(ThriftType type) => Category(type) is TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception;

    /// <summary>A reference type in C#, so a null check guards it: strings, binary, containers and structs.</summary>
    public static bool IsNullable(ThriftType type) => Category(type) is TypeCategory.String or TypeCategory.Binary
        or TypeCategory.List or TypeCategory.Set or TypeCategory.Map
        or TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception;

    /// <summary>The <c>TType</c> member the type travels as.</summary>
    public static string TType(ThriftType type) => Category(type) switch
    {
        TypeCategory.Bool => "TType.Bool",
        TypeCategory.I8 => "TType.Byte",
        TypeCategory.I16 => "TType.I16",
        TypeCategory.I32 or TypeCategory.Enum => "TType.I32",
        TypeCategory.I64 => "TType.I64",
        TypeCategory.Double => "TType.Double",
        TypeCategory.String or TypeCategory.Binary => "TType.String",
        TypeCategory.Uuid => "TType.Uuid",
        TypeCategory.List => "TType.List",
        TypeCategory.Set => "TType.Set",
        TypeCategory.Map => "TType.Map",
        _ => "TType.Struct",
    };

    /// <summary>The C# type: <c>int</c>, <c>List&lt;string&gt;</c>, <c>global::ns.Point</c>.</summary>
    public string Name(ThriftType type)
    {
        var trueType = type.TrueType;
        return trueType switch
        {
            BaseType { Kind: var kind } => kind switch
            {
                BaseTypeKind.Bool => "bool",
                BaseTypeKind.I8 => "sbyte",
                BaseTypeKind.I16 => "short",
                BaseTypeKind.I32 => "int",
                BaseTypeKind.I64 => "long",
                BaseTypeKind.Double => "double",
                BaseTypeKind.String => "string",
                BaseTypeKind.Binary => "byte[]",
                _ => "global::System.Guid",
            },
            ListType list => $"List<{Name(list.Element)}>",
            SetType set => $"HashSet<{Name(set.Element)}>",
            MapType map => $"Dictionary<{Name(map.Key)}, {Name(map.Value)}>",
            NamedType { Definition.Kind: DefinitionKind.Senum } => "string",
            NamedType named => Qualified(named.Definition),
            _ => "object",
        };
    }

    /// <summary>A definition's C# name, <c>global::</c>-qualified when its file has a netstd namespace.</summary>
    public string Qualified(DefinitionRef definition)
    {
        var ns = NamespaceOf(definition.File);
        var name = NetstdNames.Escape(definition.Name);
        return ns is null ? name : $"global::{ns}.{name}";
    }

    public string? NamespaceOf(string file)
    {
        if (file == _file.Path)
        {
            return _file.NetstdNamespace;
        }

        return _modelOf(file)?.NetstdNamespace;
    }

    /// <summary>The definitions a type mentions that did not resolve.</summary>
    public static IEnumerable<string> Unresolved(ThriftType type)
    {
        var stack = new Stack<ThriftType>();
        stack.Push(type);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case ErrorType error:
                    yield return error.Name;
                    break;
                case ListType list:
                    stack.Push(list.Element);
                    break;
                case SetType set:
                    stack.Push(set.Element);
                    break;
                case MapType map:
                    stack.Push(map.Value);
                    stack.Push(map.Key);
                    break;
                case NamedType { Target: { } target }:
                    stack.Push(target);
                    break;
            }
        }
    }
}
