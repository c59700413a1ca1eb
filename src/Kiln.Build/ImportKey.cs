namespace Kiln.Build;

/// <summary>
/// The key of an import (Protobuf) or include (Thrift) resolution: the file that names it and the
/// name as written. A class rather than a tuple: the engine's and the framework's collections over
/// a tuple of strings are compiled by the JIT in every new process (an MSBuild build's, about 30
/// methods), over a class they run precompiled shared code.
/// </summary>
internal sealed record ImportKey(string From, string Import);
