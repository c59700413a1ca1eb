using System.Reflection;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// A real RPC over loopback TCP: a ThriftTest server built from one generator's output answers a
/// client built from the other's, for every function of the service (<c>TestData/Rpc.cs.txt</c>).
/// </summary>
public sealed class RpcTests(ThriftTestTrees trees)
{
    /// <summary>Every function the client calls; testOneway is also checked on the server side.</summary>
    private static readonly string[] Functions =
    [
        "testVoid", "testString", "testByte", "testI32", "testI64", "testDouble", "testBinary", "testStruct", "testNest",
        "testMap", "testStringMap", "testSet", "testList", "testEnum", "testTypedef", "testMapMap", "testInsanity",
        "testMulti", "testException", "testMultiException", "testOneway",
    ];

    public static TheoryData<string, string, string> Pairs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var protocol in new[] { "binary", "compact", "json" })
        {
            data.Add("kiln", "thrift", protocol);
            data.Add("thrift", "kiln", protocol);
        }

        data.Add("kiln", "kiln", "binary");
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_server_from_one_generator_answers_every_ThriftTest_function_called_by_a_client_from_the_other(string server, string client, string protocol)
    {
        var serverAssembly = trees.Side(server).RequireRpc();
        var clientAssembly = trees.Side(client).RequireRpc();
        var serverType = serverAssembly.GetType("Kiln.Interop.Server", throwOnError: true)!;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var running = Activator.CreateInstance(serverType, protocol)!;
        var stopped = false;
        try
        {
            var port = (int)serverType.GetProperty("Port")!.GetValue(running)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var run = clientAssembly.GetType("Kiln.Interop.Client", throwOnError: true)!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
            var results = await (Task<Dictionary<string, string>>)run.Invoke(null, [port, protocol, timeout.Token])!;

            var oneway = (Task<int>)serverType.GetProperty("OnewayReceived")!.GetValue(running)!;
            var received = await Task.WhenAny(oneway, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) == oneway ? await oneway : -1;
            if (received != 7 && results.GetValueOrDefault("testOneway") == "ok")
            {
                results["testOneway"] = received < 0 ? "the server never received the oneway call" : $"the server received testOneway({received})";
            }

            Assert.Equal(Functions.Order(StringComparer.Ordinal), results.Keys.Order(StringComparer.Ordinal));
            var failures = results.Where(pair => pair.Value != "ok").Select(pair => $"{pair.Key}: {pair.Value}").ToList();
            TestContext.Current.TestOutputHelper?.WriteLine($"{server} server, {client} client, {protocol}: {results.Count - failures.Count} of {results.Count} functions pass ({watch.ElapsedMilliseconds} ms)");
            Assert.True(failures.Count == 0, $"{server} server, {client} client, {protocol}: {failures.Count} functions fail:\n" + string.Join("\n", failures));
        }
        finally
        {
            stopped = await (Task<bool>)serverType.GetMethod("StopAsync")!.Invoke(running, null)!;
        }

        Assert.True(stopped, "the server did not stop within 5 seconds");
    }
}
