extern alias kiln;
extern alias peer;

using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(Kiln.ProtobufInterop.Tests.EchoServers))]

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// Two Kestrel servers on 127.0.0.1 (dynamic ports, HTTP/2 without TLS), one per side, each hosting
/// that side's <c>Interop.Shared.EchoService</c> and <c>HealthService</c> (the generated <c>…Base</c>
/// classes), for the whole test run.
/// </summary>
public sealed class EchoServers : IAsyncLifetime
{
    private WebApplication? _kiln;
    private WebApplication? _peer;

    /// <summary>The base address of the server built from <paramref name="side"/>'s generated code.</summary>
    public Uri Address(string side) => side switch
    {
        "kiln" => AddressOf(_kiln),
        "peer" => AddressOf(_peer),
        _ => throw new ArgumentException($"no side {side}", nameof(side)),
    };

    public async ValueTask InitializeAsync()
    {
        var kiln = StartAsync<kiln::Interop.Shared.EchoService, kiln::Interop.Shared.HealthService>();
        var peer = StartAsync<peer::Interop.Shared.EchoService, peer::Interop.Shared.HealthService>();
        _kiln = await kiln;
        _peer = await peer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in new[] { _kiln, _peer })
        {
            if (app != null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await app.StopAsync(timeout.Token);
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>A channel to <paramref name="side"/>'s server (dispose it).</summary>
    public GrpcChannel Channel(string side) => GrpcChannel.ForAddress(Address(side));

    private static async Task<WebApplication> StartAsync<TEcho, THealth>()
        where TEcho : class
        where THealth : class
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<TEcho>();
        app.MapGrpcService<THealth>();
        await app.StartAsync();
        return app;
    }

    private static Uri AddressOf(WebApplication? app)
    {
        var addresses = app?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server is not running");
        return new Uri(addresses.Single());
    }
}
