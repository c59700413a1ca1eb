using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interop.Rpc;

namespace Interop.Shared;

/// <summary>
/// Calls through this assembly's generated <c>Echo.EchoClient</c> and <c>Health.HealthClient</c>.
/// Messages cross as serialized bytes and the results as gRPC's own types, so that both sides'
/// methods have the same signature and a test can drive either.
/// </summary>
public static class EchoCalls
{
    public static async Task<(byte[] Reply, Metadata Headers, Metadata Trailers)> UnaryAsync(ChannelBase channel, byte[] request, CallOptions options)
    {
        var client = new Echo.EchoClient(channel);
        using var call = client.UnaryAsync(EchoRequest.Parser.ParseFrom(request), options);
        var headers = await call.ResponseHeadersAsync;
        var reply = await call.ResponseAsync;
        return (reply.ToByteArray(), headers, call.GetTrailers());
    }

    /// <summary>The blocking overload (headers, deadline, token).</summary>
    public static byte[] UnaryBlocking(ChannelBase channel, byte[] request, Metadata headers, DateTime? deadline) =>
        new Echo.EchoClient(channel).Unary(EchoRequest.Parser.ParseFrom(request), headers, deadline).ToByteArray();

    public static async Task<(byte[] Reply, Metadata Headers, Metadata Trailers)> ClientStreamAsync(ChannelBase channel, IReadOnlyList<byte[]> requests, CallOptions options)
    {
        var client = new Echo.EchoClient(channel);
        using var call = client.ClientStream(options);
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(EchoRequest.Parser.ParseFrom(request));
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        return (reply.ToByteArray(), await call.ResponseHeadersAsync, call.GetTrailers());
    }

    /// <summary>The replies received, then the status the call ended with (an <see cref="RpcException"/> is caught and returned).</summary>
    public static async Task<(List<byte[]> Replies, Metadata Headers, Status Status, Metadata Trailers)> ServerStreamAsync(ChannelBase channel, byte[] request, CallOptions options)
    {
        var client = new Echo.EchoClient(channel);
        using var call = client.ServerStream(EchoRequest.Parser.ParseFrom(request), options);
        var replies = new List<byte[]>();
        var headers = await call.ResponseHeadersAsync;
        try
        {
            while (await call.ResponseStream.MoveNext(options.CancellationToken))
            {
                replies.Add(call.ResponseStream.Current.ToByteArray());
            }
        }
        catch (RpcException e)
        {
            return (replies, headers, e.Status, e.Trailers);
        }

        return (replies, headers, call.GetStatus(), call.GetTrailers());
    }

    /// <summary>Ping-pong: each request is written, then its reply read.</summary>
    public static async Task<(List<byte[]> Replies, Metadata Headers, Status Status, Metadata Trailers)> BidiAsync(ChannelBase channel, IReadOnlyList<byte[]> requests, CallOptions options)
    {
        var client = new Echo.EchoClient(channel);
        using var call = client.Bidi(options);
        var replies = new List<byte[]>();
        try
        {
            foreach (var request in requests)
            {
                await call.RequestStream.WriteAsync(EchoRequest.Parser.ParseFrom(request));
                if (!await call.ResponseStream.MoveNext(options.CancellationToken))
                {
                    break;
                }

                replies.Add(call.ResponseStream.Current.ToByteArray());
            }

            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(options.CancellationToken))
            {
                replies.Add(call.ResponseStream.Current.ToByteArray());
            }
        }
        catch (RpcException e)
        {
            return (replies, await call.ResponseHeadersAsync, e.Status, e.Trailers);
        }

        return (replies, await call.ResponseHeadersAsync, call.GetStatus(), call.GetTrailers());
    }

#pragma warning disable CS0618, CS0612 // Ping is [deprecated = true] on purpose.
    public static async Task<byte[]> PingAsync(ChannelBase channel) => (await new Echo.EchoClient(channel).PingAsync(new Empty())).ToByteArray();
#pragma warning restore CS0618, CS0612

    public static async Task<byte[]> HealthCheckAsync(ChannelBase channel) => (await new Health.HealthClient(channel).CheckAsync(new Empty())).ToByteArray();

    /// <summary>The client's view of the service: the method full names and types, as the generated descriptor gives them.</summary>
    public static string Describe() => string.Join("\n", Echo.Descriptor.Methods.Select(m =>
        $"{m.FullName} {m.InputType.FullName}{(m.IsClientStreaming ? "*" : "")} -> {m.OutputType.FullName}{(m.IsServerStreaming ? "*" : "")}"));
}
