using Kiln.Cli;

return KilnCommandLine.Run(args, Console.Out, Console.Error);
