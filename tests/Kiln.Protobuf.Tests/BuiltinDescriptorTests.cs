using Google.Protobuf.Reflection;
using Kiln.Protobuf.Linking;

namespace Kiln.Protobuf.Tests;

/// <summary>The embedded descriptor.proto (read without Google.Protobuf's reflection set-up) is Google.Protobuf's own.</summary>
public sealed class BuiltinDescriptorTests
{
    [Fact]
    public void The_embedded_bytes_equal_the_referenced_Google_Protobufs()
    {
        // When this fails after a Google.Protobuf upgrade, write its bytes to src/Kiln.Protobuf/Linking/descriptor.pb:
        // File.WriteAllBytes(path, FileDescriptor.DescriptorProtoFileDescriptor.SerializedData.ToByteArray()).
        Assert.Equal(FileDescriptor.DescriptorProtoFileDescriptor.SerializedData.ToByteArray(), BuiltinDescriptor.EmbeddedBytes());
        Assert.Equal("google/protobuf/descriptor.proto", BuiltinDescriptor.File.Path);
        Assert.Contains(BuiltinDescriptor.File.Descriptor.MessageType, m => m.Name == "FieldOptions");
    }
}
