using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Abono.Tests.Documents.Dte;

/// <summary>
/// A local HTTP endpoint that records every connection, to prove a parser fetched nothing: tests point external
/// entities and schema locations at it and assert <see cref="Connections"/> stays zero. It answers at once, so a
/// regression shows as a failed assertion rather than a hang. Loopback only.
/// </summary>
internal sealed class LoopbackTrap : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public LoopbackTrap()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/secret.xml";

    /// <summary>Connections accepted so far, plus any still waiting in the backlog.</summary>
    public int Connections => Volatile.Read(ref _connections) + (_listener.Pending() ? 1 : 0);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var answer = Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nFUGA-DE-DATOS");
                await client.GetStream().WriteAsync(answer, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
