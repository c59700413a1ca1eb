namespace Kiln.Build;

/// <summary>One <c>--NAME_out</c> generator: a plugin, or a protoc built-in Kiln does not have.</summary>
/// <param name="Name">NAME in <c>--NAME_out</c>.</param>
/// <param name="OutputDirectory">DIR in <c>--NAME_out=[OPTS:]DIR</c>.</param>
/// <param name="Parameter">OPTS from <c>--NAME_out</c>, then each <c>--NAME_opt</c>, joined by <c>,</c> (protoc's order).</param>
public sealed record ProtocGenerator(string Name, string OutputDirectory, string Parameter);

/// <summary>A <c>kiln protoc</c> command line, parsed the way protoc parses its own.</summary>
public sealed record ProtocRequest
{
    public List<string> ProtoPaths { get; } = [];

    public List<string> Inputs { get; } = [];

    public string? DescriptorSetOut { get; set; }

    /// <summary><c>--dependency_out=FILE</c>: a make rule naming the outputs and every .proto they came from.</summary>
    public string? DependencyOut { get; set; }

    public bool IncludeImports { get; set; }

    public bool IncludeSourceInfo { get; set; }

    public bool FatalWarnings { get; set; }

    /// <summary><c>gcc</c> (protoc's <c>file:line:col: message</c>, the default) or <c>msvs</c> (<c>file(line) : error in column=col: message</c>).</summary>
    public string ErrorFormat { get; set; } = "gcc";

    public List<ProtocGenerator> Generators { get; } = [];

    /// <summary><c>protoc-gen-NAME</c> → program, from <c>--plugin</c>.</summary>
    public Dictionary<string, string> Plugins { get; } = new(StringComparer.Ordinal);

    public bool ShowVersion { get; set; }

    public bool ShowHelp { get; set; }
}

/// <summary>
/// protoc's command-line grammar: <c>--flag=value</c> or <c>--flag value</c>, <c>-Ivalue</c> or
/// <c>-I value</c>, <c>@file</c> (one argument per line), and <c>--NAME_out</c> / <c>--NAME_opt</c>
/// for any NAME. An unknown flag is an error naming it.
/// </summary>
public static class ProtocArguments
{
    /// <summary>protoc's built-in generators; Kiln has none of them yet (csharp is the next one).</summary>
    public static IReadOnlySet<string> BuiltInGenerators { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cpp", "csharp", "java", "kotlin", "objc", "php", "pyi", "python", "ruby", "rust", "upb", "upbdefs", "upb_minitable",
    };

    private static readonly HashSet<string> s_flagsWithValue = new(StringComparer.Ordinal)
    {
        "-I", "--proto_path", "-o", "--descriptor_set_out", "--dependency_out", "--plugin", "--error_format",
    };

    private static readonly HashSet<string> s_flagsWithoutValue = new(StringComparer.Ordinal)
    {
        "--include_imports", "--include_source_info", "--fatal_warnings", "--version", "-h", "--help",
        "--experimental_allow_proto3_optional", "--experimental_editions", "--retain_options",
    };

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set when the command line is wrong.</summary>
    public static ProtocRequest? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        var expanded = new List<string>();
        foreach (var arg in args)
        {
            if (arg.StartsWith('@') && arg.Length > 1)
            {
                var file = arg[1..];
                try
                {
                    foreach (var line in File.ReadAllLines(file))
                    {
                        var trimmed = line.TrimEnd('\r');
                        if (trimmed.Length > 0)
                        {
                            expanded.Add(trimmed);
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error = $"Failed to open argument file: {file}";
                    return null;
                }
            }
            else
            {
                expanded.Add(arg);
            }
        }

        var request = new ProtocRequest();
        var outs = new List<(string Name, string Value)>();
        var opts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < expanded.Count; i++)
        {
            var arg = expanded[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                request.Inputs.Add(arg);
                continue;
            }

            string name;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                (name, value) = eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
            }
            else
            {
                // Short flags take their value glued on (-IDIR, -oFILE) or as the next argument.
                name = arg[..2];
                value = arg.Length > 2 ? arg[2..] : null;
            }

            var isOut = name.EndsWith("_out", StringComparison.Ordinal) && name.Length > 6;
            var isOpt = name.EndsWith("_opt", StringComparison.Ordinal) && name.Length > 6;
            var needsValue = s_flagsWithValue.Contains(name) || isOut || isOpt;
            if (!needsValue && !s_flagsWithoutValue.Contains(name))
            {
                error = $"Unknown flag: {name}";
                return null;
            }

            if (needsValue && value == null)
            {
                if (i + 1 >= expanded.Count || (expanded[i + 1].StartsWith('-') && expanded[i + 1].Length > 1))
                {
                    error = $"Missing value for flag: {name}";
                    return null;
                }

                value = expanded[++i];
            }
            else if (!needsValue && value != null)
            {
                error = $"{name} does not take a value.";
                return null;
            }

            switch (name)
            {
                case "-I" or "--proto_path":
                    // protoc splits a proto path on the platform's path separator.
                    foreach (var part in value!.Split(Path.PathSeparator))
                    {
                        if (part.Length > 0)
                        {
                            request.ProtoPaths.Add(part);
                        }
                    }

                    break;
                case "-o" or "--descriptor_set_out" or "--dependency_out":
                    var isSet = name != "--dependency_out";
                    if ((isSet ? request.DescriptorSetOut : request.DependencyOut) != null)
                    {
                        error = $"{name} may only be passed once.";
                        return null;
                    }

                    if (isSet)
                    {
                        request.DescriptorSetOut = value;
                    }
                    else
                    {
                        request.DependencyOut = value;
                    }

                    break;
                case "--plugin":
                    var eq = value!.IndexOf('=', StringComparison.Ordinal);
                    if (eq < 0)
                    {
                        request.Plugins[Path.GetFileNameWithoutExtension(value)] = value;
                    }
                    else
                    {
                        request.Plugins[value[..eq]] = value[(eq + 1)..];
                    }

                    break;
                case "--error_format":
                    if (value is not ("gcc" or "msvs"))
                    {
                        error = $"Unknown error format: {value}";
                        return null;
                    }

                    request.ErrorFormat = value;
                    break;
                case "--include_imports": request.IncludeImports = true; break;
                case "--include_source_info": request.IncludeSourceInfo = true; break;
                case "--fatal_warnings": request.FatalWarnings = true; break;
                case "--version": request.ShowVersion = true; break;
                case "-h" or "--help": request.ShowHelp = true; break;
                case "--experimental_allow_proto3_optional" or "--experimental_editions" or "--retain_options": break;
                default:
                    var generator = name[2..^4];
                    if (isOut)
                    {
                        if (outs.Exists(o => o.Name == generator))
                        {
                            error = $"{name} may only be passed once.";
                            return null;
                        }

                        outs.Add((generator, value!));
                    }
                    else
                    {
                        (opts.TryGetValue(generator, out var list) ? list : opts[generator] = []).Add(value!);
                    }

                    break;
            }
        }

        foreach (var (generator, value) in outs)
        {
            // --NAME_out=OPTS:DIR; on Windows a colon after a drive letter is not a separator.
            var colon = value.LastIndexOf(':');
            var driveLetter = OperatingSystem.IsWindows() && colon == 1 && char.IsLetter(value[0]);
            var (parameter, directory) = colon >= 0 && !driveLetter ? (value[..colon], value[(colon + 1)..]) : ("", value);
            var parts = new List<string>();
            if (parameter.Length > 0)
            {
                parts.Add(parameter);
            }

            if (opts.TryGetValue(generator, out var extra))
            {
                parts.AddRange(extra);
            }

            request.Generators.Add(new ProtocGenerator(generator, directory, string.Join(',', parts)));
        }

        foreach (var generator in opts.Keys)
        {
            if (!outs.Exists(o => o.Name == generator))
            {
                error = $"--{generator}_opt given without --{generator}_out.";
                return null;
            }
        }

        if (!request.ShowHelp && !request.ShowVersion)
        {
            if (request.Inputs.Count == 0)
            {
                error = "Missing input file.";
                return null;
            }

            if (request.DescriptorSetOut == null && request.Generators.Count == 0)
            {
                error = "Missing output directives.";
                return null;
            }

            if (request.DependencyOut != null && request.Inputs.Count > 1)
            {
                error = "Can only process one input file when using --dependency_out=FILE.";
                return null;
            }

            if (request.IncludeImports && request.DescriptorSetOut == null)
            {
                error = "--include_imports only makes sense when combined with --descriptor_set_out.";
                return null;
            }

            if (request.IncludeSourceInfo && request.DescriptorSetOut == null)
            {
                error = "--include_source_info only makes sense when combined with --descriptor_set_out.";
                return null;
            }
        }

        return request;
    }
}
