// A Thrift service and its client in one process: a server on 127.0.0.1 (an ephemeral port),
// calls through the generated client, the answers printed.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Sample.Calc;
using Sample.Shared;
using Thrift;
using Thrift.Processor;
using Thrift.Protocol;
using Thrift.Server;
using Thrift.Transport;
using Thrift.Transport.Client;
using Thrift.Transport.Server;

var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var port = ((IPEndPoint)listener.LocalEndpoint).Port;
var processor = new Calculator.AsyncProcessor(new CalculatorHandler(), NullLogger<Calculator.AsyncProcessor>.Instance);
var server = new TSimpleAsyncServer(
    new TSingletonProcessorFactory(processor),
    new TServerSocketTransport(listener, new TConfiguration(), 10000),
    new TBufferedTransport.Factory(),
    new TBufferedTransport.Factory(),
    new TBinaryProtocol.Factory(),
    new TBinaryProtocol.Factory(),
    NullLoggerFactory.Instance);
using var stop = new CancellationTokenSource();
var serving = Task.Run(() => server.ServeAsync(stop.Token));

using (var transport = new TBufferedTransport(new TSocketTransport(IPAddress.Loopback, port, new TConfiguration(), 10000)))
{
    await transport.OpenAsync(CancellationToken.None);
    using var client = new Calculator.Client(new TBinaryProtocol(transport));
    Console.WriteLine($"add: {await client.add(new Pair { Left = 40, Right = 2 })}");
    try
    {
        await client.divide(new Pair { Left = 1, Right = 0 });
    }
    catch (DivideByZero e)
    {
        Console.WriteLine($"divide: {e.Reason}");
    }
}

stop.Cancel();
server.Stop();
await Task.WhenAny(serving, Task.Delay(5000));

internal sealed class CalculatorHandler : Calculator.IAsync
{
    public Task<int> add(Pair pair, CancellationToken cancellationToken = default) => Task.FromResult(pair.Left + pair.Right);

    public Task<int> divide(Pair pair, CancellationToken cancellationToken = default) =>
        pair.Right == 0 ? throw new DivideByZero { Reason = "division by zero" } : Task.FromResult(pair.Left / pair.Right);
}
