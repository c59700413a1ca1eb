using Kiln.Text;

namespace Kiln.Thrift.Syntax;

/// <summary>A name as written, with its place. Names of definitions never contain dots; references may (<c>inc.Type</c>).</summary>
public sealed record NameSyntax(string Text, TextSpan Span)
{
    public override string ToString() => Text;
}

/// <summary><c>(key = "value", flag)</c>: a flag without a value gets thrift's value "1".</summary>
public sealed record AnnotationSyntax(NameSyntax Key, string Value, TextSpan Span);

/// <summary>One parsed file. Headers (include, cpp_include, namespace) come before definitions, as thrift requires.</summary>
public sealed record DocumentSyntax(
    EquatableArray<HeaderSyntax> Headers,
    EquatableArray<DefinitionSyntax> Definitions,
    string? Doc,
    TextSpan Span);

public abstract record HeaderSyntax(TextSpan Span);

/// <summary><c>include "path"</c>: <see cref="PathSpan"/> covers the literal.</summary>
public sealed record IncludeSyntax(string Path, TextSpan PathSpan, TextSpan Span) : HeaderSyntax(Span);

public sealed record CppIncludeSyntax(string Path, TextSpan Span) : HeaderSyntax(Span);

/// <summary><c>namespace scope name</c>; <see cref="Scope"/> is a language (<c>netstd</c>, <c>py.twisted</c>) or <c>*</c>.</summary>
public sealed record NamespaceSyntax(NameSyntax Scope, NameSyntax Name, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span) : HeaderSyntax(Span);

public enum DefinitionKind
{
    Const,
    Typedef,
    Enum,
    Senum,
    Struct,
    Union,
    Exception,
    Service,
}

public abstract record DefinitionSyntax(NameSyntax Name, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
{
    public abstract DefinitionKind Kind { get; }
}

public sealed record ConstSyntax(TypeSyntax Type, NameSyntax Name, ConstValueSyntax Value, string? Doc, TextSpan Span)
    : DefinitionSyntax(Name, Doc, EquatableArray<AnnotationSyntax>.Empty, Span)
{
    public override DefinitionKind Kind => DefinitionKind.Const;
}

public sealed record TypedefSyntax(TypeSyntax Type, NameSyntax Name, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
    : DefinitionSyntax(Name, Doc, Annotations, Span)
{
    public override DefinitionKind Kind => DefinitionKind.Typedef;
}

/// <summary>An enum member; <see cref="Value"/> is null when implicit (previous + 1, starting at 0).</summary>
public sealed record EnumValueSyntax(NameSyntax Name, long? Value, TextSpan ValueSpan, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span);

public sealed record EnumSyntax(NameSyntax Name, EquatableArray<EnumValueSyntax> Values, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
    : DefinitionSyntax(Name, Doc, Annotations, Span)
{
    public override DefinitionKind Kind => DefinitionKind.Enum;
}

/// <summary><c>senum</c>: parsed for recovery only; thrift 0.17 rejects it.</summary>
public sealed record SenumSyntax(NameSyntax Name, EquatableArray<string> Values, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
    : DefinitionSyntax(Name, Doc, Annotations, Span)
{
    public override DefinitionKind Kind => DefinitionKind.Senum;
}

public enum StructKind
{
    Struct,
    Union,
    Exception,
}

public sealed record StructSyntax(StructKind StructKind, NameSyntax Name, EquatableArray<FieldSyntax> Fields, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
    : DefinitionSyntax(Name, Doc, Annotations, Span)
{
    public override DefinitionKind Kind => StructKind switch
    {
        StructKind.Union => DefinitionKind.Union,
        StructKind.Exception => DefinitionKind.Exception,
        _ => DefinitionKind.Struct,
    };
}

public sealed record ServiceSyntax(NameSyntax Name, NameSyntax? Extends, EquatableArray<FunctionSyntax> Functions, string? Doc, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span)
    : DefinitionSyntax(Name, Doc, Annotations, Span)
{
    public override DefinitionKind Kind => DefinitionKind.Service;
}

/// <summary>A function; <see cref="ReturnType"/> is null for <c>void</c>.</summary>
public sealed record FunctionSyntax(
    bool Oneway,
    TextSpan OnewaySpan,
    TypeSyntax? ReturnType,
    NameSyntax Name,
    EquatableArray<FieldSyntax> Parameters,
    EquatableArray<FieldSyntax> Throws,
    TextSpan ThrowsSpan,
    string? Doc,
    EquatableArray<AnnotationSyntax> Annotations,
    TextSpan Span);

public enum Requiredness
{
    /// <summary>No keyword: thrift's "opt-in, req-out".</summary>
    Default,
    Required,
    Optional,
}

/// <summary>
/// A field, argument or thrown exception. <see cref="Id"/> is null when the source gives none
/// (the binder assigns thrift's negative ids). <see cref="RequirednessSpan"/> covers the keyword, if any.
/// </summary>
public sealed record FieldSyntax(
    long? Id,
    TextSpan IdSpan,
    Requiredness Requiredness,
    TextSpan RequirednessSpan,
    TypeSyntax Type,
    bool IsReference,
    NameSyntax Name,
    ConstValueSyntax? Default,
    string? Doc,
    EquatableArray<AnnotationSyntax> Annotations,
    TextSpan Span);

public enum BaseTypeKind
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
}

public abstract record TypeSyntax(EquatableArray<AnnotationSyntax> Annotations, TextSpan Span);

/// <summary>A base type; <see cref="WrittenAsByte"/> remembers the <c>byte</c> alias of <c>i8</c>.</summary>
public sealed record BaseTypeSyntax(BaseTypeKind BaseType, bool WrittenAsByte, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span) : TypeSyntax(Annotations, Span);

/// <summary>A reference to a defined type, maybe qualified by an include (<c>shared.Thing</c>).</summary>
public sealed record NamedTypeSyntax(NameSyntax Name, TextSpan Span) : TypeSyntax(EquatableArray<AnnotationSyntax>.Empty, Span);

public sealed record ListTypeSyntax(TypeSyntax Element, string? CppType, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span) : TypeSyntax(Annotations, Span);

public sealed record SetTypeSyntax(TypeSyntax Element, string? CppType, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span) : TypeSyntax(Annotations, Span);

public sealed record MapTypeSyntax(TypeSyntax Key, TypeSyntax Value, string? CppType, EquatableArray<AnnotationSyntax> Annotations, TextSpan Span) : TypeSyntax(Annotations, Span);

/// <summary>A type that could not be parsed; the error is already reported.</summary>
public sealed record MissingTypeSyntax(TextSpan Span) : TypeSyntax(EquatableArray<AnnotationSyntax>.Empty, Span);

public abstract record ConstValueSyntax(TextSpan Span);

/// <summary>An integer; <c>true</c>/<c>false</c> are integers 1/0 to thrift, remembered by <see cref="IsBoolean"/>.</summary>
public sealed record IntegerValueSyntax(long Value, bool IsBoolean, TextSpan Span) : ConstValueSyntax(Span);

public sealed record DoubleValueSyntax(double Value, TextSpan Span) : ConstValueSyntax(Span);

public sealed record StringValueSyntax(string Value, TextSpan Span) : ConstValueSyntax(Span);

/// <summary>A name: a constant, an enum member <c>E.V</c>, or either through an include.</summary>
public sealed record IdentifierValueSyntax(NameSyntax Name, TextSpan Span) : ConstValueSyntax(Span);

public sealed record ListValueSyntax(EquatableArray<ConstValueSyntax> Items, TextSpan Span) : ConstValueSyntax(Span);

public sealed record MapEntrySyntax(ConstValueSyntax Key, ConstValueSyntax Value);

public sealed record MapValueSyntax(EquatableArray<MapEntrySyntax> Entries, TextSpan Span) : ConstValueSyntax(Span);

/// <summary>A value that could not be parsed; the error is already reported.</summary>
public sealed record MissingValueSyntax(TextSpan Span) : ConstValueSyntax(Span);
