using Kiln.Thrift;
using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Writes a service as thrift's netstd generator does: a partial class holding the <c>IAsync</c>
/// interface, the <c>Client</c>, the <c>AsyncProcessor</c> and the <c>InternalStructs</c> (args and results).
/// </summary>
internal sealed class ServiceWriter
{
    private const string Task = "global::System.Threading.Tasks.Task";

    private readonly NetstdEmitContext _context;
    private readonly CodeWriter _w;

    public ServiceWriter(NetstdEmitContext context, CodeWriter writer)
    {
        _context = context;
        _w = writer;
    }

    private TempNames Temps => _context.Temps;

    public void Write(ServiceModel service)
    {
        var baseName = service.Extends is { } extends ? _context.Types.Qualified(extends) : null;
        DocWriter.Summary(_w, service.Doc);
        using (_w.Block($"public partial class {NetstdNames.Escape(service.Name)}"))
        {
            WriteInterface(service, baseName);
            _w.Line();
            _w.Line();
            WriteClient(service, baseName);
            _w.Line();
            WriteProcessor(service, baseName);
            _w.Line();
            WriteInternalStructs(service);
            _w.Line();
        }
    }

    // ---- Names ---------------------------------------------------------------------------

    private string MethodName(FunctionModel function) =>
        NetstdNames.Escape(function.Name + (_context.Options.AsyncPostfix ? "Async" : ""));

    private string ReturnTask(FunctionModel function) =>
        function.ReturnType is { } type ? $"{Task}<{_context.Types.Name(type)}>" : Task;

    private string ParameterList(FunctionModel function, bool withDefault = true)
    {
        var parameters = function.Parameters.Select(p => $"{ParameterType(p)} {NetstdNames.Parameter(p.Name)}").ToList();
        parameters.Add(withDefault ? "CancellationToken cancellationToken = default" : "CancellationToken cancellationToken");
        return string.Join(", ", parameters);
    }

    /// <summary>The parameter's type: under <c>net6</c>, <c>T?</c> as its property in the args struct is.</summary>
    private string ParameterType(FieldModel parameter)
    {
        var typeName = _context.Types.Name(parameter.Type);
        return _context.Options.Net6
            ? FieldShape.Net6Declaration(parameter, typeName, parameter.Requiredness == Requiredness.Required, _context.Consts).Declared
            : typeName;
    }

    private static string ArgumentList(FunctionModel function)
    {
        var arguments = function.Parameters.Select(p => NetstdNames.Parameter(p.Name)).ToList();
        arguments.Add("cancellationToken");
        return string.Join(", ", arguments);
    }

    private IReadOnlyList<string> ArgsProperties(FunctionModel function) =>
        NetstdNames.Properties(function.Name + "_args", function.Parameters.Select(p => p.Name), _context.Options.Pascal);

    private IReadOnlyList<FieldModel> ResultFields(FunctionModel function)
    {
        var fields = new List<FieldModel>();
        if (function.ReturnType is { } type)
        {
            fields.Add(new FieldModel(0, true, "success", type, Requiredness.Optional, null, false, null, EquatableArray<Annotation>.Empty));
        }

        foreach (var thrown in function.Throws)
        {
            fields.Add(thrown with { Requiredness = Requiredness.Optional, Default = null });
        }

        return fields;
    }

    // ---- IAsync --------------------------------------------------------------------------

    private void WriteInterface(ServiceModel service, string? baseName)
    {
        var header = baseName is null ? "public interface IAsync" : $"public interface IAsync : {baseName}.IAsync";
        var wcf = _context.Options.Wcf;
        if (wcf)
        {
            _w.Line("[ServiceContract(Namespace=\"\")]");
        }

        using (_w.Block(header))
        {
            foreach (var function in service.Functions)
            {
                DocWriter.Summary(_w, function.Doc, function.Parameters.Select(p => NetstdNames.Parameter(p.Name)));
                if (wcf)
                {
                    _w.Line("[OperationContract]");
                    foreach (var thrown in function.Throws)
                    {
                        _w.Line($"[FaultContract(typeof({_context.Types.Name(thrown.Type)}Fault))]");
                    }
                }

                _w.Line($"{ReturnTask(function)} {MethodName(function)}({ParameterList(function)});");
                _w.Line();
            }
        }
    }

    // ---- Client --------------------------------------------------------------------------

    private void WriteClient(ServiceModel service, string? baseName)
    {
        var bases = baseName is null ? "TBaseClient, IDisposable, IAsync" : $"{baseName}.Client, IAsync";
        using (_w.Block($"public class Client : {bases}"))
        {
            using (_w.Block("public Client(TProtocol protocol) : this(protocol, protocol)"))
            {
            }

            _w.Line();
            using (_w.Block("public Client(TProtocol inputProtocol, TProtocol outputProtocol) : base(inputProtocol, outputProtocol)"))
            {
            }

            foreach (var function in service.Functions)
            {
                _w.Line();
                WriteClientFunction(function);
            }

            _w.Line();
        }
    }

    private void WriteClientFunction(FunctionModel function)
    {
        var name = MethodName(function);
        var sendName = "send_" + function.Name + (_context.Options.AsyncPostfix ? "Async" : "");
        var recvName = "recv_" + function.Name + (_context.Options.AsyncPostfix ? "Async" : "");
        using (_w.Block($"public async {ReturnTask(function)} {name}({ParameterList(function)})"))
        {
            _w.Line($"await {sendName}({ArgumentList(function)});");
            if (!function.Oneway)
            {
                _w.Line(function.ReturnType is null ? $"await {recvName}(cancellationToken);" : $"return await {recvName}(cancellationToken);");
            }
        }

        _w.Line();
        using (_w.Block($"public async {Task} {sendName}({ParameterList(function)})"))
        {
            var messageType = function.Oneway ? "TMessageType.Oneway" : "TMessageType.Call";
            _w.Line($"await OutputProtocol.WriteMessageBeginAsync(new TMessage({ConstCode.StringLiteral(function.Name)}, {messageType}, SeqId), cancellationToken);");
            _w.Line();
            var args = Temps.Next();
            var properties = ArgsProperties(function);
            _w.Line($"var {args} = new InternalStructs.{function.Name}_args() {{");
            _w.Indent();
            for (var i = 0; i < function.Parameters.Count; i++)
            {
                _w.Line($"{properties[i]} = {NetstdNames.Parameter(function.Parameters[i].Name)},");
            }

            _w.Outdent();
            _w.Line("};");
            _w.Line();
            _w.Line($"await {args}.WriteAsync(OutputProtocol, cancellationToken);");
            _w.Line("await OutputProtocol.WriteMessageEndAsync(cancellationToken);");
            _w.Line("await OutputProtocol.Transport.FlushAsync(cancellationToken);");
        }

        if (function.Oneway)
        {
            return;
        }

        _w.Line();
        using (_w.Block($"public async {ReturnTask(function)} {recvName}(CancellationToken cancellationToken = default)"))
        {
            _w.Line();
            var message = Temps.Next();
            _w.Line($"var {message} = await InputProtocol.ReadMessageBeginAsync(cancellationToken);");
            using (_w.Block($"if ({message}.Type == TMessageType.Exception)"))
            {
                var exception = Temps.Next();
                _w.Line($"var {exception} = await TApplicationException.ReadAsync(InputProtocol, cancellationToken);");
                _w.Line("await InputProtocol.ReadMessageEndAsync(cancellationToken);");
                _w.Line($"throw {exception};");
            }

            _w.Line();
            var result = Temps.Next();
            _w.Line($"var {result} = new InternalStructs.{function.Name}_result();");
            _w.Line($"await {result}.ReadAsync(InputProtocol, cancellationToken);");
            _w.Line("await InputProtocol.ReadMessageEndAsync(cancellationToken);");
            var fields = ResultFields(function);
            var properties = NetstdNames.Properties(function.Name + "_result", fields.Select(f => f.Name), _context.Options.Pascal);
            for (var i = 0; i < fields.Count; i++)
            {
                using (_w.Block($"if ({result}.__isset.{NetstdNames.IssetMember(fields[i].Name)})"))
                {
                    var notNull = NullableCode.NotNull(_context.Options, fields[i].Type);
                    _w.Line(fields[i].Id == 0 && function.ReturnType is not null
                        ? $"return {result}.{properties[i]}{notNull};"
                        : $"throw {result}.{properties[i]}{notNull};");
                }
            }

            if (function.ReturnType is not null)
            {
                _w.Line($"throw new TApplicationException(TApplicationException.ExceptionType.MissingResult, {ConstCode.StringLiteral(function.Name + " failed: unknown result")});");
            }
        }
    }

    // ---- AsyncProcessor ------------------------------------------------------------------

    private void WriteProcessor(ServiceModel service, string? baseName)
    {
        var bases = baseName is null ? "ITAsyncProcessor" : $"{baseName}.AsyncProcessor, ITAsyncProcessor";
        using (_w.Block($"public class AsyncProcessor : {bases}"))
        {
            _w.Line("private readonly IAsync _iAsync;");
            var logger = _context.Options.Net6 ? "ILogger<AsyncProcessor>?" : "ILogger<AsyncProcessor>";
            _w.Line($"private readonly {logger} _logger;");
            _w.Line();
            var chain = baseName is null ? "" : " : base(iAsync)";
            using (_w.Block($"public AsyncProcessor(IAsync iAsync, {logger} logger = default){chain}"))
            {
                _w.Line("_iAsync = iAsync ?? throw new ArgumentNullException(nameof(iAsync));");
                _w.Line("_logger = logger;");
                foreach (var function in service.Functions)
                {
                    _w.Line($"processMap_[{ConstCode.StringLiteral(function.Name)}] = {function.Name}_ProcessAsync;");
                }
            }

            _w.Line();
            var hide = baseName is null ? "" : "new ";
            if (baseName is not null)
            {
                _w.Line();
            }

            if (baseName is null)
            {
                _w.Line($"protected delegate {Task} ProcessFunction(int seqid, TProtocol iprot, TProtocol oprot, CancellationToken cancellationToken);");
                _w.Line(_context.Options.Net6
                    ? "protected Dictionary<string, ProcessFunction> processMap_ = new();"
                    : "protected Dictionary<string, ProcessFunction> processMap_ = new Dictionary<string, ProcessFunction>();");
                _w.Line();
            }

            using (_w.Block($"public {hide}async Task<bool> ProcessAsync(TProtocol iprot, TProtocol oprot)"))
            {
                _w.Line("return await ProcessAsync(iprot, oprot, CancellationToken.None);");
            }

            _w.Line();
            using (_w.Block($"public {hide}async Task<bool> ProcessAsync(TProtocol iprot, TProtocol oprot, CancellationToken cancellationToken)"))
            {
                using (_w.Block("try"))
                {
                    _w.Line("var msg = await iprot.ReadMessageBeginAsync(cancellationToken);");
                    _w.Line();
                    _w.Line("processMap_.TryGetValue(msg.Name, out var fn);");
                    _w.Line();
                    using (_w.Block("if (fn == null)"))
                    {
                        _w.Line("await TProtocolUtil.SkipAsync(iprot, TType.Struct, cancellationToken);");
                        _w.Line("await iprot.ReadMessageEndAsync(cancellationToken);");
                        _w.Line("var x = new TApplicationException (TApplicationException.ExceptionType.UnknownMethod, \"Invalid method name: '\" + msg.Name + \"'\");");
                        _w.Line("await oprot.WriteMessageBeginAsync(new TMessage(msg.Name, TMessageType.Exception, msg.SeqID), cancellationToken);");
                        _w.Line("await x.WriteAsync(oprot, cancellationToken);");
                        _w.Line("await oprot.WriteMessageEndAsync(cancellationToken);");
                        _w.Line("await oprot.Transport.FlushAsync(cancellationToken);");
                        _w.Line("return true;");
                    }

                    _w.Line();
                    _w.Line("await fn(msg.SeqID, iprot, oprot, cancellationToken);");
                    _w.Line();
                }

                using (_w.Block("catch (IOException)"))
                {
                    _w.Line("return false;");
                }

                _w.Line();
                _w.Line("return true;");
            }

            foreach (var function in service.Functions)
            {
                _w.Line();
                WriteProcessFunction(function);
            }

            _w.Line();
        }
    }

    private void WriteProcessFunction(FunctionModel function)
    {
        using (_w.Block($"public async {Task} {function.Name}_ProcessAsync(int seqid, TProtocol iprot, TProtocol oprot, CancellationToken cancellationToken)"))
        {
            var args = Temps.Next();
            _w.Line($"var {args} = new InternalStructs.{function.Name}_args();");
            _w.Line($"await {args}.ReadAsync(iprot, cancellationToken);");
            _w.Line("await iprot.ReadMessageEndAsync(cancellationToken);");
            var argsProperties = ArgsProperties(function);
            var call = new List<string>();
            for (var i = 0; i < function.Parameters.Count; i++)
            {
                call.Add($"{args}.{argsProperties[i]}");
            }

            call.Add("cancellationToken");
            var invocation = $"await _iAsync.{MethodName(function)}({string.Join(", ", call)});";
            var name = ConstCode.StringLiteral(function.Name);

            if (function.Oneway)
            {
                using (_w.Block("try"))
                {
                    _w.Line(invocation);
                }

                using (_w.Block("catch (TTransportException)"))
                {
                    _w.Line("throw;");
                }

                var error = Temps.Next();
                using (_w.Block($"catch (Exception {error})"))
                {
                    WriteLogError(error);
                }

                return;
            }

            var result = Temps.Next();
            _w.Line($"var {result} = new InternalStructs.{function.Name}_result();");
            var fields = ResultFields(function);
            var properties = NetstdNames.Properties(function.Name + "_result", fields.Select(f => f.Name), _context.Options.Pascal);
            using (_w.Block("try"))
            {
                var callLine = function.ReturnType is null ? invocation : $"{result}.{properties[0]} = {invocation}";
                if (function.Throws.Count == 0)
                {
                    _w.Line(callLine);
                }
                else
                {
                    using (_w.Block("try"))
                    {
                        _w.Line(callLine);
                    }

                    var offset = function.ReturnType is null ? 0 : 1;
                    for (var i = 0; i < function.Throws.Count; i++)
                    {
                        var caught = Temps.Next();
                        using (_w.Block($"catch ({_context.Types.Name(function.Throws[i].Type)} {caught})"))
                        {
                            _w.Line($"{result}.{properties[i + offset]} = {caught};");
                        }
                    }
                }

                _w.Line($"await oprot.WriteMessageBeginAsync(new TMessage({name}, TMessageType.Reply, seqid), cancellationToken);");
                _w.Line($"await {result}.WriteAsync(oprot, cancellationToken);");
            }

            using (_w.Block("catch (TTransportException)"))
            {
                _w.Line("throw;");
            }

            var exception = Temps.Next();
            using (_w.Block($"catch (Exception {exception})"))
            {
                WriteLogError(exception);
                var reply = Temps.Next();
                _w.Line($"var {reply} = new TApplicationException(TApplicationException.ExceptionType.InternalError,{ConstCode.StringLiteral(NetstdQuirks.InternalErrorMessage)});");
                _w.Line($"await oprot.WriteMessageBeginAsync(new TMessage({name}, TMessageType.Exception, seqid), cancellationToken);");
                _w.Line($"await {reply}.WriteAsync(oprot, cancellationToken);");
            }

            _w.Line("await oprot.WriteMessageEndAsync(cancellationToken);");
            _w.Line("await oprot.Transport.FlushAsync(cancellationToken);");
        }
    }

    private void WriteLogError(string exception)
    {
        var message = Temps.Next();
        _w.Line($"var {message} = $\"Error occurred in {{GetType().FullName}}: {{{exception}.Message}}\";");
        _w.Line("if(_logger != null)");
        _w.Line($"  _logger.LogError(\"{{Exception}}, {{Message}}\", {exception}, {message});");
        _w.Line("else");
        _w.Line($"  Console.Error.WriteLine({message});");
    }

    // ---- InternalStructs -----------------------------------------------------------------

    private void WriteInternalStructs(ServiceModel service)
    {
        using (_w.Block("public class InternalStructs"))
        {
            var structs = new StructWriter(_context, _w);
            foreach (var function in service.Functions)
            {
                var parameters = function.Parameters
                    .Select(p => p.Requiredness == Requiredness.Optional ? p with { Requiredness = Requiredness.Default } : p)
                    .ToList();
                _w.Line();
                structs.Write(function.Name + "_args", StructKind.Struct, parameters, null, StructRole.Args);
                _w.Line();
                if (!function.Oneway)
                {
                    _w.Line();
                    structs.Write(function.Name + "_result", StructKind.Struct, ResultFields(function), null, StructRole.Result);
                    _w.Line();
                }
            }

            _w.Line();
        }
    }
}
