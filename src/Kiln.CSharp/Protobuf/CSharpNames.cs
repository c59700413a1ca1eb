using System.Text;
using Google.Protobuf.Reflection;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// protoc's C# naming rules (<c>compiler/csharp/names.cc</c> and <c>csharp_helpers.cc</c>):
/// namespaces, class, property and enum value names, and output paths. Every rule here decides
/// bytes of the generated code, so each follows protoc's exactly, quirks included.
/// </summary>
public static class CSharpNames
{
    /// <summary>
    /// protoc's <c>UnderscoresToCamelCase</c>: letters after a non-letter (or a digit) are capitalized,
    /// non-alphanumerics dropped (periods kept when asked); a first upper-case letter is lowered unless
    /// <paramref name="capNextLetter"/>; a leading <c>_</c> is kept when the result would start with a digit.
    /// </summary>
    public static string UnderscoresToCamelCase(string input, bool capNextLetter, bool preservePeriod = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c is >= 'a' and <= 'z')
            {
                result.Append(capNextLetter ? (char)(c + ('A' - 'a')) : c);
                capNextLetter = false;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                // A first capital is lowered unless the caller asked for a capital.
                result.Append(i == 0 && !capNextLetter ? (char)(c + ('a' - 'A')) : c);
                capNextLetter = false;
            }
            else if (c is >= '0' and <= '9')
            {
                result.Append(c);
                capNextLetter = true;
            }
            else
            {
                capNextLetter = true;
                if (c == '.' && preservePeriod)
                {
                    result.Append('.');
                }
            }
        }

        if (input.Length > 0 && input[^1] == '#')
        {
            result.Append('_');
        }

        // protobuf issue 8101: an identifier cannot start with a digit, so "_1abc" keeps its underscore.
        if (result.Length > 0 && result[0] is >= '0' and <= '9' && input.Length > 0 && input[0] == '_')
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    public static string UnderscoresToPascalCase(string input) => UnderscoresToCamelCase(input, capNextLetter: true);

    /// <summary>The C# namespace of a file: <c>csharp_namespace</c> when set (even empty), else the package in Pascal case, dots kept.</summary>
    public static string GetFileNamespace(FileDescriptorProto file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Options is { HasCsharpNamespace: true } options)
        {
            return options.CsharpNamespace;
        }

        return UnderscoresToCamelCase(file.Package, capNextLetter: true, preservePeriod: true);
    }

    /// <summary>The Pascal-cased base name of the file: <c>google/protobuf/foo_bar.proto</c> gives <c>FooBar</c>.</summary>
    public static string GetFileNameBase(FileDescriptorProto file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = file.Name;
        var slash = name.LastIndexOf('/');
        var baseName = name[(slash + 1)..];
        var dot = baseName.LastIndexOf('.');
        return UnderscoresToPascalCase(dot < 0 ? baseName : baseName[..dot]);
    }

    public static string GetReflectionClassUnqualifiedName(FileDescriptorProto file) => GetFileNameBase(file) + "Reflection";

    public static string GetExtensionClassUnqualifiedName(FileDescriptorProto file) => GetFileNameBase(file) + "Extensions";

    /// <summary>The reflection class with <c>global::</c> and the namespace: <c>global::Foo.Bar.BazReflection</c>.</summary>
    public static string GetReflectionClassName(FileDescriptorProto file)
    {
        var ns = GetFileNamespace(file);
        return ns.Length == 0 ? "global::" + GetReflectionClassUnqualifiedName(file) : "global::" + ns + "." + GetReflectionClassUnqualifiedName(file);
    }

    /// <summary>
    /// A message or enum's C# name from its full proto name (no leading dot): <c>global::</c>, the file's
    /// namespace, then the name without the package, with <c>.Types.</c> between nesting levels.
    /// </summary>
    public static string ToCSharpName(string fullName, FileDescriptorProto file)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        ArgumentNullException.ThrowIfNull(file);
        var ns = GetFileNamespace(file);
        var className = file.Package.Length == 0 ? fullName : fullName[(file.Package.Length + 1)..];
        var result = new StringBuilder("global::", 8 + ns.Length + 1 + className.Length + 16);
        if (ns.Length > 0)
        {
            result.Append(ns).Append('.');
        }

        result.Append(className.Replace(".", ".Types.", StringComparison.Ordinal));
        return result.ToString();
    }

    /// <summary>
    /// The path of the generated file: the Pascal base name plus the extension, under namespace folders
    /// (relative to <paramref name="baseNamespace"/>) only when a base namespace was given.
    /// Null with <paramref name="error"/> set when the namespace is not under the base namespace.
    /// </summary>
    public static string? GetOutputFile(FileDescriptorProto file, string fileExtension, bool generateDirectories, string baseNamespace, out string? error)
    {
        error = null;
        var relative = GetFileNameBase(file) + fileExtension;
        if (!generateDirectories)
        {
            return relative;
        }

        var ns = GetFileNamespace(file);
        var suffix = ns;
        if (baseNamespace.Length > 0)
        {
            // "Foo.B" is not a prefix namespace of "Foo.Bar": compare whole segments.
            if (!suffix.StartsWith(baseNamespace, StringComparison.Ordinal))
            {
                error = $"Namespace {ns} is not a prefix namespace of base namespace {baseNamespace}";
                return null;
            }

            suffix = suffix[baseNamespace.Length..];
            if (suffix.Length > 0)
            {
                if (suffix[0] != '.')
                {
                    error = $"Namespace {ns} is not a prefix namespace of base namespace {baseNamespace}";
                    return null;
                }

                suffix = suffix[1..];
            }
        }

        return suffix.Length == 0 ? relative : suffix.Replace('.', '/') + "/" + relative;
    }

    /// <summary>
    /// protoc's <c>ShoutyToPascalCase</c>: non-alphanumerics dropped; a character after a non-letter or a
    /// digit is upper-cased, after a lower-case letter kept, after an upper-case letter lowered.
    /// </summary>
    public static string ShoutyToPascalCase(string input)
    {
        var result = new StringBuilder(input.Length);
        var previous = '_';
        foreach (var current in input)
        {
            if (!char.IsAsciiLetterOrDigit(current))
            {
                previous = current;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(previous) || char.IsAsciiDigit(previous))
            {
                result.Append(char.ToUpperInvariant(current));
            }
            else if (char.IsAsciiLetterLower(previous))
            {
                result.Append(current);
            }
            else
            {
                result.Append(char.ToLowerInvariant(current));
            }

            previous = current;
        }

        return result.ToString();
    }

    /// <summary>
    /// protoc's <c>TryRemovePrefix</c>: strips <paramref name="prefix"/> from <paramref name="value"/>
    /// ignoring case and underscores (and underscores after it), unless nothing would remain.
    /// </summary>
    public static string TryRemovePrefix(string prefix, string value)
    {
        var toMatch = new StringBuilder(prefix.Length);
        foreach (var c in prefix)
        {
            if (c != '_')
            {
                toMatch.Append(char.ToLowerInvariant(c));
            }
        }

        int prefixIndex = 0, valueIndex = 0;
        for (; prefixIndex < toMatch.Length && valueIndex < value.Length; valueIndex++)
        {
            if (value[valueIndex] == '_')
            {
                continue;
            }

            if (char.ToLowerInvariant(value[valueIndex]) != toMatch[prefixIndex++])
            {
                return value;
            }
        }

        if (prefixIndex < toMatch.Length)
        {
            return value;
        }

        while (valueIndex < value.Length && value[valueIndex] == '_')
        {
            valueIndex++;
        }

        return valueIndex == value.Length ? value : value[valueIndex..];
    }

    /// <summary>An enum value's C# name: the enum's name stripped as a prefix, then Pascal case; <c>_</c> first if it starts with a digit.</summary>
    public static string GetEnumValueName(string enumName, string valueName)
    {
        var result = ShoutyToPascalCase(TryRemovePrefix(enumName, valueName));
        return result.Length > 0 && char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}
