extern alias kiln;
extern alias peer;

using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// One compiler's output: the library compiled from the protos and <c>Shared/*.cs</c>, seen through
/// the shared sources (same names on both sides, typed against that side's generated code).
/// </summary>
public sealed class Side
{
    private Side(string name, Assembly assembly, Func<string, IMessage> build, Func<string, int, IMessage> random, TypeRegistry types,
        ExtensionRegistry extensions, JsonFormatter json, JsonFormatter jsonVerbose, JsonParser jsonParser)
    {
        Name = name;
        Assembly = assembly;
        Build = build;
        Random = random;
        Types = types;
        Extensions = extensions;
        Json = json;
        JsonVerbose = jsonVerbose;
        JsonParser = jsonParser;
    }

    /// <summary>Compiled from <c>kiln protoc</c>'s output.</summary>
    public static Side Kiln { get; } = new("kiln", typeof(kiln::Interop.Shared.Samples).Assembly,
        kiln::Interop.Shared.Samples.Build, kiln::Interop.Shared.RandomSamples.Build, kiln::Interop.Shared.Samples.TypeRegistry,
        kiln::Interop.Shared.Samples.Extensions, kiln::Interop.Shared.Samples.JsonFormatter, kiln::Interop.Shared.Samples.JsonFormatterVerbose,
        kiln::Interop.Shared.Samples.JsonParser);

    /// <summary>Compiled from protoc 35.1's and grpc_csharp_plugin's output.</summary>
    public static Side Peer { get; } = new("peer", typeof(peer::Interop.Shared.Samples).Assembly,
        peer::Interop.Shared.Samples.Build, peer::Interop.Shared.RandomSamples.Build, peer::Interop.Shared.Samples.TypeRegistry,
        peer::Interop.Shared.Samples.Extensions, peer::Interop.Shared.Samples.JsonFormatter, peer::Interop.Shared.Samples.JsonFormatterVerbose,
        peer::Interop.Shared.Samples.JsonParser);

    public string Name { get; }

    public Assembly Assembly { get; }

    /// <summary>A named sample (<c>Interop.Shared.Samples.Build</c>).</summary>
    public Func<string, IMessage> Build { get; }

    /// <summary>A random message of a kind, from a seed (<c>Interop.Shared.RandomSamples.Build</c>).</summary>
    public Func<string, int, IMessage> Random { get; }

    public TypeRegistry Types { get; }

    public ExtensionRegistry Extensions { get; }

    public JsonFormatter Json { get; }

    public JsonFormatter JsonVerbose { get; }

    public JsonParser JsonParser { get; }

    public static Side Named(string name) => name switch
    {
        "kiln" => Kiln,
        "peer" => Peer,
        _ => throw new ArgumentException($"no side {name}", nameof(name)),
    };

    /// <summary>This side's parser for the message type named like <paramref name="descriptor"/>'s (of either side), with every extension registered.</summary>
    public MessageParser Parser(MessageDescriptor descriptor)
    {
        var own = Types.Find(descriptor.FullName) ?? throw new InvalidOperationException($"{Name} has no message {descriptor.FullName}");
        Assert.Same(Assembly, own.ClrType.Assembly);
        return own.Parser.WithExtensionRegistry(Extensions);
    }

    public IMessage Parse(MessageDescriptor descriptor, byte[] bytes) => Parser(descriptor).ParseFrom(bytes);

    public IMessage ParseJson(MessageDescriptor descriptor, string json) => JsonParser.Parse(json, Types.Find(descriptor.FullName)!);

    public override string ToString() => Name;

    /// <summary>What <paramref name="action"/> gave, or the exception it threw (type and message): two sides must agree on it.</summary>
    public static string Outcome(Func<string> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return "ok: " + action();
        }
        catch (Exception e)
        {
            return $"{e.GetType().FullName}: {e.Message}";
        }
    }

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
