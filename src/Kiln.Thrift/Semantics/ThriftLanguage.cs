using System.Collections.Frozen;

namespace Kiln.Thrift.Semantics;

/// <summary>Fixed word lists of thrift 0.17, kept in one place with where they come from.</summary>
internal static class ThriftLanguage
{
    /// <summary>
    /// Names no definition, field, function or enum value may have: <c>t_generator::lang_keywords()</c>,
    /// which the netstd generator does not override, checked by <c>validate_input()</c> before generating.
    /// </summary>
    public static readonly FrozenSet<string> ReservedKeywords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "BEGIN", "END", "__CLASS__", "__DIR__", "__FILE__", "__FUNCTION__", "__LINE__", "__METHOD__", "__NAMESPACE__",
        "abstract", "alias", "and", "args", "as", "assert", "begin", "break", "case", "catch", "class", "clone", "continue",
        "declare", "def", "default", "del", "delete", "do", "dynamic", "elif", "else", "elseif", "elsif", "end", "enddeclare",
        "endfor", "endforeach", "endif", "endswitch", "endwhile", "ensure", "except", "exec", "finally", "float", "for",
        "foreach", "from", "function", "global", "goto", "if", "implements", "import", "in", "inline", "instanceof",
        "interface", "is", "lambda", "module", "native", "new", "next", "nil", "not", "or", "package", "pass", "public",
        "print", "private", "protected", "raise", "redo", "rescue", "retry", "register", "return", "self", "sizeof",
        "static", "super", "switch", "synchronized", "then", "this", "throw", "transient", "try", "undef", "unless",
        "unsigned", "until", "use", "var", "virtual", "volatile", "when", "while", "with", "xor", "yield",
    ]);

    /// <summary>The generators of Debian's thrift 0.17 (<c>thrift --help</c>): a namespace for another language gets a warning.</summary>
    public static readonly FrozenSet<string> KnownGenerators = FrozenSet.Create(StringComparer.Ordinal,
    [
        "c_glib", "cpp", "d", "dart", "delphi", "erl", "go", "gv", "haxe", "html", "java", "javame", "js", "json", "kotlin",
        "lua", "markdown", "netstd", "ocaml", "perl", "php", "py", "rb", "rs", "st", "swift", "xml", "xsd",
    ]);
}
