using System.CommandLine;
using System.Reflection;

namespace Kiln.Cli;

/// <summary>
/// The <c>kiln</c> command line: the root command, its subcommands, and the mapping of every
/// outcome to an exit code (<see cref="ExitCodes"/>). Tests call <see cref="Run"/> directly.
/// </summary>
public static class KilnCommandLine
{
    public static string Version { get; } =
        typeof(KilnCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static RootCommand CreateRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "Kiln: a parallel, incremental compiler for Thrift and Protobuf IDL, producing C#.");
        AddCommands(root, stdout, stderr);
        return root;
    }

    /// <summary>
    /// The one place where subcommands are registered. Each compiler adds its own command here
    /// (<c>thrift</c>, <c>protoc</c>, <c>build</c>, <c>watch</c>, <c>seq</c>), built by a
    /// <c>*Command.Create</c> method in its own file.
    /// </summary>
    private static void AddCommands(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        root.Subcommands.Add(ThriftCommand.Create(stdout, stderr));
        root.Subcommands.Add(ProtocCommand.Create(stdout, stderr));
        root.Subcommands.Add(BuildCommand.CreateBuild(stdout, stderr));
        root.Subcommands.Add(BuildCommand.CreateWatch(stdout, stderr));
        root.Subcommands.Add(BuildCommand.CreateInit(stdout, stderr));
        root.Subcommands.Add(SeqCommand.Create(stdout, stderr));
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var root = CreateRootCommand(stdout, stderr);
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                foreach (var error in parseResult.Errors)
                {
                    stderr.WriteLine($"kiln: error KLN0001: {error.Message}");
                }

                stderr.WriteLine("Run 'kiln --help' for usage.");
                return ExitCodes.UsageOrIOError;
            }

            var configuration = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            };
            return parseResult.Invoke(configuration);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"kiln: error KLN0002: {e.Message}");
            return ExitCodes.UsageOrIOError;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"kiln: error KLN0002: {e.Message}");
            return ExitCodes.UsageOrIOError;
        }
    }
}
