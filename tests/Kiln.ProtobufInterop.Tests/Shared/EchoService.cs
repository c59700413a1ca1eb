using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interop.Proto3;
using Interop.Rpc;

namespace Interop.Shared;

/// <summary>
/// The <c>Echo</c> service over this assembly's generated base class. Every method: waits
/// <c>delay_ms</c> (honouring the deadline), fails with <c>fail_code</c> when it is not zero (with a
/// trailer), sends response headers and trailers derived from the request headers, and echoes.
/// </summary>
public sealed class EchoService : Echo.EchoBase
{
    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        await StartAsync(context);
        await DelayOrFailAsync(request, context);
        return Reply(request, 0, context);
    }

    public override async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        await StartAsync(context);
        var texts = new List<string>();
        var payload = new AllTypes();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            await DelayOrFailAsync(request, context);
            texts.Add(request.Text);
            if (request.Payload != null)
            {
                payload.MergeFrom(request.Payload);
            }
        }

        var reply = Reply(new EchoRequest { Text = string.Join("+", texts), Payload = payload }, texts.Count, context);
        return reply;
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await StartAsync(context);
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(Reply(request, i, context));
        }

        // A failure after the replies: the client sees them, then the status.
        await DelayOrFailAsync(request, context);
    }

    public override async Task Bidi(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await StartAsync(context);
        var index = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            await DelayOrFailAsync(request, context);
            await responseStream.WriteAsync(Reply(request, index++, context));
        }
    }

#pragma warning disable CS0672, CS0618, CS0612 // Ping is [deprecated = true] on purpose.
    public override Task<Empty> Ping(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
#pragma warning restore CS0672, CS0618, CS0612

    /// <summary>Response headers: <c>x-echo-KEY</c> for each text header <c>x-KEY</c> of the request.</summary>
    private static async Task StartAsync(ServerCallContext context)
    {
        var headers = new Metadata { { "x-server", "echo" } };
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal) && !e.IsBinary))
        {
            headers.Add("x-echo-" + entry.Key[2..], entry.Value);
        }

        await context.WriteResponseHeadersAsync(headers);

        // Trailers: the binary request headers, back, and a fixed one.
        context.ResponseTrailers.Add("x-trailer", "done");
        foreach (var entry in context.RequestHeaders.Where(e => e.IsBinary))
        {
            context.ResponseTrailers.Add(entry.Key, entry.ValueBytes);
        }
    }

    private static async Task DelayOrFailAsync(EchoRequest request, ServerCallContext context)
    {
        if (request.DelayMs > 0)
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }

        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, "failed: " + request.Text), new Metadata { { "x-failure", request.Text } });
        }
    }

    private static EchoReply Reply(EchoRequest request, int index, ServerCallContext context)
    {
        var reply = new EchoReply { Text = request.Text, Index = index, Payload = request.Payload };
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal) && !e.IsBinary))
        {
            reply.Headers[entry.Key] = entry.Value;
        }

        return reply;
    }
}

/// <summary>The second service of the file: answers with a fixed leaf.</summary>
public sealed class HealthService : Health.HealthBase
{
    public override Task<Leaf> Check(Empty request, ServerCallContext context) => Task.FromResult(new Leaf { Text = "serving", Numbers = { 1 } });
}
