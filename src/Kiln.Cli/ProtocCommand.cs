using System.CommandLine;
using Kiln.Build;

namespace Kiln.Cli;

/// <summary>
/// <c>kiln protoc</c>: a drop-in for <c>protoc</c> with protoc's own argument grammar
/// (<c>-IDIR</c>, <c>--flag=value</c>, <c>@argsfile</c>, <c>--NAME_out=[OPTS:]DIR</c>), parsed by hand
/// (<see cref="ProtocArguments"/>) because System.CommandLine cannot express <c>--ANY_out</c>.
/// Messages keep protoc's shapes (<c>file:line:col: message</c>) for scripts that parse them.
/// </summary>
internal static class ProtocCommand
{
    private const string HelpText = """
        Usage: kiln protoc [OPTION] PROTO_FILES
        Parse PROTO_FILES and generate output based on the options given, as protoc 35.1 does.
          -IPATH, --proto_path=PATH   Specify the folder in which to search for imports.
                                      May be given multiple times; folders are searched in
                                      order. PATH may also be VIRTUAL=DIR. Without it, the
                                      current folder is used. Each PROTO_FILE must be under
                                      one of these folders (or be a virtual path in one).
          -oFILE, --descriptor_set_out=FILE
                                      Write a FileDescriptorSet (a protocol buffer, defined in
                                      descriptor.proto) holding all of the input files to FILE.
          --include_imports           With --descriptor_set_out, also include all
                                      dependencies of the input files, so the set is
                                      self-contained.
          --include_source_info       With --descriptor_set_out, keep SourceCodeInfo
                                      (source locations and comments).
          --dependency_out=FILE       Write a dependency output file in the format
                                      expected by make: the outputs, then every .proto
                                      file they were made from. One input file only.
          --plugin=EXECUTABLE         Specify a plugin executable to use. Normally protoc
                                      searches the PATH for plugins, but you may specify
                                      plugins that are not in the path with
                                      --plugin=protoc-gen-NAME=PATH.
          --NAME_out=[OPTS:]OUT_DIR   Run plugin protoc-gen-NAME (see --plugin) and write its
                                      files to OUT_DIR; OPTS is passed to the plugin.
          --NAME_opt=OPTION           Pass OPTION to the plugin of --NAME_out (joined to
                                      OPTS with ',').
          --csharp_out=OUT_DIR        C# code for Google.Protobuf, as protoc --csharp_out
                                      writes it (Kiln's own generator, no native code).
          --csharp_opt=OPTION         file_extension=EXT, base_namespace=NS (files in
                                      namespace folders below NS), internal_access,
                                      serializable.
          --grpc_out=[OPTS:]OUT_DIR   gRPC C# services and clients for Grpc.Core.Api, as
                                      grpc_csharp_plugin writes them (built in). With
                                      --plugin=protoc-gen-grpc=PATH that program runs instead.
          --grpc_opt=OPTION           no_client, no_server, internal_access,
                                      file_suffix=SUFFIX, base_namespace=NS,
                                      append_async_suffix=true.
          --fatal_warnings            Make warnings fatal (exit code 1).
          --error_format=FORMAT       gcc (file:line:col: message, the default) or msvs.
          --version                   Show the protoc version Kiln reproduces.
          -h, --help                  Show this text.
          @<filename>                 Read options and filenames from a file, one per line.
        Other protoc built-in generators (--cpp_out, --java_out, ...) are not available.
        Exit codes: 0 success, 1 errors in the .proto files or a failed plugin,
        2 usage or I/O errors (unknown flag, missing file, unwritable output).
        """;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        // System.CommandLine's --help shows this description, so it explains every protoc option.
        var arguments = new Argument<string[]>("ARGS")
        {
            Description = "protoc's arguments, in protoc's grammar:\n" + HelpText[(HelpText.IndexOf('\n', StringComparison.Ordinal) + 1)..],
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("protoc", "Compile .proto files as protoc does: descriptor sets and plugins (gRPC), with protoc's arguments.")
        {
            arguments,
        };
        command.TreatUnmatchedTokensAsErrors = false;

        command.SetAction(parse =>
        {
            // The raw tokens after 'protoc', in order: protoc's grammar is applied by hand.
            var tokens = parse.Tokens.ToList();
            var start = tokens.FindIndex(t => t.Type == System.CommandLine.Parsing.TokenType.Command && t.Value == "protoc") + 1;
            return Run([.. tokens.Skip(start).Select(t => t.Value)], stdout, stderr);
        });
        return command;
    }

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
        {
            stdout.WriteLine(HelpText);
            return ExitCodes.UsageOrIOError;
        }

        var request = ProtocArguments.Parse(args, out var error);
        if (request == null)
        {
            stderr.WriteLine(error);
            stderr.WriteLine("Run 'kiln protoc --help' for usage.");
            return ExitCodes.UsageOrIOError;
        }

        if (request.ShowHelp)
        {
            stdout.WriteLine(HelpText);
            return ExitCodes.Success;
        }

        if (request.ShowVersion)
        {
            stdout.WriteLine($"libprotoc 35.1 (kiln {KilnCommandLine.Version})");
            return ExitCodes.Success;
        }

        var result = ProtocRun.Run(request);
        foreach (var message in result.Messages)
        {
            stderr.WriteLine(message);
        }

        return result.Outcome switch
        {
            ProtocOutcome.Success => ExitCodes.Success,
            ProtocOutcome.Errors => ExitCodes.DiagnosticErrors,
            _ => ExitCodes.UsageOrIOError,
        };
    }
}
