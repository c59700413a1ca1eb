using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>A folder of generated C# files: their paths (relative, <c>/</c>-separated) and the .proto each came from.</summary>
internal sealed class GeneratedTree
{
    private readonly Lazy<Dictionary<string, string>> _bySource;

    private GeneratedTree(string root, IReadOnlyList<string> files)
    {
        Root = root;
        Files = files;
        _bySource = new Lazy<Dictionary<string, string>>(() =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var sources = new string?[Files.Count];
            Parallel.For(0, Files.Count, i => sources[i] = SourceOf(ReadHead(Files[i])));
            for (var i = 0; i < Files.Count; i++)
            {
                if (sources[i] is { } source)
                {
                    map.TryAdd(source, Files[i]);
                }
            }

            return map;
        });
    }

    public string Root { get; }

    /// <summary>Every <c>.cs</c> file, relative to <see cref="Root"/>, sorted ordinally.</summary>
    public IReadOnlyList<string> Files { get; }

    public static GeneratedTree Load(string root) => new(root, Directory.Exists(root)
        ? [.. Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
        : []);

    public string FullPath(string file) => Path.Combine(Root, file);

    public string Read(string file) => File.ReadAllText(FullPath(file), Encoding.UTF8);

    /// <summary>The first kilobyte of a file (where protoc's header is), as text.</summary>
    private string ReadHead(string file)
    {
        using var stream = File.OpenRead(FullPath(file));
        var buffer = new byte[1024];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>The generated file for a .proto (virtual path), from the files' <c>source:</c> headers.</summary>
    public string? FileFor(string proto) => _bySource.Value.GetValueOrDefault(proto);

    /// <summary>The <c>//     source: a/b.proto</c> line of protoc's header.</summary>
    public static string? SourceOf(string text)
    {
        const string Marker = "//     source: ";
        var start = text.IndexOf(Marker, 0, Math.Min(text.Length, 1000), StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var end = text.IndexOf('\n', start);
        return text[start..(end < 0 ? text.Length : end)].TrimEnd('\r');
    }
}

/// <summary>The serialized FileDescriptorProto a generated reflection class embeds, and how two differ.</summary>
internal static class DescriptorBlob
{
    /// <summary>
    /// The bytes of <c>global::System.Convert.FromBase64String(string.Concat("…", "…"))</c>: the
    /// string literals up to the call's <c>));</c>, joined and decoded. Null when there is none or
    /// it is not base64.
    /// </summary>
    public static byte[]? Extract(string text)
    {
        var start = text.IndexOf("global::System.Convert.FromBase64String(", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = text.IndexOf("));", start, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var base64 = new StringBuilder();
        var i = start;
        while (true)
        {
            var open = text.IndexOf('"', i, end - i);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf('"', open + 1, end - open - 1);
            if (close < 0)
            {
                break;
            }

            base64.Append(text, open + 1, close - open - 1);
            i = close + 1;
        }

        try
        {
            return Convert.FromBase64String(base64.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static FileDescriptorProto? Parse(byte[]? blob)
    {
        if (blob == null)
        {
            return null;
        }

        try
        {
            return FileDescriptorProto.Parser.ParseFrom(blob);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first field (in declaration order, depth first) where two messages differ, as
    /// <c>message_type[2].field[0].json_name: protoc "a", kiln (unset)</c>; null when they are equal
    /// field by field (the bytes may still differ in order or in unknown fields).
    /// </summary>
    public static string? FirstDifference(IMessage expected, IMessage actual, string path = "")
    {
        foreach (var field in expected.Descriptor.Fields.InDeclarationOrder())
        {
            var name = path.Length == 0 ? field.Name : path + "." + field.Name;
            var accessor = field.Accessor;
            if (field.IsRepeated)
            {
                var a = (IList)accessor.GetValue(expected);
                var b = (IList)accessor.GetValue(actual);
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                {
                    if (Compare(a[i], b[i], $"{name}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                if (a.Count != b.Count)
                {
                    var longer = a.Count > b.Count ? a : b;
                    return $"{name}: protoc has {a.Count}, kiln {b.Count}; first extra: {Show(longer[Math.Min(a.Count, b.Count)])}";
                }

                continue;
            }

            if (field.HasPresence)
            {
                var (hasA, hasB) = (accessor.HasValue(expected), accessor.HasValue(actual));
                if (hasA != hasB)
                {
                    return $"{name}: protoc {(hasA ? Show(accessor.GetValue(expected)) : "(unset)")}, kiln {(hasB ? Show(accessor.GetValue(actual)) : "(unset)")}";
                }

                if (!hasA)
                {
                    continue;
                }
            }

            if (Compare(accessor.GetValue(expected), accessor.GetValue(actual), name) is { } diff)
            {
                return diff;
            }
        }

        return null;
    }

    private static string? Compare(object? a, object? b, string path)
    {
        if (a is IMessage ma && b is IMessage mb)
        {
            return FirstDifference(ma, mb, path);
        }

        if (a is ByteString ba && b is ByteString bb)
        {
            return ba.Equals(bb) ? null : $"{path}: protoc {Show(a)}, kiln {Show(b)}";
        }

        return Equals(a, b) ? null : $"{path}: protoc {Show(a)}, kiln {Show(b)}";
    }

    private static string Show(object? value)
    {
        var text = value switch
        {
            null => "(null)",
            string s => "\"" + s + "\"",
            IMessage m => m.ToString() ?? "",
            ByteString b => "bytes[" + b.Length + "]",
            _ => value.ToString() ?? "",
        };
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
