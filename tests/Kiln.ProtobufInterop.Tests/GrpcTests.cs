extern alias kiln;
extern alias peer;

using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using P3 = peer::Interop.Proto3;
using PR = peer::Interop.Rpc;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// Real gRPC calls over loopback HTTP/2: a server built from one side's generated service base
/// (<see cref="EchoServers"/>) answers a client built from the other side's generated client
/// (<c>Interop.Shared.EchoCalls</c>, through Grpc.Net.Client), for every method kind, with
/// metadata, deadlines, cancellation and error statuses. Replies are read with protoc's types.
/// </summary>
public sealed class GrpcTests(EchoServers servers)
{
    public static TheoryData<string, string> Pairs() => new()
    {
        { "kiln", "peer" }, // the Kiln service answers protoc's client
        { "peer", "kiln" }, // protoc's service answers the Kiln client
        { "kiln", "kiln" },
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static CallOptions Options(Metadata? headers = null, DateTime? deadline = null, CancellationToken? token = null) =>
        new(headers, deadline ?? DateTime.UtcNow.AddSeconds(30), token ?? Token);

    private static byte[] Request(string text, int count = 0, int delayMs = 0, StatusCode fail = StatusCode.OK, P3.AllTypes? payload = null) =>
        new PR.EchoRequest { Text = text, Count = count, DelayMs = delayMs, FailCode = (int)fail, Payload = payload }.ToByteArray();

    private static PR.EchoReply Reply(byte[] bytes) => PR.EchoReply.Parser.ParseFrom(bytes);

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Unary_echoes_the_request_with_headers_and_trailers(string server, string client)
    {
        using var channel = servers.Channel(server);
        var payload = (P3.AllTypes)Side.Peer.Build("proto3/full");
        var headers = new Metadata { { "x-id", "42" }, { "x-bin-bin", new byte[] { 0, 1, 255 } } };
        var (reply, responseHeaders, trailers) = await Client.For(client).UnaryAsync(channel, Request("hello", payload: payload), Options(headers));

        var echo = Reply(reply);
        Assert.Equal("hello", echo.Text);
        Assert.Equal(0, echo.Index);
        Assert.Equal(payload, echo.Payload);
        Assert.Equal("42", echo.Headers["x-id"]);
        Assert.Equal("echo", responseHeaders.GetValue("x-server"));
        Assert.Equal("42", responseHeaders.GetValue("x-echo-id"));
        Assert.Equal("done", trailers.GetValue("x-trailer"));
        Assert.Equal([0, 1, 255], trailers.GetValueBytes("x-bin-bin"));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task The_blocking_unary_overload_works(string server, string client)
    {
        using var channel = servers.Channel(server);
        var reply = await Task.Run(() => Client.For(client).UnaryBlocking(channel, Request("sync"), new Metadata { { "x-mode", "blocking" } }, DateTime.UtcNow.AddSeconds(30)), Token);
        Assert.Equal("sync", Reply(reply).Text);
        Assert.Equal("blocking", Reply(reply).Headers["x-mode"]);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_failing_unary_call_brings_its_status_and_trailers(string server, string client)
    {
        using var channel = servers.Channel(server);
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.For(client).UnaryAsync(channel, Request("missing", fail: StatusCode.NotFound), Options()));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("failed: missing", error.Status.Detail);
        Assert.Equal("missing", error.Trailers.GetValue("x-failure"));
        Assert.Equal("done", error.Trailers.GetValue("x-trailer"));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_deadline_ends_a_slow_call(string server, string client)
    {
        using var channel = servers.Channel(server);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.For(client).UnaryAsync(channel, Request("slow", delayMs: 20_000), Options(deadline: DateTime.UtcNow.AddMilliseconds(300))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the deadline took {watch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Cancelling_ends_a_slow_call(string server, string client)
    {
        using var channel = servers.Channel(server);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(300);
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.For(client).UnaryAsync(channel, Request("slow", delayMs: 20_000), Options(token: cancel.Token)));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Client_streaming_gathers_every_request(string server, string client)
    {
        using var channel = servers.Channel(server);
        var payloads = new[] { new P3.AllTypes { FInt32 = 1, RString = { "a" } }, new P3.AllTypes { FString = "b", RString = { "b" } }, new P3.AllTypes { FLeaf = new P3.Leaf { Text = "c" } } };
        var (reply, headers, trailers) = await Client.For(client).ClientStreamAsync(channel, [Request("a", payload: payloads[0]), Request("b", payload: payloads[1]), Request("c", payload: payloads[2])], Options(new Metadata { { "x-id", "cs" } }));

        var merged = new P3.AllTypes();
        foreach (var payload in payloads)
        {
            merged.MergeFrom(payload);
        }

        var echo = Reply(reply);
        Assert.Equal("a+b+c", echo.Text);
        Assert.Equal(3, echo.Index);
        Assert.Equal(merged, echo.Payload);
        Assert.Equal("cs", headers.GetValue("x-echo-id"));
        Assert.Equal("done", trailers.GetValue("x-trailer"));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.For(client).ClientStreamAsync(channel, [Request("ok"), Request("bad", fail: StatusCode.InvalidArgument)], Options()));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("failed: bad", error.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Server_streaming_sends_the_replies_then_the_status(string server, string client)
    {
        using var channel = servers.Channel(server);
        var (replies, headers, status, trailers) = await Client.For(client).ServerStreamAsync(channel, Request("stream", count: 5), Options(new Metadata { { "x-id", "ss" } }));
        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => Reply(r).Index));
        Assert.All(replies, r => Assert.Equal("stream", Reply(r).Text));
        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal("ss", headers.GetValue("x-echo-id"));
        Assert.Equal("done", trailers.GetValue("x-trailer"));

        (replies, _, status, trailers) = await Client.For(client).ServerStreamAsync(channel, Request("broken", count: 3, fail: StatusCode.Aborted), Options());
        Assert.Equal(3, replies.Count);
        Assert.Equal(StatusCode.Aborted, status.StatusCode);
        Assert.Equal("failed: broken", status.Detail);
        Assert.Equal("broken", trailers.GetValue("x-failure"));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Bidirectional_streaming_answers_each_request(string server, string client)
    {
        using var channel = servers.Channel(server);
        var payload = (P3.AllTypes)Side.Peer.Build("proto3/extremes");
        var (replies, headers, status, trailers) = await Client.For(client).BidiAsync(channel, [Request("one"), Request("two", payload: payload), Request("three"), Request("four")], Options(new Metadata { { "x-id", "bidi" } }));
        Assert.Equal(["one", "two", "three", "four"], replies.Select(r => Reply(r).Text));
        Assert.Equal([0, 1, 2, 3], replies.Select(r => Reply(r).Index));
        Assert.Equal(payload, Reply(replies[1]).Payload);
        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal("bidi", headers.GetValue("x-echo-id"));
        Assert.Equal("done", trailers.GetValue("x-trailer"));

        (replies, _, status, _) = await Client.For(client).BidiAsync(channel, [Request("one"), Request("two"), Request("three", fail: StatusCode.ResourceExhausted), Request("four")], Options());
        Assert.Equal(["one", "two"], replies.Select(r => Reply(r).Text));
        Assert.Equal(StatusCode.ResourceExhausted, status.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task The_deprecated_method_and_the_second_service_answer(string server, string client)
    {
        using var channel = servers.Channel(server);
        Assert.Empty(await Client.For(client).PingAsync(channel));
        var leaf = P3.Leaf.Parser.ParseFrom(await Client.For(client).HealthCheckAsync(channel));
        Assert.Equal("serving", leaf.Text);
        Assert.Equal([1], leaf.Numbers);
    }

    /// <summary>One side's generated client, through the shared <c>Interop.Shared.EchoCalls</c> (same signatures on both sides).</summary>
    private sealed class Client
    {
        private static readonly Client s_kiln = new()
        {
            UnaryAsync = kiln::Interop.Shared.EchoCalls.UnaryAsync,
            UnaryBlocking = kiln::Interop.Shared.EchoCalls.UnaryBlocking,
            ClientStreamAsync = kiln::Interop.Shared.EchoCalls.ClientStreamAsync,
            ServerStreamAsync = kiln::Interop.Shared.EchoCalls.ServerStreamAsync,
            BidiAsync = kiln::Interop.Shared.EchoCalls.BidiAsync,
            PingAsync = kiln::Interop.Shared.EchoCalls.PingAsync,
            HealthCheckAsync = kiln::Interop.Shared.EchoCalls.HealthCheckAsync,
        };

        private static readonly Client s_peer = new()
        {
            UnaryAsync = peer::Interop.Shared.EchoCalls.UnaryAsync,
            UnaryBlocking = peer::Interop.Shared.EchoCalls.UnaryBlocking,
            ClientStreamAsync = peer::Interop.Shared.EchoCalls.ClientStreamAsync,
            ServerStreamAsync = peer::Interop.Shared.EchoCalls.ServerStreamAsync,
            BidiAsync = peer::Interop.Shared.EchoCalls.BidiAsync,
            PingAsync = peer::Interop.Shared.EchoCalls.PingAsync,
            HealthCheckAsync = peer::Interop.Shared.EchoCalls.HealthCheckAsync,
        };

        public static Client For(string side) => side == "kiln" ? s_kiln : s_peer;

        public required Func<ChannelBase, byte[], CallOptions, Task<(byte[] Reply, Metadata Headers, Metadata Trailers)>> UnaryAsync { get; init; }

        public required Func<ChannelBase, byte[], Metadata, DateTime?, byte[]> UnaryBlocking { get; init; }

        public required Func<ChannelBase, IReadOnlyList<byte[]>, CallOptions, Task<(byte[] Reply, Metadata Headers, Metadata Trailers)>> ClientStreamAsync { get; init; }

        public required Func<ChannelBase, byte[], CallOptions, Task<(List<byte[]> Replies, Metadata Headers, Status Status, Metadata Trailers)>> ServerStreamAsync { get; init; }

        public required Func<ChannelBase, IReadOnlyList<byte[]>, CallOptions, Task<(List<byte[]> Replies, Metadata Headers, Status Status, Metadata Trailers)>> BidiAsync { get; init; }

        public required Func<ChannelBase, Task<byte[]>> PingAsync { get; init; }

        public required Func<ChannelBase, Task<byte[]>> HealthCheckAsync { get; init; }
    }
}
