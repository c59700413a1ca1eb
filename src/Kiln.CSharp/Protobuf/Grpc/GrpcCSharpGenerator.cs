using System.Text;
using Google.Protobuf.Reflection;

namespace Kiln.CSharp.Protobuf.Grpc;

/// <summary>
/// The options of <c>grpc_csharp_plugin</c> (Grpc.Tools 2.85), as given after <c>--grpc_opt=</c> or
/// before the colon of <c>--grpc_out=OPTS:DIR</c>.
/// </summary>
public sealed record GrpcOptions
{
    /// <summary>The plugin's defaults: client and server, public classes, <c>Grpc.cs</c> suffix, no namespace folders.</summary>
    public static GrpcOptions Default { get; } = new();

    /// <summary>False with <c>no_client</c>: no <c>…Client</c> class.</summary>
    public bool GenerateClient { get; init; } = true;

    /// <summary>False with <c>no_server</c>: no <c>…Base</c> class and no <c>BindService</c> methods.</summary>
    public bool GenerateServer { get; init; } = true;

    /// <summary><c>internal_access</c>: the service class is <c>internal</c> instead of <c>public</c>.</summary>
    public bool InternalAccess { get; init; }

    /// <summary>
    /// <c>append_async_suffix=true</c> (only the exact value <c>true</c>): server-side methods get an
    /// <c>Async</c> suffix unless their name already ends with it. Clients are unchanged.
    /// </summary>
    public bool AppendAsyncSuffix { get; init; }

    /// <summary><c>file_suffix=…</c>: what follows the base name in the output file name.</summary>
    public string FileSuffix { get; init; } = "Grpc.cs";

    /// <summary>
    /// <c>base_namespace=…</c>, null when the option is absent. When present (even empty), the file is
    /// named by protobuf's C# rule and placed in folders for the namespace below this one.
    /// </summary>
    public string? BaseNamespace { get; init; }

    /// <summary>
    /// Parses a plugin parameter as the plugin does: comma-separated, empty parts skipped, each part
    /// <c>name</c> or <c>name=value</c> (split at the first <c>=</c>), a later option overriding an
    /// earlier one. Null for an unknown name, with <paramref name="error"/> worded as the plugin's
    /// (<c>Unknown generator option: NAME</c>).
    /// </summary>
    public static GrpcOptions? Parse(string parameter, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        error = null;
        var options = Default;
        foreach (var part in parameter.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            switch (name)
            {
                case "no_client":
                    options = options with { GenerateClient = false };
                    break;
                case "no_server":
                    options = options with { GenerateServer = false };
                    break;
                case "internal_access":
                    options = options with { InternalAccess = true };
                    break;
                case "file_suffix":
                    options = options with { FileSuffix = value };
                    break;
                case "base_namespace":
                    options = options with { BaseNamespace = value };
                    break;
                case "append_async_suffix":
                    options = options with { AppendAsyncSuffix = value == "true" };
                    break;
                default:
                    error = "Unknown generator option: " + name;
                    return null;
            }
        }

        return options;
    }
}

/// <summary>One file written by the gRPC generator.</summary>
/// <param name="Path">Relative output path, <c>/</c>-separated, as the plugin names it.</param>
/// <param name="Content">The text (<c>\n</c> line endings; write it as UTF-8 without a BOM).</param>
public sealed record GrpcGeneratedFile(string Path, string Content);

/// <summary>
/// A port of <c>grpc_csharp_plugin</c> (grpc <c>src/compiler/csharp_generator.cc</c> as shipped in
/// Grpc.Tools 2.85): one <c>…Grpc.cs</c> file per .proto file that declares services, byte for byte
/// what the plugin writes.
/// </summary>
public static class GrpcCSharpGenerator
{
    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"grpc_csharp_plugin\", null)]";
    private const string Obsolete = "[global::System.ObsoleteAttribute]";
    private const string CallParameters = "grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken)";

    /// <summary>
    /// The gRPC code for <paramref name="file"/>, or null when it declares no services (the plugin writes
    /// no file then). Throws <see cref="InvalidOperationException"/> with the plugin's message when the
    /// file's namespace is not under <see cref="GrpcOptions.BaseNamespace"/>.
    /// </summary>
    public static GrpcGeneratedFile? Generate(CsFile file, GrpcOptions options)
    {
        var result = Generate(file, options, out var error);
        return error != null ? throw new InvalidOperationException(error) : result;
    }

    /// <summary>
    /// The gRPC code for <paramref name="file"/>, or null when it declares no services or on an
    /// error (then <paramref name="error"/> holds the plugin's message, which protoc prints after
    /// <c>--grpc_out: FILE: </c>).
    /// </summary>
    public static GrpcGeneratedFile? Generate(CsFile file, GrpcOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        error = null;
        if (file.Proto.Service.Count == 0)
        {
            return null;
        }

        string? path;
        if (options.BaseNamespace == null)
        {
            path = FileNameInUpperCamel(file.Name) + options.FileSuffix;
        }
        else
        {
            path = CSharpNames.GetOutputFile(file.Proto, options.FileSuffix, generateDirectories: true, options.BaseNamespace, out error);
            if (path == null)
            {
                return null;
            }
        }

        return new GrpcGeneratedFile(path, GenerateContent(file, options));
    }

    /// <summary>
    /// grpc's own file naming (used without <c>base_namespace</c>): the last path segment without
    /// <c>.proto</c> (or <c>.protodevel</c>), cut at each <c>_</c>, each piece's first letter upper-cased.
    /// Unlike protobuf's rule, digits and dots do not start a new word.
    /// </summary>
    internal static string FileNameInUpperCamel(string protoFileName)
    {
        var name = protoFileName;
        if (name.EndsWith(".protodevel", StringComparison.Ordinal))
        {
            name = name[..^".protodevel".Length];
        }
        else if (name.EndsWith(".proto", StringComparison.Ordinal))
        {
            name = name[..^".proto".Length];
        }

        name = name[(name.LastIndexOf('/') + 1)..];
        var result = new StringBuilder(name.Length);
        foreach (var token in name.Split('_'))
        {
            if (token.Length > 0)
            {
                result.Append(char.IsAsciiLetterLower(token[0]) ? char.ToUpperInvariant(token[0]) : token[0]).Append(token, 1, token.Length - 1);
            }
        }

        return result.ToString();
    }

    private static string GenerateContent(CsFile file, GrpcOptions options)
    {
        var w = new CodeWriter();
        w.Line("// <auto-generated>");
        w.Line("//     Generated by the protocol buffer compiler.  DO NOT EDIT!");
        w.Line($"//     source: {file.Name}");
        w.Line("// </auto-generated>");
        var fileComments = GetFileComments(file);
        if (fileComments.Count > 0)
        {
            w.Line("// Original file comments:");
            foreach (var line in fileComments)
            {
                w.Line(line);
            }
        }

        w.Line("#pragma warning disable 0414, 1591, 8981, 0612");
        w.Line("#region Designer generated code");
        w.Line();
        w.Line("using grpc = global::Grpc.Core;");
        w.Line();
        var ns = file.Namespace;
        if (ns.Length > 0)
        {
            w.Line($"namespace {ns} {{");
            w.Indent();
        }

        for (var i = 0; i < file.Proto.Service.Count; i++)
        {
            new ServiceWriter(w, file, i, options).Write();
        }

        if (ns.Length > 0)
        {
            w.Outdent();
            w.Line("}");
        }

        w.Line("#endregion");
        return w.ToString();
    }

    /// <summary>
    /// The "Original file comments" block: the <c>syntax</c> statement's detached comments (each followed by
    /// an empty line), then its leading comment, each line prefixed with <c>//</c> (plus a space unless the
    /// line is empty or starts with one).
    /// </summary>
    private static List<string> GetFileComments(CsFile file)
    {
        var lines = new List<string>();
        var location = FindSyntaxLocation(file);
        if (location == null)
        {
            return lines;
        }

        var raw = new List<string>();
        foreach (var detached in location.LeadingDetachedComments)
        {
            SplitLines(detached, raw);
            raw.Add("");
        }

        SplitLines(location.LeadingComments, raw);
        foreach (var line in raw)
        {
            lines.Add(line.Length == 0 ? "//" : line[0] == ' ' ? "//" + line : "// " + line);
        }

        return lines;
    }

    /// <summary>
    /// The first location recorded for the <c>syntax</c> (or <c>edition</c>) statement. Looked up in the raw
    /// source info because it usually carries detached comments only (the licence header), which
    /// <see cref="CsFile.GetLocation"/> does not keep.
    /// </summary>
    private static SourceCodeInfo.Types.Location? FindSyntaxLocation(CsFile file)
    {
        if (file.SourceInfo == null)
        {
            return null;
        }

        foreach (var location in file.SourceInfo.Location)
        {
            if (location.Path is [FileDescriptorProto.SyntaxFieldNumber])
            {
                return location;
            }
        }

        return null;
    }

    /// <summary>
    /// Splits at <c>\n</c> as C++'s <c>getline</c> loop does: no piece after a final <c>\n</c>, none for
    /// an empty text.
    /// </summary>
    private static void SplitLines(string text, List<string> into)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                into.Add(text[start..]);
                return;
            }

            into.Add(text[start..end]);
            start = end + 1;
        }
    }

    /// <summary>Writes one service class; the per-method loops follow the plugin's order exactly.</summary>
    private sealed class ServiceWriter
    {
        private readonly CodeWriter _w;
        private readonly CsFile _file;
        private readonly ServiceDescriptorProto _service;
        private readonly int _index;
        private readonly GrpcOptions _options;
        private readonly MethodInfo[] _methods;

        public ServiceWriter(CodeWriter w, CsFile file, int index, GrpcOptions options)
        {
            _w = w;
            _file = file;
            _service = file.Proto.Service[index];
            _index = index;
            _options = options;
            _methods = new MethodInfo[_service.Method.Count];
            for (var i = 0; i < _methods.Length; i++)
            {
                _methods[i] = new MethodInfo(file, _service.Method[i], [FileDescriptorProto.ServiceFieldNumber, index, ServiceDescriptorProto.MethodFieldNumber, i], options);
            }
        }

        private string Name => _service.Name;

        private bool IsDeprecated => _service.Options is { Deprecated: true };

        public void Write()
        {
            var w = _w;
            WriteDocComment(w, _file.GetLocation([FileDescriptorProto.ServiceFieldNumber, _index]));
            WriteObsolete(IsDeprecated);
            w.Line($"{(_options.InternalAccess ? "internal" : "public")} static partial class {Name}");
            w.Line("{");
            w.Indent();
            var fullName = _file.Package.Length > 0 ? _file.Package + "." + Name : Name;
            w.Line($"static readonly string __ServiceName = \"{fullName}\";");
            w.Line();
            WriteMarshallers();
            foreach (var method in _methods)
            {
                WriteMethodField(method);
            }

            WriteDescriptorProperty();
            if (_options.GenerateServer)
            {
                WriteServerClass();
            }

            if (_options.GenerateClient)
            {
                WriteClientClass();
            }

            if (_options.GenerateServer)
            {
                WriteBindService();
                WriteBindServiceWithBinder();
            }

            w.Outdent();
            w.Line("}");
        }

        private void WriteObsolete(bool deprecated)
        {
            if (deprecated)
            {
                _w.Line(Obsolete);
            }
        }

        /// <summary>The helpers and one marshaller per distinct message type, in order of first use (input before output).</summary>
        private void WriteMarshallers()
        {
            var w = _w;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var used = new List<MessageRef>();
            foreach (var method in _methods)
            {
                if (seen.Add(method.Input.FullName))
                {
                    used.Add(method.Input);
                }

                if (seen.Add(method.Output.FullName))
                {
                    used.Add(method.Output);
                }
            }

            if (used.Count > 0)
            {
                w.Line(GeneratedCode);
                w.Line("static void __Helper_SerializeMessage(global::Google.Protobuf.IMessage message, grpc::SerializationContext context)");
                w.Line("{");
                w.Indent();
                w.Line("#if !GRPC_DISABLE_PROTOBUF_BUFFER_SERIALIZATION");
                w.Line("if (message is global::Google.Protobuf.IBufferMessage)");
                w.Line("{");
                w.Indent();
                w.Line("context.SetPayloadLength(message.CalculateSize());");
                w.Line("global::Google.Protobuf.MessageExtensions.WriteTo(message, context.GetBufferWriter());");
                w.Line("context.Complete();");
                w.Line("return;");
                w.Outdent();
                w.Line("}");
                w.Line("#endif");
                w.Line("context.Complete(global::Google.Protobuf.MessageExtensions.ToByteArray(message));");
                w.Outdent();
                w.Line("}");
                w.Line();
                w.Line(GeneratedCode);
                w.Line("static class __Helper_MessageCache<T>");
                w.Line("{");
                w.Indent();
                w.Line("public static readonly bool IsBufferMessage = global::System.Reflection.IntrospectionExtensions.GetTypeInfo(typeof(global::Google.Protobuf.IBufferMessage)).IsAssignableFrom(typeof(T));");
                w.Outdent();
                w.Line("}");
                w.Line();
                w.Line(GeneratedCode);
                w.Line("static T __Helper_DeserializeMessage<T>(grpc::DeserializationContext context, global::Google.Protobuf.MessageParser<T> parser) where T : global::Google.Protobuf.IMessage<T>");
                w.Line("{");
                w.Indent();
                w.Line("#if !GRPC_DISABLE_PROTOBUF_BUFFER_SERIALIZATION");
                w.Line("if (__Helper_MessageCache<T>.IsBufferMessage)");
                w.Line("{");
                w.Indent();
                w.Line("return parser.ParseFrom(context.PayloadAsReadOnlySequence());");
                w.Outdent();
                w.Line("}");
                w.Line("#endif");
                w.Line("return parser.ParseFrom(context.PayloadAsNewBuffer());");
                w.Outdent();
                w.Line("}");
                w.Line();
            }

            foreach (var type in used)
            {
                w.Line(GeneratedCode);
                w.Line($"static readonly grpc::Marshaller<{type.ClassName}> {type.MarshallerField} = grpc::Marshallers.Create(__Helper_SerializeMessage, context => __Helper_DeserializeMessage(context, {type.ClassName}.Parser));");
            }

            w.Line();
        }

        private void WriteMethodField(MethodInfo method)
        {
            var w = _w;
            w.Line(GeneratedCode);
            w.Line($"static readonly grpc::Method<{method.Input.ClassName}, {method.Output.ClassName}> {method.Field} = new grpc::Method<{method.Input.ClassName}, {method.Output.ClassName}>(");
            w.Indent();
            w.Indent();
            w.Line($"grpc::MethodType.{method.Kind switch
            {
                Streaming.Duplex => "DuplexStreaming",
                Streaming.Client => "ClientStreaming",
                Streaming.Server => "ServerStreaming",
                _ => "Unary",
            }},");
            w.Line("__ServiceName,");
            w.Line($"\"{method.Name}\",");
            w.Line($"{method.Input.MarshallerField},");
            w.Line($"{method.Output.MarshallerField});");
            w.Line();
            w.Outdent();
            w.Outdent();
        }

        private void WriteDescriptorProperty()
        {
            var w = _w;
            w.Line("/// <summary>Service descriptor</summary>");
            w.Line("public static global::Google.Protobuf.Reflection.ServiceDescriptor Descriptor");
            w.Line("{");
            w.Line($"  get {{ return {CSharpNames.GetReflectionClassName(_file.Proto)}.Descriptor.Services[{_index}]; }}");
            w.Line("}");
            w.Line();
        }

        private void WriteServerClass()
        {
            var w = _w;
            w.Line($"/// <summary>Base class for server-side implementations of {Name}</summary>");
            WriteObsolete(IsDeprecated);
            w.Line($"[grpc::BindServiceMethod(typeof({Name}), \"BindService\")]");
            w.Line($"public abstract partial class {Name}Base");
            w.Line("{");
            w.Indent();
            foreach (var method in _methods)
            {
                if (WriteDocComment(w, method.Location))
                {
                    w.Line(method.ClientStreaming
                        ? "/// <param name=\"requestStream\">Used for reading requests from the client.</param>"
                        : "/// <param name=\"request\">The request received from the client.</param>");
                    if (method.ServerStreaming)
                    {
                        w.Line("/// <param name=\"responseStream\">Used for sending responses back to the client.</param>");
                    }

                    w.Line("/// <param name=\"context\">The context of the server-side call handler being invoked.</param>");
                    w.Line(method.ServerStreaming
                        ? "/// <returns>A task indicating completion of the handler.</returns>"
                        : "/// <returns>The response to send back to the client (wrapped by a task).</returns>");
                }

                WriteObsolete(method.IsDeprecated);
                w.Line(GeneratedCode);
                var returnType = method.ServerStreaming
                    ? "global::System.Threading.Tasks.Task"
                    : $"global::System.Threading.Tasks.Task<{method.Output.ClassName}>";
                var request = method.ClientStreaming
                    ? $"grpc::IAsyncStreamReader<{method.Input.ClassName}> requestStream"
                    : $"{method.Input.ClassName} request";
                var responseStream = method.ServerStreaming
                    ? $", grpc::IServerStreamWriter<{method.Output.ClassName}> responseStream"
                    : "";
                w.Line($"public virtual {returnType} {method.ServerName}({request}{responseStream}, grpc::ServerCallContext context)");
                w.Line("{");
                w.Line("  throw new grpc::RpcException(new grpc::Status(grpc::StatusCode.Unimplemented, \"\"));");
                w.Line("}");
                w.Line();
            }

            w.Outdent();
            w.Line("}");
            w.Line();
        }

        private void WriteClientClass()
        {
            var w = _w;
            var client = Name + "Client";
            w.Line($"/// <summary>Client for {Name}</summary>");
            WriteObsolete(IsDeprecated);
            w.Line($"public partial class {client} : grpc::ClientBase<{client}>");
            w.Line("{");
            w.Indent();
            w.Line($"/// <summary>Creates a new client for {Name}</summary>");
            w.Line("/// <param name=\"channel\">The channel to use to make remote calls.</param>");
            w.Line(GeneratedCode);
            w.Line($"public {client}(grpc::ChannelBase channel) : base(channel)");
            w.Line("{");
            w.Line("}");
            w.Line($"/// <summary>Creates a new client for {Name} that uses a custom <c>CallInvoker</c>.</summary>");
            w.Line("/// <param name=\"callInvoker\">The callInvoker to use to make remote calls.</param>");
            w.Line(GeneratedCode);
            w.Line($"public {client}(grpc::CallInvoker callInvoker) : base(callInvoker)");
            w.Line("{");
            w.Line("}");
            w.Line("/// <summary>Protected parameterless constructor to allow creation of test doubles.</summary>");
            w.Line(GeneratedCode);
            w.Line($"protected {client}() : base()");
            w.Line("{");
            w.Line("}");
            w.Line("/// <summary>Protected constructor to allow creation of configured clients.</summary>");
            w.Line("/// <param name=\"configuration\">The client configuration.</param>");
            w.Line(GeneratedCode);
            w.Line($"protected {client}(ClientBaseConfiguration configuration) : base(configuration)");
            w.Line("{");
            w.Line("}");
            w.Line();

            foreach (var method in _methods)
            {
                var input = method.Input.ClassName;
                var output = method.Output.ClassName;
                if (method.Kind == Streaming.None)
                {
                    // Unary calls also get a blocking method.
                    WriteClientDocComment(method, isSync: true, useCallOptions: false);
                    WriteObsolete(method.IsDeprecated);
                    w.Line(GeneratedCode);
                    w.Line($"public virtual {output} {method.Name}({input} request, {CallParameters})");
                    w.Line("{");
                    w.Line($"  return {method.Name}(request, new grpc::CallOptions(headers, deadline, cancellationToken));");
                    w.Line("}");
                    WriteClientDocComment(method, isSync: true, useCallOptions: true);
                    WriteObsolete(method.IsDeprecated);
                    w.Line(GeneratedCode);
                    w.Line($"public virtual {output} {method.Name}({input} request, grpc::CallOptions options)");
                    w.Line("{");
                    w.Line($"  return CallInvoker.BlockingUnaryCall({method.Field}, null, options, request);");
                    w.Line("}");
                }

                var name = method.Kind == Streaming.None ? method.Name + "Async" : method.Name;
                var returnType = method.Kind switch
                {
                    Streaming.Duplex => $"grpc::AsyncDuplexStreamingCall<{input}, {output}>",
                    Streaming.Client => $"grpc::AsyncClientStreamingCall<{input}, {output}>",
                    Streaming.Server => $"grpc::AsyncServerStreamingCall<{output}>",
                    _ => $"grpc::AsyncUnaryCall<{output}>",
                };
                var requestParameter = method.ClientStreaming ? "" : input + " request, ";
                var requestArgument = method.ClientStreaming ? "" : "request, ";
                WriteClientDocComment(method, isSync: false, useCallOptions: false);
                WriteObsolete(method.IsDeprecated);
                w.Line(GeneratedCode);
                w.Line($"public virtual {returnType} {name}({requestParameter}{CallParameters})");
                w.Line("{");
                w.Line($"  return {name}({requestArgument}new grpc::CallOptions(headers, deadline, cancellationToken));");
                w.Line("}");
                WriteClientDocComment(method, isSync: false, useCallOptions: true);
                WriteObsolete(method.IsDeprecated);
                w.Line(GeneratedCode);
                w.Line($"public virtual {returnType} {name}({requestParameter}grpc::CallOptions options)");
                w.Line("{");
                w.Line(method.Kind switch
                {
                    Streaming.Duplex => $"  return CallInvoker.AsyncDuplexStreamingCall({method.Field}, null, options);",
                    Streaming.Client => $"  return CallInvoker.AsyncClientStreamingCall({method.Field}, null, options);",
                    Streaming.Server => $"  return CallInvoker.AsyncServerStreamingCall({method.Field}, null, options, request);",
                    _ => $"  return CallInvoker.AsyncUnaryCall({method.Field}, null, options, request);",
                });
                w.Line("}");
            }

            w.Line("/// <summary>Creates a new instance of client from given <c>ClientBaseConfiguration</c>.</summary>");
            w.Line(GeneratedCode);
            w.Line($"protected override {client} NewInstance(ClientBaseConfiguration configuration)");
            w.Line("{");
            w.Line($"  return new {client}(configuration);");
            w.Line("}");
            w.Outdent();
            w.Line("}");
            w.Line();
        }

        private void WriteClientDocComment(MethodInfo method, bool isSync, bool useCallOptions)
        {
            var w = _w;
            if (!WriteDocComment(w, method.Location))
            {
                return;
            }

            if (!method.ClientStreaming)
            {
                w.Line("/// <param name=\"request\">The request to send to the server.</param>");
            }

            if (useCallOptions)
            {
                w.Line("/// <param name=\"options\">The options for the call.</param>");
            }
            else
            {
                w.Line("/// <param name=\"headers\">The initial metadata to send with the call. This parameter is optional.</param>");
                w.Line("/// <param name=\"deadline\">An optional deadline for the call. The call will be cancelled if deadline is hit.</param>");
                w.Line("/// <param name=\"cancellationToken\">An optional token for canceling the call.</param>");
            }

            w.Line(isSync ? "/// <returns>The response received from the server.</returns>" : "/// <returns>The call object.</returns>");
        }

        private void WriteBindService()
        {
            var w = _w;
            w.Line("/// <summary>Creates service definition that can be registered with a server</summary>");
            w.Line("/// <param name=\"serviceImpl\">An object implementing the server-side handling logic.</param>");
            w.Line(GeneratedCode);
            w.Line($"public static grpc::ServerServiceDefinition BindService({Name}Base serviceImpl)");
            w.Line("{");
            w.Indent();

            // The builder chain: one continuation line per method, ".Build();" glued to the last line.
            w.Line($"return grpc::ServerServiceDefinition.CreateBuilder(){(_methods.Length == 0 ? ".Build();" : "")}");
            w.Indent();
            w.Indent();
            for (var i = 0; i < _methods.Length; i++)
            {
                var method = _methods[i];
                w.Line($".AddMethod({method.Field}, serviceImpl.{method.ServerName}){(i == _methods.Length - 1 ? ".Build();" : "")}");
            }

            w.Outdent();
            w.Outdent();
            w.Outdent();
            w.Line("}");
            w.Line();
        }

        private void WriteBindServiceWithBinder()
        {
            var w = _w;
            w.Line("/// <summary>Register service method with a service binder with or without implementation. Useful when customizing the service binding logic.");
            w.Line("/// Note: this method is part of an experimental API that can change or be removed without any prior notice.</summary>");
            w.Line("/// <param name=\"serviceBinder\">Service methods will be bound by calling <c>AddMethod</c> on this object.</param>");
            w.Line("/// <param name=\"serviceImpl\">An object implementing the server-side handling logic.</param>");
            w.Line(GeneratedCode);
            w.Line($"public static void BindService(grpc::ServiceBinderBase serviceBinder, {Name}Base serviceImpl)");
            w.Line("{");
            w.Indent();
            foreach (var method in _methods)
            {
                var handler = method.Kind switch
                {
                    Streaming.Duplex => "DuplexStreamingServerMethod",
                    Streaming.Client => "ClientStreamingServerMethod",
                    Streaming.Server => "ServerStreamingServerMethod",
                    _ => "UnaryServerMethod",
                };
                w.Line($"serviceBinder.AddMethod({method.Field}, serviceImpl == null ? null : new grpc::{handler}<{method.Input.ClassName}, {method.Output.ClassName}>(serviceImpl.{method.ServerName}));");
            }

            w.Outdent();
            w.Line("}");
            w.Line();
        }
    }

    /// <summary>
    /// The <c>&lt;summary&gt;</c> of an element from its leading comment (else its trailing one): <c>&amp;</c> and
    /// <c>&lt;</c> escaped, runs of blank lines written as one <c>///</c>, trailing blank lines dropped, a
    /// leading <c>/</c> written <c>&amp;#x2F;</c>. False (nothing written) when there is no comment.
    /// </summary>
    private static bool WriteDocComment(CodeWriter w, SourceCodeInfo.Types.Location? location)
    {
        if (location == null)
        {
            return false;
        }

        var comments = location.LeadingComments.Length > 0 ? location.LeadingComments : location.TrailingComments;
        if (comments.Length == 0)
        {
            return false;
        }

        comments = comments.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
        var lines = new List<string>();
        SplitLines(comments, lines);
        w.Line("/// <summary>");
        var lastWasEmpty = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                lastWasEmpty = true;
                continue;
            }

            if (lastWasEmpty)
            {
                w.Line("///");
            }

            lastWasEmpty = false;
            w.Line(line[0] == '/' ? $"///&#x2F;{line.AsSpan(1)}" : $"///{line}");
        }

        w.Line("/// </summary>");
        return true;
    }

    private enum Streaming
    {
        None,
        Client,
        Server,
        Duplex,
    }

    /// <summary>A request or response message: its C# name and its marshaller field.</summary>
    private sealed record MessageRef(string FullName, string ClassName, string MarshallerField);

    /// <summary>What the generator needs of one method, resolved once.</summary>
    private sealed class MethodInfo
    {
        public MethodInfo(CsFile file, MethodDescriptorProto proto, int[] path, GrpcOptions options)
        {
            Name = proto.Name;
            Input = Resolve(file, proto.InputType);
            Output = Resolve(file, proto.OutputType);
            ClientStreaming = proto.ClientStreaming;
            ServerStreaming = proto.ServerStreaming;
            Kind = (ClientStreaming, ServerStreaming) switch
            {
                (true, true) => Streaming.Duplex,
                (true, false) => Streaming.Client,
                (false, true) => Streaming.Server,
                _ => Streaming.None,
            };
            IsDeprecated = proto.Options is { Deprecated: true };
            Location = file.GetLocation(path);
            Field = "__Method_" + Name;
            ServerName = options.AppendAsyncSuffix && !Name.EndsWith("Async", StringComparison.Ordinal) ? Name + "Async" : Name;
        }

        public string Name { get; }

        /// <summary>The server-side method name (<c>Async</c> added with <c>append_async_suffix=true</c>).</summary>
        public string ServerName { get; }

        /// <summary>The static <c>grpc::Method</c> field.</summary>
        public string Field { get; }

        public MessageRef Input { get; }

        public MessageRef Output { get; }

        public bool ClientStreaming { get; }

        public bool ServerStreaming { get; }

        public Streaming Kind { get; }

        public bool IsDeprecated { get; }

        public SourceCodeInfo.Types.Location? Location { get; }

        private static MessageRef Resolve(CsFile file, string typeName)
        {
            var fullName = typeName.StartsWith('.') ? typeName[1..] : typeName;
            return new MessageRef(fullName, file.Index.GetClassName(fullName), "__Marshaller_" + fullName.Replace('.', '_'));
        }
    }
}
