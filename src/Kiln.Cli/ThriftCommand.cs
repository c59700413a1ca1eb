using System.CommandLine;
using Kiln.Build;

namespace Kiln.Cli;

/// <summary>
/// <c>kiln thrift</c>: a drop-in for <c>thrift --gen netstd</c>, with thrift's own option
/// spellings (<c>-out</c>, <c>-o</c>, <c>-I</c>, <c>-r</c>, <c>-v</c>, <c>--gen</c>).
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
        var files = new Argument<string[]>("FILE")
        {
            Description = "Thrift IDL files to compile.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("thrift", "Compile Thrift IDL to C# (netstd), as 'thrift --gen netstd' does.")
        {
            gen, output, genPackages, includes, recursive, verbose, files,
        };
        command.SetAction(parse =>
        {
            var request = new ThriftBuildRequest(
                parse.GetValue(files) ?? [],
                parse.GetValue(includes) ?? [],
                parse.GetValue(gen) ?? [],
                parse.GetValue(output),
                parse.GetValue(genPackages),
                parse.GetValue(recursive),
                parse.GetValue(verbose));
            return Run(request, stdout, stderr);
        });
        return command;
    }

    private static int Run(ThriftBuildRequest request, TextWriter stdout, TextWriter stderr)
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
            foreach (var path in result.Written)
            {
                stdout.WriteLine($"wrote {path}");
            }

            foreach (var path in result.Unchanged)
            {
                stdout.WriteLine($"unchanged {path}");
            }
        }

        if (result.Diagnostics.Any(d => d.Code is "KLN0002" or "KLN0003"))
        {
            return ExitCodes.UsageOrIOError;
        }

        return result.HasErrors ? ExitCodes.DiagnosticErrors : ExitCodes.Success;
    }
}
