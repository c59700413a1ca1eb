namespace Kiln.CSharp.Protobuf;

/// <summary><c>--csharp_opt</c>: protoc's C# generator options.</summary>
public sealed record CSharpOptions
{
    /// <summary>Extension of generated files (default <c>.cs</c>).</summary>
    public string FileExtension { get; init; } = ".cs";

    /// <summary>With <see cref="BaseNamespaceSpecified"/>, files go in folders by namespace under this one.</summary>
    public string BaseNamespace { get; init; } = "";

    /// <summary>Whether <c>base_namespace</c> was given (it may be given empty: folders from the first segment).</summary>
    public bool BaseNamespaceSpecified { get; init; }

    /// <summary>Generated classes are <c>internal</c>.</summary>
    public bool InternalAccess { get; init; }

    /// <summary>Messages get <c>[Serializable]</c>.</summary>
    public bool Serializable { get; init; }

    /// <summary>protoc's <c>experimental_strip_nonfunctional_codegen</c> (no comments, no descriptor blob).</summary>
    public bool StripNonfunctionalCodegen { get; init; }

    internal string ClassAccessLevel => InternalAccess ? "internal" : "public";

    /// <summary>Parses the generator parameter (<c>key=value</c> or <c>key</c>, comma-separated); null with <paramref name="error"/> on an unknown option.</summary>
    public static CSharpOptions? Parse(string parameter, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        error = null;
        var options = new CSharpOptions();
        foreach (var item in parameter.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            var key = eq < 0 ? item : item[..eq];
            var value = eq < 0 ? "" : item[(eq + 1)..];
            switch (key)
            {
                case "file_extension":
                    options = options with { FileExtension = value };
                    break;
                case "base_namespace":
                    options = options with { BaseNamespace = value, BaseNamespaceSpecified = true };
                    break;
                case "internal_access":
                    options = options with { InternalAccess = true };
                    break;
                case "serializable":
                    options = options with { Serializable = true };
                    break;
                case "experimental_strip_nonfunctional_codegen":
                    options = options with { StripNonfunctionalCodegen = true };
                    break;
                default:
                    error = "Unknown generator option: " + key;
                    return null;
            }
        }

        return options;
    }
}
