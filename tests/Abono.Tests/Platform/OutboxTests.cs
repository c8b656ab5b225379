using Abono.Web.Platform.Outbox;

namespace Abono.Tests.Platform;

/// <summary>The outbox relay delivers over real SMTP, retries when the server is down, and never sends one message twice in parallel.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();
    private readonly AbonoFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.SmtpPort = _smtp.Port;
        return Task.CompletedTask;
    }

    private async Task<long> EnqueueAsync(string to, string subject)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var message = OutboxMessage.Email(null, new EmailMessage(to, subject, "Cuerpo con tildes: ñandú."), DateTime.UtcNow);
        db.Outbox.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    [Fact]
    public async Task A_queued_email_arrives_at_the_smtp_server_once_even_with_concurrent_relays()
    {
        await EnqueueAsync("cliente@ejemplo.cl", "Comprobante de pago");
        var relay = _factory.Services.GetRequiredService<OutboxRelay>();

        var sent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => relay.RunOnceAsync())));

        Assert.Equal(1, sent.Sum());
        var mail = await _smtp.WaitForAsync(m => m.Subject == "Comprobante de pago");
        Assert.Equal("cliente@ejemplo.cl", mail.To.Mailboxes.Single().Address);
        Assert.Contains("ñandú", mail.TextBody);
        Assert.Single(_smtp.Messages);
        await using var scope = _factory.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>().Outbox.SingleAsync();
        Assert.NotNull(row.SentAt);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task When_the_smtp_server_is_down_the_message_waits_and_is_retried()
    {
        await using var down = new AbonoFactory { SmtpPort = FreePort() };
        await using (var scope = down.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            db.Outbox.Add(OutboxMessage.Email(null, new EmailMessage("x@y.cl", "Reintento", "..."), DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        Assert.Equal(0, await down.Services.GetRequiredService<OutboxRelay>().RunOnceAsync());

        await using var check = down.Services.CreateAsyncScope();
        var row = await check.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>().Outbox.SingleAsync();
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.LastError);
        Assert.True(row.NextAttemptAt > DateTime.UtcNow);
        Assert.Null(row.LeaseOwner);

        // The server comes back: the waiting message is delivered, once.
        await using var smtp = new SmtpTestServerOn(down.SmtpPort);
        await check.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>().Outbox
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddSeconds(-1)));
        var relay = down.Services.GetRequiredService<OutboxRelay>();
        Assert.Equal(1, await relay.RunOnceAsync());
        Assert.Equal(0, await relay.RunOnceAsync());
        Assert.Single(smtp.Server.Messages);
    }

    /// <summary>An SMTP listener on a given port, for "the server is back".</summary>
    private sealed class SmtpTestServerOn(int port) : IAsyncDisposable
    {
        public SmtpTestServer Server { get; } = new(port);

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
    }
}
