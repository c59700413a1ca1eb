extern alias kiln;
extern alias peer;

using System.Text;
using Google.Protobuf.Reflection;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// The reflection both sides expose: the descriptor embedded in each generated file, and what the
/// generated code hands the runtime beside it (CLR types, property names, oneof and extension lists).
/// </summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Files() => ["interop/proto3.proto", "interop/proto2.proto", "interop/editions.proto", "interop/service.proto"];

    private static FileDescriptor File(Side side, string name) => side.Name == "kiln"
        ? name switch
        {
            "interop/proto3.proto" => kiln::Interop.Proto3.Proto3Reflection.Descriptor,
            "interop/proto2.proto" => kiln::Interop.Proto2.Proto2Reflection.Descriptor,
            "interop/editions.proto" => kiln::Interop.Editions.EditionsReflection.Descriptor,
            _ => kiln::Interop.Rpc.ServiceReflection.Descriptor,
        }
        : name switch
        {
            "interop/proto3.proto" => peer::Interop.Proto3.Proto3Reflection.Descriptor,
            "interop/proto2.proto" => peer::Interop.Proto2.Proto2Reflection.Descriptor,
            "interop/editions.proto" => peer::Interop.Editions.EditionsReflection.Descriptor,
            _ => peer::Interop.Rpc.ServiceReflection.Descriptor,
        };

    [Theory]
    [MemberData(nameof(Files))]
    public void The_embedded_descriptors_are_the_same_bytes(string file)
    {
        var kiln = File(Side.Kiln, file);
        var peer = File(Side.Peer, file);
        Assert.Equal(file, kiln.Name);
        Assert.Equal(Side.Hex(peer.SerializedData.ToByteArray()), Side.Hex(kiln.SerializedData.ToByteArray()));
        Assert.Equal(peer.ToProto(), kiln.ToProto());
        Assert.Equal(peer.Dependencies.Select(d => d.Name), kiln.Dependencies.Select(d => d.Name));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_generated_reflection_describes_the_same_types(string file)
    {
        Assert.Equal(Describe(File(Side.Peer, file)), Describe(File(Side.Kiln, file)));
    }

    [Fact]
    public void The_service_descriptors_agree()
    {
        Assert.Equal(peer::Interop.Shared.EchoCalls.Describe(), kiln::Interop.Shared.EchoCalls.Describe());
        Assert.Equal(
            "interop.rpc.Echo.Unary interop.rpc.EchoRequest -> interop.rpc.EchoReply\n" +
            "interop.rpc.Echo.ClientStream interop.rpc.EchoRequest* -> interop.rpc.EchoReply\n" +
            "interop.rpc.Echo.ServerStream interop.rpc.EchoRequest -> interop.rpc.EchoReply*\n" +
            "interop.rpc.Echo.Bidi interop.rpc.EchoRequest* -> interop.rpc.EchoReply*\n" +
            "interop.rpc.Echo.Ping google.protobuf.Empty -> google.protobuf.Empty",
            kiln::Interop.Shared.EchoCalls.Describe());
    }

    /// <summary>A text of what the runtime learned from the generated code about every type of <paramref name="file"/>.</summary>
    private static string Describe(FileDescriptor file)
    {
        var text = new StringBuilder();
        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            text.AppendLine($"extension {Field(extension)}");
        }

        foreach (var enumType in file.EnumTypes)
        {
            Enum(text, enumType);
        }

        foreach (var message in file.MessageTypes)
        {
            Message(text, message);
        }

        foreach (var service in file.Services)
        {
            text.AppendLine($"service {service.FullName}: {string.Join(", ", service.Methods.Select(m => m.Name))}");
        }

        return text.ToString();
    }

    private static void Enum(StringBuilder text, EnumDescriptor enumType)
    {
        text.AppendLine($"enum {enumType.FullName} {Clr(enumType.ClrType)}: {string.Join(", ", enumType.Values.Select(v => $"{v.Name}={v.Number}"))}");
        text.AppendLine($"  clr names: {string.Join(", ", System.Enum.GetNames(enumType.ClrType))}");
    }

    private static void Message(StringBuilder text, MessageDescriptor message)
    {
        text.AppendLine($"message {message.FullName} {Clr(message.ClrType)} parser={message.Parser?.GetType().Name} map={message.IsMapEntry}");
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            text.AppendLine($"  field {Field(field)}");
        }

        foreach (var oneof in message.Oneofs)
        {
            text.AppendLine($"  oneof {oneof.Name} synthetic={oneof.IsSynthetic} fields={string.Join(",", oneof.Fields.Select(f => f.Name))} accessor={oneof.Accessor?.Descriptor.Name}");
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            text.AppendLine($"  extension {Field(extension)}");
        }

        foreach (var nested in message.EnumTypes)
        {
            Enum(text, nested);
        }

        foreach (var nested in message.NestedTypes)
        {
            Message(text, nested);
        }
    }

    private static string Field(FieldDescriptor field) =>
        $"{field.FullName}={field.FieldNumber} {field.FieldType} json={field.JsonName} property={field.PropertyName} repeated={field.IsRepeated} " +
        $"packed={field.IsPacked} map={field.IsMap} presence={field.HasPresence} required={field.IsRequired} oneof={field.ContainingOneof?.Name} " +
        $"real-oneof={field.RealContainingOneof?.Name} accessor={field.Accessor?.GetType().Name} extension={field.Extension?.GetType().Name} " +
        $"type={(field.FieldType is FieldType.Message or FieldType.Group ? field.MessageType.FullName : field.FieldType == FieldType.Enum ? field.EnumType.FullName : "")}";

    /// <summary>A CLR type's name with the assembly left out (it differs by design).</summary>
    private static string Clr(Type? type) => type?.FullName ?? "-";
}
