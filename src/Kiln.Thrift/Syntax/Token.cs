namespace Kiln.Thrift.Syntax;

public enum TokenKind : byte
{
    EndOfFile,
    Identifier,
    IntegerLiteral,
    DoubleLiteral,
    StringLiteral,

    // Symbols.
    Colon,
    Semicolon,
    Comma,
    OpenBrace,
    CloseBrace,
    OpenParen,
    CloseParen,
    Equals,
    LessThan,
    GreaterThan,
    OpenBracket,
    CloseBracket,
    Star,
    Ampersand,

    // Keywords.
    IncludeKeyword,
    CppIncludeKeyword,
    NamespaceKeyword,
    CppTypeKeyword,
    TypedefKeyword,
    EnumKeyword,
    SenumKeyword,
    ConstKeyword,
    StructKeyword,
    UnionKeyword,
    ExceptionKeyword,
    ServiceKeyword,
    ExtendsKeyword,
    OnewayKeyword,
    VoidKeyword,
    ThrowsKeyword,
    RequiredKeyword,
    OptionalKeyword,
    TrueKeyword,
    FalseKeyword,
    BoolKeyword,
    ByteKeyword,
    I8Keyword,
    I16Keyword,
    I32Keyword,
    I64Keyword,
    DoubleKeyword,
    StringKeyword,
    BinaryKeyword,
    UuidKeyword,
    SlistKeyword,
    MapKeyword,
    ListKeyword,
    SetKeyword,
    XsdAllKeyword,
    XsdOptionalKeyword,
    XsdNillableKeyword,
    XsdAttrsKeyword,

    /// <summary>An old namespace declaration (<c>cpp_namespace</c>, <c>java_package</c>, ...) thrift rejects.</summary>
    UnsupportedNamespaceKeyword,
}

/// <summary>
/// One token: its kind and place. Literal values are decoded on demand by the parser (numbers
/// are parsed by the lexer because it must report overflow), so lexing allocates nothing.
/// </summary>
/// <param name="DocStart">Start of the <c>/** */</c> comment just before this token, or -1.</param>
public readonly record struct Token(TokenKind Kind, int Start, int Length, long IntegerValue, double DoubleValue, int DocStart, int DocLength)
{
    public int End => Start + Length;

    public bool HasDoc => DocStart >= 0;
}

internal static class TokenFacts
{
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Identifier => "an identifier",
        TokenKind.IntegerLiteral => "an integer",
        TokenKind.DoubleLiteral => "a double",
        TokenKind.StringLiteral => "a string literal",
        TokenKind.Colon => "':'",
        TokenKind.Semicolon => "';'",
        TokenKind.Comma => "','",
        TokenKind.OpenBrace => "'{'",
        TokenKind.CloseBrace => "'}'",
        TokenKind.OpenParen => "'('",
        TokenKind.CloseParen => "')'",
        TokenKind.Equals => "'='",
        TokenKind.LessThan => "'<'",
        TokenKind.GreaterThan => "'>'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.Star => "'*'",
        TokenKind.Ampersand => "'&'",
        _ => "keyword",
    };

    public static bool IsKeyword(TokenKind kind) => kind >= TokenKind.IncludeKeyword;

    public static TokenKind KeywordKind(ReadOnlySpan<char> text)
    {
        // Dispatch on length first: cheap, and keeps the common identifier path short.
        switch (text.Length)
        {
            case 2:
                return text is "i8" ? TokenKind.I8Keyword : TokenKind.Identifier;
            case 3:
                return text switch
                {
                    "i16" => TokenKind.I16Keyword,
                    "i32" => TokenKind.I32Keyword,
                    "i64" => TokenKind.I64Keyword,
                    "map" => TokenKind.MapKeyword,
                    "set" => TokenKind.SetKeyword,
                    _ => TokenKind.Identifier,
                };
            case 4:
                return text switch
                {
                    "bool" => TokenKind.BoolKeyword,
                    "byte" => TokenKind.ByteKeyword,
                    "enum" => TokenKind.EnumKeyword,
                    "list" => TokenKind.ListKeyword,
                    "true" => TokenKind.TrueKeyword,
                    "uuid" => TokenKind.UuidKeyword,
                    "void" => TokenKind.VoidKeyword,
                    _ => TokenKind.Identifier,
                };
            case 5:
                return text switch
                {
                    "async" => TokenKind.OnewayKeyword,
                    "const" => TokenKind.ConstKeyword,
                    "false" => TokenKind.FalseKeyword,
                    "senum" => TokenKind.SenumKeyword,
                    "slist" => TokenKind.SlistKeyword,
                    "union" => TokenKind.UnionKeyword,
                    _ => TokenKind.Identifier,
                };
            case 6:
                return text switch
                {
                    "binary" => TokenKind.BinaryKeyword,
                    "double" => TokenKind.DoubleKeyword,
                    "oneway" => TokenKind.OnewayKeyword,
                    "string" => TokenKind.StringKeyword,
                    "struct" => TokenKind.StructKeyword,
                    "throws" => TokenKind.ThrowsKeyword,
                    _ => TokenKind.Identifier,
                };
            case 7:
                return text switch
                {
                    "extends" => TokenKind.ExtendsKeyword,
                    "include" => TokenKind.IncludeKeyword,
                    "service" => TokenKind.ServiceKeyword,
                    "typedef" => TokenKind.TypedefKeyword,
                    "xsd_all" => TokenKind.XsdAllKeyword,
                    _ => TokenKind.Identifier,
                };
            case 8:
                return text switch
                {
                    "cpp_type" => TokenKind.CppTypeKeyword,
                    "optional" => TokenKind.OptionalKeyword,
                    "required" => TokenKind.RequiredKeyword,
                    _ => TokenKind.Identifier,
                };
            case 9:
                return text switch
                {
                    "exception" => TokenKind.ExceptionKeyword,
                    "namespace" => TokenKind.NamespaceKeyword,
                    "py_module" => TokenKind.UnsupportedNamespaceKeyword,
                    "xsd_attrs" => TokenKind.XsdAttrsKeyword,
                    _ => TokenKind.Identifier,
                };
            default:
                return text switch
                {
                    "cpp_include" => TokenKind.CppIncludeKeyword,
                    "xsd_optional" => TokenKind.XsdOptionalKeyword,
                    "xsd_nillable" => TokenKind.XsdNillableKeyword,
                    "cpp_namespace" or "java_package" or "delphi_namespace" or "php_namespace" or "perl_package"
                        or "ruby_namespace" or "smalltalk_category" or "smalltalk_prefix" or "xsd_namespace" => TokenKind.UnsupportedNamespaceKeyword,
                    _ => TokenKind.Identifier,
                };
        }
    }

    /// <summary>thrift's replacement advice for an old namespace keyword: (old form, new form).</summary>
    public static (string Old, string New) UnsupportedNamespace(ReadOnlySpan<char> text) => text switch
    {
        "cpp_namespace" => ("cpp_namespace", "cpp"),
        "java_package" => ("java_package", "java"),
        "delphi_namespace" => ("delphi_namespace", "delphi"),
        "php_namespace" => ("php_namespace", "php"),
        "py_module" => ("py_module", "py"),
        "perl_package" => ("perl_package", "perl"),
        "ruby_namespace" => ("ruby_namespace", "ruby"),
        "smalltalk_category" => ("smalltalk_category", "st"),
        "smalltalk_prefix" => ("smalltalk_prefix", "st"),
        _ => ("xsd_namespace", "xsd"),
    };
}
