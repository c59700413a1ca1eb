using Kiln.Build.Workspace;

namespace Kiln.Build.Tests;

/// <summary>The warm-up that runs beside a one-file edit's build (its failures are swallowed there, so they are caught here).</summary>
public sealed class ProtobufWarmUpTests
{
    [Fact]
    public void The_sample_parses_links_and_generates_both_languages()
    {
        var (csharp, grpc) = ProtobufWarmUp.Run();
        Assert.Contains("public sealed partial class Sample : pb::IMessage<Sample>", csharp, StringComparison.Ordinal);
        Assert.Contains("namespace Kiln.WarmUp", csharp, StringComparison.Ordinal);
        Assert.Contains("public static partial class Sampler", grpc, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_check_starts_it_only_when_an_input_changed()
    {
        using var tree = new TempTree(("a.proto", "syntax = \"proto3\";\nmessage A { int32 x = 1; }\n"));
        var input = tree["a.proto"];
        var state = new BuildState
        {
            Version = "v",
            Fingerprint = "f",
            Roots = [input],
            Inputs = new Dictionary<string, FileStamp> { [input] = FileStamp.Of(input)! },
            Diagnostics = [],
        };

        var calls = 0;
        Assert.True(state.Compare("v", "f", [input], wantDelta: true, out _, inputsChanged: () => calls++));
        Assert.Equal(0, calls);

        File.AppendAllText(input, "// edited\n");
        File.SetLastWriteTimeUtc(input, DateTime.UtcNow.AddMinutes(1));
        Assert.False(state.Compare("v", "f", [input], wantDelta: true, out var delta, inputsChanged: () => calls++));
        Assert.Equal(1, calls);
        Assert.Equal([input], delta!.Changed);

        Assert.False(state.Compare("v", "f", [input], wantDelta: false, out _, inputsChanged: () => calls++));
        Assert.Equal(1, calls); // no partial build follows, so nothing to warm up for
    }
}
