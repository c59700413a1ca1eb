using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using Kiln.Text;
using FileOptions = Google.Protobuf.Reflection.FileOptions;

namespace Kiln.Protobuf;

/// <summary>
/// The result of parsing one <c>.proto</c> file: protoc's unlinked <see cref="FileDescriptorProto"/>
/// (type names as written, options uninterpreted, source locations recorded) plus diagnostics.
/// Source info and uninterpreted options are held beside the descriptor, not in it
/// (<see cref="ToUnlinkedProto"/> puts them back).
/// A pure function of the text; treat it as immutable. It is the input of
/// <see cref="ProtoLinker.Link"/>.
/// </summary>
public sealed class ParsedProtoFile
{
    internal ParsedProtoFile(SourceText source, FileDescriptorProto proto, IReadOnlyList<Diagnostic> diagnostics, bool hasErrors, SourceLocationTable locations)
    {
        Source = source;
        // The parser's source info is kept beside the descriptor, not in it: the linker copies the
        // descriptor of every file, and copying thousands of locations only to drop them was the
        // largest single cost of linking (and of its garbage).
        SourceCodeInfo = proto.SourceCodeInfo;
        proto.SourceCodeInfo = null;
        // Uninterpreted options likewise: the linker copies the descriptor and then replaces every
        // options message by its interpretation, so copying the uninterpreted ones (a message, a
        // list and strings per option) was pure waste.
        foreach (var options in AllOptions(proto))
        {
            var list = UninterpretedList(options);
            if (list.Count > 0)
            {
                _uninterpreted[options] = [.. list];
                list.Clear();
            }
        }

        Proto = proto;
        Diagnostics = diagnostics;
        HasErrors = hasErrors;
        Locations = locations;
    }

    /// <summary>The virtual path of the file (protoc's name, relative to an import root).</summary>
    public string Path => Source.Path;

    public SourceText Source { get; }

    /// <summary>The unlinked descriptor, without <c>source_code_info</c> (see <see cref="SourceCodeInfo"/>). Do not mutate.</summary>
    internal FileDescriptorProto Proto { get; }

    /// <summary>The parser's <c>source_code_info</c>. Do not mutate.</summary>
    internal SourceCodeInfo? SourceCodeInfo { get; }

    /// <summary>The files this file imports, in order (<c>import</c> then <c>import option</c>).</summary>
    public IReadOnlyList<string> Imports => Proto.Dependency;

    /// <summary>The option imports (<c>import option "x";</c>, edition 2024).</summary>
    public IReadOnlyList<string> OptionImports => Proto.OptionDependency;

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors { get; }

    internal SourceLocationTable Locations { get; }

    private readonly Dictionary<IMessage, UninterpretedOption[]> _uninterpreted = new(ReferenceEqualityComparer.Instance);

    /// <summary>The uninterpreted options of one options message of <see cref="Proto"/> (kept apart from it, as the source info is).</summary>
    internal IReadOnlyList<UninterpretedOption> UninterpretedOptions(IMessage? options) =>
        options != null && _uninterpreted.TryGetValue(options, out var list) ? list : [];

    /// <summary>A copy of the unlinked descriptor (what protoc's parser produces), for tools and tests.</summary>
    public FileDescriptorProto ToUnlinkedProto()
    {
        var copy = Proto.Clone();
        copy.SourceCodeInfo = SourceCodeInfo?.Clone();
        var originals = AllOptions(Proto);
        var copies = AllOptions(copy);
        for (var i = 0; i < originals.Count; i++)
        {
            foreach (var option in UninterpretedOptions(originals[i]))
            {
                UninterpretedList(copies[i]).Add(option.Clone());
            }
        }

        return copy;
    }

    /// <summary>The <c>uninterpreted_option</c> list of any options message.</summary>
    internal static RepeatedField<UninterpretedOption> UninterpretedList(IMessage options) => options switch
    {
        FileOptions o => o.UninterpretedOption,
        MessageOptions o => o.UninterpretedOption,
        FieldOptions o => o.UninterpretedOption,
        OneofOptions o => o.UninterpretedOption,
        EnumOptions o => o.UninterpretedOption,
        EnumValueOptions o => o.UninterpretedOption,
        ServiceOptions o => o.UninterpretedOption,
        MethodOptions o => o.UninterpretedOption,
        ExtensionRangeOptions o => o.UninterpretedOption,
        _ => throw new ArgumentException($"{options.Descriptor.FullName} is not an options message", nameof(options)),
    };

    /// <summary>Every options message of a file descriptor, in a fixed walk order (two descriptors of the same shape give matching lists).</summary>
    private static List<IMessage> AllOptions(FileDescriptorProto file)
    {
        var all = new List<IMessage>();
        void Add(IMessage? options)
        {
            if (options != null)
            {
                all.Add(options);
            }
        }

        void AddEnum(EnumDescriptorProto e)
        {
            Add(e.Options);
            foreach (var v in e.Value)
            {
                Add(v.Options);
            }
        }

        void AddMessage(DescriptorProto m)
        {
            Add(m.Options);
            foreach (var f in m.Field)
            {
                Add(f.Options);
            }

            foreach (var f in m.Extension)
            {
                Add(f.Options);
            }

            foreach (var o in m.OneofDecl)
            {
                Add(o.Options);
            }

            foreach (var r in m.ExtensionRange)
            {
                Add(r.Options);
            }

            foreach (var n in m.NestedType)
            {
                AddMessage(n);
            }

            foreach (var e in m.EnumType)
            {
                AddEnum(e);
            }
        }

        Add(file.Options);
        foreach (var m in file.MessageType)
        {
            AddMessage(m);
        }

        foreach (var e in file.EnumType)
        {
            AddEnum(e);
        }

        foreach (var f in file.Extension)
        {
            Add(f.Options);
        }

        foreach (var s in file.Service)
        {
            Add(s.Options);
            foreach (var m in s.Method)
            {
                Add(m.Options);
            }
        }

        return all;
    }
}
