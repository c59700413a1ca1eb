using System.CommandLine;
using System.CommandLine.Parsing;
using Kiln.Build;
using Kiln.Thrift;

namespace Kiln.Cli;

/// <summary>
/// <c>kiln thrift</c>: a drop-in for <c>thrift --gen netstd</c>, with thrift's own option
/// spellings (<c>-out</c>, <c>-o</c>, <c>-I</c>, <c>-r</c>, <c>-v</c>, <c>--gen</c>, <c>-nowarn</c>,
/// <c>-strict</c>, <c>--allow-neg-keys</c>, <c>--allow-64bit-consts</c>, <c>-debug</c>; thrift
/// takes each with one dash or two).
/// </summary>
internal static class ThriftCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var gen = new Option<string[]>("--gen", "-gen")
        {
            HelpName = "LANGUAGE[:OPTIONS]",
            Description = "Generate code: LANGUAGE[:opt1,opt2,...], e.g. netstd or netstd:union,pascal. Repeatable. Without it, files are only checked.",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("-out", "--out")
        {
            Description = "Write generated files straight into DIR (no gen-* folder).",
            HelpName = "DIR",
        };
        var genPackages = new Option<string?>("-o")
        {
            Description = "Write generated files under DIR/gen-LANGUAGE (default: the current folder).",
            HelpName = "DIR",
        };
        var includes = new Option<string[]>("-I")
        {
            Description = "Add DIR to the folders searched for include directives (after the including file's own folder). Repeatable.",
            HelpName = "DIR",
        };
        var recursive = new Option<bool>("-r", "-recurse", "--recurse")
        {
            Description = "Also generate code for the included files.",
        };
        var verbose = new Option<bool>("-v", "-verbose", "--verbose")
        {
            Description = "Say what is read and written.",
        };
        var noWarn = new Option<bool>("-nowarn", "--nowarn")
        {
            Description = "Suppress compiler warnings (as thrift, still show a missing include and 'async'). The later of -nowarn and -strict wins.",
        };
        var strict = new Option<bool>("-strict", "--strict")
        {
            Description = "Strict checking: a field without an explicit key is an error, and doc comments that document nothing are reported.",
        };
        var allowNegativeKeys = new Option<bool>("--allow-neg-keys", "-allow-neg-keys")
        {
            Description = "Keep explicit field keys <= 0 (for old IDL whose fields had implicit negative keys) instead of replacing them.",
        };
        var allow64BitConstants = new Option<bool>("--allow-64bit-consts", "-allow-64bit-consts")
        {
            Description = "Do not warn about integer constants outside the 32-bit range.",
        };
        var debug = new Option<bool>("-debug", "--debug")
        {
            Description = "Print a debug trace to stdout: the flags in effect and what each engine query did.",
        };
        var files = new Argument<string[]>("FILE")
        {
            Description = "Thrift IDL files to compile.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("thrift", "Compile Thrift IDL to C# (netstd), as 'thrift --gen netstd' does.")
        {
            gen, output, genPackages, includes, recursive, verbose, noWarn, strict, allowNegativeKeys, allow64BitConstants, debug, files,
        };
        command.SetAction(parse =>
        {
            var options = new ThriftOptions(
                Strict: parse.GetValue(strict),
                AllowNegativeFieldKeys: parse.GetValue(allowNegativeKeys),
                Allow64BitConstants: parse.GetValue(allow64BitConstants),
                WarningLevel: WarningLevel(parse, noWarn, strict));
            var request = new ThriftBuildRequest(
                parse.GetValue(files) ?? [],
                parse.GetValue(includes) ?? [],
                parse.GetValue(gen) ?? [],
                parse.GetValue(output),
                parse.GetValue(genPackages),
                parse.GetValue(recursive),
                parse.GetValue(verbose),
                options);
            return Run(request, parse.GetValue(debug), stdout, stderr);
        });
        return command;
    }

    /// <summary>
    /// thrift reads its flags in order: <c>-nowarn</c> sets the warning level to 0 and
    /// <c>-strict</c> sets it to 2, so the later one wins (<c>-strict -nowarn</c> is strict checking
    /// with no warnings).
    /// </summary>
    private static int WarningLevel(ParseResult parse, Option<bool> noWarn, Option<bool> strict)
    {
        var level = ThriftOptions.DefaultWarningLevel;
        foreach (var token in parse.Tokens)
        {
            if (token.Type != TokenType.Option)
            {
                continue;
            }

            if (noWarn.Name == token.Value || noWarn.Aliases.Contains(token.Value))
            {
                level = ThriftOptions.NoWarningsLevel;
            }
            else if (strict.Name == token.Value || strict.Aliases.Contains(token.Value))
            {
                level = ThriftOptions.StrictWarningLevel;
            }
        }

        return level;
    }

    private static int Run(ThriftBuildRequest request, bool debug, TextWriter stdout, TextWriter stderr)
    {
        if (request.OutputDirectory is not null && request.GenPackagesDirectory is not null)
        {
            stderr.WriteLine("kiln thrift: error KLN0001: -out and -o cannot be used together.");
            return ExitCodes.UsageOrIOError;
        }

        foreach (var spec in request.Generators)
        {
            if (ThriftBuild.ParseGenerator(spec, out var problems) is null)
            {
                foreach (var problem in problems)
                {
                    stderr.WriteLine($"kiln thrift: {problem.ToMSBuildFormat().Replace("kiln: ", "", StringComparison.Ordinal)}");
                }

                return ExitCodes.UsageOrIOError;
            }
        }

        var result = ThriftBuild.Run(request);
        foreach (var diagnostic in result.Diagnostics)
        {
            (diagnostic.IsError ? stderr : stdout).WriteLine(diagnostic.ToMSBuildFormat());
        }

        if (request.Verbose)
        {
            foreach (var path in result.Read)
            {
                stdout.WriteLine($"read {path}");
            }

            foreach (var path in result.Written)
            {
                stdout.WriteLine($"wrote {path}");
            }

            foreach (var path in result.Unchanged)
            {
                stdout.WriteLine($"unchanged {path}");
            }
        }

        if (debug)
        {
            WriteDebugTrace(request, result, stdout);
        }

        if (result.Diagnostics.Any(d => d.Code is "KLN0002" or "KLN0003"))
        {
            return ExitCodes.UsageOrIOError;
        }

        return result.HasErrors ? ExitCodes.DiagnosticErrors : ExitCodes.Success;
    }

    /// <summary>
    /// <c>-debug</c>: thrift prints its parser's reductions; Kiln has no such trace, so it prints
    /// what it has: the flags in effect and, per engine query, how often it ran and was reused.
    /// </summary>
    private static void WriteDebugTrace(ThriftBuildRequest request, ThriftBuildResult result, TextWriter stdout)
    {
        var options = request.Options ?? ThriftOptions.Default;
        stdout.WriteLine(FormattableString.Invariant(
            $"debug: flags strict={OnOff(options.Strict)} allow-neg-keys={OnOff(options.AllowNegativeFieldKeys)} allow-64bit-consts={OnOff(options.Allow64BitConstants)} warning-level={options.WarningLevel}"));
        foreach (var statistics in result.Statistics)
        {
            stdout.WriteLine(FormattableString.Invariant(
                $"debug: query {statistics.Query}: ran {statistics.Executions}, reused {statistics.Hits + statistics.Validations}, backdated {statistics.Backdates}, {statistics.ExecutionTime.TotalMilliseconds:0.###} ms"));
        }

        static string OnOff(bool value) => value ? "on" : "off";
    }
}
