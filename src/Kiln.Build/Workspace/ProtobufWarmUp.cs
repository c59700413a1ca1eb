using Google.Protobuf;
using Kiln.CSharp.Protobuf;
using Kiln.CSharp.Protobuf.Grpc;
using Kiln.Protobuf;
using Kiln.Text;

namespace Kiln.Build.Workspace;

/// <summary>
/// Runs the Protobuf parser, linker and both generators once on a small sample, results thrown
/// away. A new process (an MSBuild build's) pays the runtime's first-call costs on its first
/// parse, link and generation: about 15 ms of a one-file edit's build. <see cref="Start"/> pays
/// them on the other core while the build checks the outputs, maps the inputs and reads the edited
/// files (the build state's check calls it when it finds an edited input). Nothing it does is seen
/// by the build.
/// </summary>
internal static class ProtobufWarmUp
{
    private const string SamplePath = "kiln/warm_up.proto";

    /// <summary>What most files use: options, comments, every kind of field, nested types, a service with a stream.</summary>
    private const string SampleText = """
        syntax = "proto3";
        package kiln.warmup;
        option csharp_namespace = "Kiln.WarmUp";

        // A message.
        message Sample {
          string name = 1;
          int64 id = 2;
          repeated string tags = 3;
          map<string, int32> counts = 4;
          Inner inner = 5;
          enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
          Kind kind = 6;
          oneof choice { string text = 7; bytes blob = 8; }
          optional double ratio = 9;
          message Inner { repeated int32 values = 1; }
        }

        // A service.
        service Sampler {
          rpc Get (Sample) returns (Sample);
          rpc Watch (Sample) returns (stream Sample);
        }
        """;

    /// <summary>Runs <see cref="Run"/> on a pool thread and returns at once.</summary>
    public static void Start() => ThreadPool.UnsafeQueueUserWorkItem(
        static _ =>
        {
            try
            {
                Run();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A warm-up only saves time: whatever went wrong here, the build itself reports.
            }
        },
        null);

    /// <summary>Parses, links and generates the sample; returns the C# and the gRPC C# it made.</summary>
    internal static (string CSharp, string Grpc) Run()
    {
        var options = new LinkOptions { IncludeSourceInfo = true, CommentsOnly = true }; // as the workspace's
        var linked = ProtoLinker.Link(ProtoParser.Parse(new SourceText(SamplePath, SampleText), options), [], options);
        if (linked.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException($"The warm-up sample does not compile: {linked.Diagnostics[0].Message}");
        }

        _ = Hash128.Of(linked.ToByteArray(includeSourceInfo: false)); // as an exports hash is made
        var index = new ProtoTypeIndex([]);
        index.ReplaceAll([(linked.Descriptor, linked.SourceCodeInfo)]);
        var file = index.GetFile(SamplePath);
        var csharp = new CharBuffer();
        CSharpGenerator.Generate(file, linked.ToGeneratorDescriptorProto().ToByteArray(), CSharpOptions.Parse("", out string? _)!, csharp);
        var grpc = GrpcCSharpGenerator.Generate(file, GrpcOptions.Parse("", out string? _)!, out string? _);

        // What the build does next with the outputs: their cache key (a streaming xxHash-128, as
        // KeyBuilder's) and their cache entry (Brotli: its native library loads on first use).
        var text = csharp.WrittenSpan.ToString();
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var key = new System.IO.Hashing.XxHash128();
        key.Append(bytes);
        _ = Hash128.CurrentOf(key);
        ArtifactCache.WarmUp(bytes);
        return (text, grpc?.Content ?? "");
    }
}
