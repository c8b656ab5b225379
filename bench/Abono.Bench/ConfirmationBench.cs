using System.Diagnostics;
using System.Text.Json;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Webhooks;
using Abono.Web.Gateways;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Abono.Bench;

/// <summary>
/// The confirmation path as the app runs it — PaymentConfirmation.ApplyAsync with a verified approval for pending
/// portal checkouts (guarded state move, payment and allocations, balance updates, receipts and webhooks into the
/// outbox, one transaction each) — against a raw baseline of the same writes in plain Npgsql, one transaction per
/// confirmation (<see cref="RawConfirmation"/>). Both at each concurrency, in alternating slices, repeated: the
/// ratio is the median of the repetitions, with its spread.
/// </summary>
public static class ConfirmationBench
{
    public static async Task RunAsync(WebApplication app, string rawConnection, int[] levels, int perLevel, int repeats, TimeSpan warmup)
    {
        var confirmation = app.Services.GetRequiredService<PaymentConfirmation>();
        await using var dataSource = NpgsqlDataSource.Create(rawConnection);
        Func<Checkout, CancellationToken, Task<bool>> ours = async (c, ct) =>
            await confirmation.ApplyAsync(c.Id, new GatewayStatus(GatewayOutcome.Approved, c.Amount, "CLP", "bench-" + c.Id), ct) == ConfirmationResult.Applied;

        // Warm both up (JIT) and learn the outbox rows ours writes, so raw writes rows of the same size.
        var calibration = await CreateCheckoutsAsync(app, 16);
        var start = await LastOutboxIdAsync(dataSource);
        foreach (var c in calibration.Take(7))
        {
            await ours(c, default);
        }
        var beforeLast = await LastOutboxIdAsync(dataSource);
        await ours(calibration[7], default);
        var oursOutbox = await OutboxSinceAsync(dataSource, start);
        var raw = new RawConfirmation(dataSource, await EmailTemplatesAsync(dataSource, beforeLast, calibration[7]));
        Func<Checkout, CancellationToken, Task<bool>> rawApply = (c, ct) => raw.ApplyAsync(c.Id, c.Amount, "bench-" + c.Id, ct);
        start = await LastOutboxIdAsync(dataSource);
        foreach (var c in calibration.Skip(8))
        {
            await rawApply(c, default);
        }
        var rawOutbox = await OutboxSinceAsync(dataSource, start);
        await CheckAppliedAsync(dataSource, calibration);
        Console.WriteLine($"Confirmation path: outbox per confirmation, ours {oursOutbox.Rows / 8.0:0.#} rows of {oursOutbox.Bytes / 8.0 / 1024:N1} KB in all; " +
            $"raw {rawOutbox.Rows / 8.0:0.#} rows of {rawOutbox.Bytes / 8.0 / 1024:N1} KB (ours' rows with any attachment's content left out: issue #19 renders the receipt PDF when the email is sent)");

        Console.WriteLine($"Warming up the confirmation path: {warmup.TotalSeconds:F0} s, ours and raw alternating at concurrency 4…");
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < warmup;)
        {
            var batch = await CreateCheckoutsAsync(app, 80);
            await RunSliceAsync(batch.Take(40).ToList(), ours, 4, new Side());
            await RunSliceAsync(batch.Skip(40).ToList(), rawApply, 4, new Side());
        }

        var perRepeat = Math.Max(1, perLevel / repeats);
        Console.WriteLine();
        Console.WriteLine($"Confirmation path (confirm + allocate + receipts into the outbox), {repeats} repetitions of {perRepeat:N0} confirmations per side and level, " +
            "ours and raw in alternating slices (confirmations/s: median of the repetitions; ratio: median (min–max)):");
        Console.WriteLine($"{"concurrency",12} {"ours conf/s",12} {"p50 ms",8} {"p99 ms",8} {"raw conf/s",11} {"p50 ms",8} {"p99 ms",8} {"ratio",6} {"spread",11}");
        var summary = new List<string>();
        foreach (var level in levels)
        {
            var reps = new List<(Side Ours, Side Raw)>();
            for (var k = 0; k < repeats; k++)
            {
                var checkouts = await CreateCheckoutsAsync(app, perRepeat * 2);
                // Alternate the documents between the sides, so neither gets the older or the bigger ones.
                var mine = checkouts.Where((_, i) => i % 2 == 0).ToList();
                var theirs = checkouts.Where((_, i) => i % 2 == 1).ToList();
                var (o, r) = (new Side(), new Side());
                var slice = Math.Max(25, level * 4);
                for (var at = 0; at < perRepeat; at += slice)
                {
                    if (k % 2 == 0)
                    {
                        await RunSliceAsync(mine.Skip(at).Take(slice).ToList(), ours, level, o);
                        await RunSliceAsync(theirs.Skip(at).Take(slice).ToList(), rawApply, level, r);
                    }
                    else
                    {
                        await RunSliceAsync(theirs.Skip(at).Take(slice).ToList(), rawApply, level, r);
                        await RunSliceAsync(mine.Skip(at).Take(slice).ToList(), ours, level, o);
                    }
                }
                await CheckAppliedAsync(dataSource, checkouts);
                reps.Add((o, r));
            }
            var mo = Side.Merge(reps.Select(x => x.Ours));
            var mr = Side.Merge(reps.Select(x => x.Raw));
            var ratios = reps.Select(x => x.Ours.Rate / x.Raw.Rate).ToList();
            Console.WriteLine($"{level,12} {LoadBench.Median(reps.Select(x => x.Ours.Rate)),12:F0} {mo.P(0.5),8:F1} {mo.P(0.99),8:F1} {LoadBench.Median(reps.Select(x => x.Raw.Rate)),11:F0} " +
                $"{mr.P(0.5),8:F1} {mr.P(0.99),8:F1} {LoadBench.Median(ratios),6:F2} {LoadBench.Spread(ratios),11}");
            summary.Add($"{level}: {LoadBench.Median(ratios):F2} ({LoadBench.Spread(ratios)})");
        }
        Console.WriteLine($"Confirmation ours ÷ raw by concurrency: {string.Join("; ", summary)} (target ≥ 0.5 at 4 and 16)");
    }

    private sealed class Side
    {
        public List<double> Latencies { get; } = [];
        public TimeSpan Elapsed { get; set; }
        public double Rate => Latencies.Count / Elapsed.TotalSeconds;

        public double P(double q)
        {
            var sorted = Latencies.Order().ToList();
            return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        }

        public static Side Merge(IEnumerable<Side> sides)
        {
            var all = new Side();
            foreach (var s in sides)
            {
                all.Latencies.AddRange(s.Latencies);
                all.Elapsed += s.Elapsed;
            }
            return all;
        }
    }

    /// <summary>Confirms these checkouts at <paramref name="concurrency"/>; only this slice's time counts for its side.</summary>
    private static async Task RunSliceAsync(List<Checkout> checkouts, Func<Checkout, CancellationToken, Task<bool>> apply, int concurrency, Side into)
    {
        if (checkouts.Count == 0)
        {
            return;
        }
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(checkouts, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (c, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            if (!await apply(c, ct))
            {
                Interlocked.Increment(ref failed);
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        into.Elapsed += clock.Elapsed;
        into.Latencies.AddRange(latencies);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {checkouts.Count} confirmations were not applied.");
        }
    }

    /// <summary>Both sides did the whole job: each checkout succeeded, its payment is allocated in full and its documents are paid.</summary>
    private static async Task CheckAppliedAsync(NpgsqlDataSource dataSource, List<Checkout> checkouts)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE c."State" <> @succeeded),
                   count(*) FILTER (WHERE p."Id" IS NULL OR p."CreditAmount" <> 0
                       OR (SELECT coalesce(sum(a."Amount"), 0) FROM "PaymentAllocations" a WHERE a."PaymentId" = p."Id") <> c."Amount"),
                   (SELECT count(*) FROM "CheckoutDocuments" l JOIN "Documents" d ON d."Id" = l."DocumentId" WHERE l."CheckoutId" = ANY(@ids) AND d."Balance" <> 0)
            FROM "Checkouts" c LEFT JOIN "Payments" p ON p."CheckoutId" = c."Id"
            WHERE c."Id" = ANY(@ids)
            """);
        cmd.Parameters.AddWithValue("succeeded", (int)CheckoutState.Succeeded);
        cmd.Parameters.AddWithValue("ids", checkouts.Select(c => c.Id).ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        if (r.GetInt64(0) + r.GetInt64(1) + r.GetInt64(2) > 0)
        {
            throw new InvalidOperationException($"Confirmations incomplete: {r.GetInt64(0)} checkouts not succeeded, {r.GetInt64(1)} payments not allocated in full, {r.GetInt64(2)} documents still owed.");
        }
    }

    private static async Task<long> LastOutboxIdAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand("""SELECT coalesce(max("Id"), 0) FROM "OutboxMessages" """);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<(long Rows, long Bytes)> OutboxSinceAsync(NpgsqlDataSource dataSource, long after)
    {
        await using var cmd = dataSource.CreateCommand("""SELECT count(*), coalesce(sum(octet_length("Payload")), 0) FROM "OutboxMessages" WHERE "Id" > @after""");
        cmd.Parameters.AddWithValue("after", after);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>
    /// The outbox rows ours queued for one confirmation but its webhooks (the receipt emails, the Emisor's copy and the
    /// customer's, their attachments' content left out): raw queues these for every confirmation, with its own addressees and
    /// payment reference (and its webhook rows per active endpoint, as ours).
    /// </summary>
    private static async Task<RawConfirmation.Templates> EmailTemplatesAsync(NpgsqlDataSource dataSource, long after, Checkout checkout)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT o."Kind", o."Payload", (SELECT p."Id" FROM "Payments" p WHERE p."CheckoutId" = @checkout),
                   (SELECT pc."IssuerEmail" FROM "PortalConfigurations" pc WHERE pc."CompanyId" = o."CompanyId")
            FROM "OutboxMessages" o
            WHERE o."Id" > @after AND o."Kind" <> @webhook
            ORDER BY o."Id"
            """);
        cmd.Parameters.AddWithValue("checkout", checkout.Id);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("webhook", Webhooks.OutboxKind);
        var rows = new List<RawConfirmation.Row>();
        var reference = "";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var kind = r.GetString(0);
            var payload = r.GetString(1);
            reference = ReceiptData.FormatReference(r.GetInt64(2));
            var issuer = r.IsDBNull(3) ? null : r.GetString(3);
            var forIssuer = false;
            if (kind == OutboxMessage.EmailKind && System.Text.Json.Nodes.JsonNode.Parse(payload) is System.Text.Json.Nodes.JsonObject email)
            {
                // The PDF's content goes (issue #19 renders it when the email is sent); a reference to it stays, as ours now writes.
                foreach (var attachment in (email["Attachments"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
                {
                    attachment["Base64Content"] = "";
                }
                var to = email["To"]?.GetValue<string>();
                forIssuer = to is not null && string.Equals(to, issuer, StringComparison.OrdinalIgnoreCase);
                payload = email.ToJsonString();
                if (to is { Length: > 0 })
                {
                    payload = payload.Replace(JsonSerializer.Serialize(to), RawConfirmation.ToPlaceholder);
                }
            }
            rows.Add(new RawConfirmation.Row(kind, payload, kind == OutboxMessage.EmailKind ? forIssuer : null));
        }
        return new RawConfirmation.Templates(reference, rows);
    }

    /// <summary>Pending checkouts over distinct collectible owed documents, as the portal leaves them when the payer goes to the gateway.</summary>
    private static async Task<List<Checkout>> CreateCheckoutsAsync(WebApplication app, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(Generator.BigCompany);
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var method = await db.PaymentMethods.Where(m => m.Kind == GatewayKind.Sandbox).Select(m => m.Id).FirstAsync();
        var documents = await db.Documents.Where(d => d.Balance > 0 && d.CustomerId != null && d.CededToRut == null && d.Claim == null
                && !db.CheckoutDocuments.Any(l => l.DocumentId == d.Id))
            .OrderBy(d => d.Id).Take(count).Select(d => new { d.Id, d.CustomerId, d.Balance }).ToListAsync();
        if (documents.Count < count)
        {
            throw new InvalidOperationException($"Only {documents.Count} owed documents are left for {count} checkouts: generate more documents or lower --confirmations.");
        }
        var now = DateTime.UtcNow;
        var checkouts = documents.Select(d => new Checkout
        {
            CompanyId = Generator.BigCompany, Purpose = CheckoutPurpose.DocumentPayment, CustomerId = d.CustomerId, Amount = d.Balance,
            Gateway = GatewayKind.Sandbox, PaymentMethodId = method, State = CheckoutState.Pending, Description = "Bench",
            CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(30),
        }).ToList();
        db.Checkouts.AddRange(checkouts);
        db.CheckoutDocuments.AddRange(checkouts.Zip(documents, (c, d) => new CheckoutDocument { CheckoutId = c.Id, DocumentId = d.Id, Amount = d.Balance }));
        await db.SaveChangesAsync();
        return checkouts;
    }
}

/// <summary>
/// The raw baseline of the confirmation path: what PaymentConfirmation and DocumentPaymentEffect write for an approved
/// portal checkout, in plain Npgsql, one transaction per confirmation: read the checkout (its lines, the emails'
/// addressees, the webhook endpoints) in one query; then the approval's exactly-once row, the guarded UPDATE of the
/// checkout's state, the guarded balance UPDATEs and the lock DELETE in one batch; the payment and its allocations;
/// the outbox rows (ours' rows for a confirmation, the receipt PDF's content left out; webhook deliveries per active
/// endpoint); COMMIT.
/// </summary>
public sealed class RawConfirmation(NpgsqlDataSource dataSource, RawConfirmation.Templates templates)
{
    /// <param name="Reference">The payment reference (P-000123) in the templates, replaced by each payment's own.</param>
    public sealed record Templates(string Reference, List<Row> Rows);

    /// <param name="Payload">As ours wrote it; an email's addressee (a JSON string) replaced by <see cref="ToPlaceholder"/>.</param>
    /// <param name="ForIssuer">For an email: the Emisor's copy (else the customer's); null for other kinds.</param>
    public sealed record Row(string Kind, string Payload, bool? ForIssuer);

    public const string ToPlaceholder = "\"\u0001to\u0001\"";

    private static readonly int[] Sources = CheckoutStateMachine.SourcesOf(CheckoutState.Succeeded).Select(s => (int)s).ToArray();

    public async Task<bool> ApplyAsync(Guid checkoutId, long approvedAmount, string reference, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        Guid company;
        long customerId, amount;
        string currency;
        int gateway;
        long[] lineDocuments, lineAmounts, endpoints;
        string? issuerEmail, customerEmail;
        await using (var read = new NpgsqlCommand("""
            SELECT c."CompanyId", c."CustomerId", c."Amount", c."Currency", c."Gateway",
                   ARRAY(SELECT l."DocumentId" FROM "CheckoutDocuments" l WHERE l."CheckoutId" = c."Id" ORDER BY l."Id"),
                   ARRAY(SELECT l."Amount" FROM "CheckoutDocuments" l WHERE l."CheckoutId" = c."Id" ORDER BY l."Id"),
                   ARRAY(SELECT e."Id" FROM "WebhookEndpoints" e WHERE e."CompanyId" = c."CompanyId" AND e."IsActive"),
                   (SELECT p."IssuerEmail" FROM "PortalConfigurations" p WHERE p."CompanyId" = c."CompanyId"),
                   (SELECT u."Email" FROM "Customers" u WHERE u."Id" = c."CustomerId")
            FROM "Checkouts" c
            WHERE c."Id" = @id
            """, connection))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid) { TypedValue = checkoutId });
            await using var r = await read.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Checkout {checkoutId} does not exist.");
            }
            (company, customerId, amount, currency, gateway) = (r.GetGuid(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetInt32(4));
            (lineDocuments, lineAmounts, endpoints) = (r.GetFieldValue<long[]>(5), r.GetFieldValue<long[]>(6), r.GetFieldValue<long[]>(7));
            (issuerEmail, customerEmail) = (r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));
        }
        if (approvedAmount != amount || currency != "CLP")
        {
            return false;
        }
        var now = DateTime.UtcNow;
        await using var tx = await connection.BeginTransactionAsync(ct);

        // The exactly-once row, the guarded state move, the guarded balances (nothing off a ceded or claimed document), the locks.
        var paid = new Dictionary<long, long>();
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO "CheckoutApprovals" ("CompanyId", "CheckoutId", "ProviderReference", "Amount", "SettledCheckout", "RecordedAt", "AmountMismatch")
                VALUES (@company, @id, @reference, @amount, TRUE, @now, FALSE)
                ON CONFLICT ("CheckoutId", "ProviderReference") DO NOTHING
                """, ("company", company), ("id", checkoutId), ("reference", reference), ("amount", amount), ("now", now)));
            batch.BatchCommands.Add(Command("""
                UPDATE "Checkouts" SET "State" = @state, "UpdatedAt" = @now, "CompletedAt" = @now, "GatewayReference" = @reference, "NextCheckAt" = NULL
                WHERE "Id" = @id AND "State" = ANY(@sources)
                """, ("state", (int)CheckoutState.Succeeded), ("now", now), ("reference", reference), ("id", checkoutId), ("sources", Sources)));
            batch.BatchCommands.Add(Command("""
                UPDATE "Documents" AS d SET "Balance" = d."Balance" - l.amount
                FROM unnest(@documents, @amounts) AS l(id, amount)
                WHERE d."Id" = l.id AND d."CompanyId" = @company AND d."Balance" >= l.amount AND d."CededToRut" IS NULL AND d."Claim" IS NULL
                RETURNING d."Id", l.amount
                """, ("documents", lineDocuments), ("amounts", lineAmounts), ("company", company)));
            batch.BatchCommands.Add(Command("""DELETE FROM "DocumentPaymentLocks" WHERE "CheckoutId" = @id""", ("id", checkoutId)));
            await using var r = await batch.ExecuteReaderAsync(ct);
            do
            {
                while (await r.ReadAsync(ct))
                {
                    paid[r.GetInt64(0)] = r.GetInt64(1);
                }
            }
            while (await r.NextResultAsync(ct));
            await r.CloseAsync();
            if (batch.BatchCommands[0].RecordsAffected != 1 || batch.BatchCommands[1].RecordsAffected != 1)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
        }
        // A line whose document owes less than it pays: take what is left (DocumentPaymentEffect's second step; rare).
        for (var i = 0; i < lineDocuments.Length; i++)
        {
            if (!paid.ContainsKey(lineDocuments[i]))
            {
                await using var rest = new NpgsqlCommand("""
                    WITH old AS (SELECT "Id", "Balance" FROM "Documents" WHERE "Id" = @id AND "CompanyId" = @company FOR UPDATE)
                    UPDATE "Documents" AS d SET "Balance" = d."Balance" - LEAST(old."Balance", @amount)
                    FROM old WHERE d."Id" = old."Id" AND old."Balance" > 0 AND d."CededToRut" IS NULL AND d."Claim" IS NULL
                    RETURNING LEAST(old."Balance", @amount)
                    """, connection, tx);
                rest.Parameters.AddWithValue("id", lineDocuments[i]);
                rest.Parameters.AddWithValue("company", company);
                rest.Parameters.AddWithValue("amount", lineAmounts[i]);
                if (await rest.ExecuteScalarAsync(ct) is long part)
                {
                    paid[lineDocuments[i]] = part;
                }
            }
        }

        // The payment and its allocations.
        var allocated = lineDocuments.Where(paid.ContainsKey).ToArray();
        var credit = amount - allocated.Sum(d => paid[d]);
        long paymentId;
        await using (var insert = new NpgsqlCommand("""
            WITH p AS (
                INSERT INTO "Payments" ("CompanyId", "CustomerId", "CheckoutId", "PaidAt", "Method", "GatewayReference", "Amount", "CreditAmount", "RefundPending", "RefundedAmount", "Status", "IsTest")
                VALUES (@company, @customer, @id, @now, @method, @reference, @amount, @credit, @credit > 0, 0, @status, @test)
                RETURNING "Id"),
            a AS (
                INSERT INTO "PaymentAllocations" ("CompanyId", "PaymentId", "DocumentId", "Amount")
                SELECT @company, p."Id", l.id, l.amount FROM p, unnest(@documents, @amounts) AS l(id, amount))
            SELECT "Id" FROM p
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("company", company);
            insert.Parameters.AddWithValue("customer", customerId);
            insert.Parameters.AddWithValue("id", checkoutId);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("method", gateway);
            insert.Parameters.AddWithValue("reference", reference);
            insert.Parameters.AddWithValue("amount", amount);
            insert.Parameters.AddWithValue("credit", credit);
            insert.Parameters.AddWithValue("status", (int)PaymentStatus.Confirmed);
            insert.Parameters.AddWithValue("test", gateway == (int)GatewayKind.Sandbox);
            insert.Parameters.AddWithValue("documents", allocated);
            insert.Parameters.AddWithValue("amounts", allocated.Select(d => paid[d]).ToArray());
            paymentId = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        // The outbox: the receipt to the Emisor and to the customer; a webhook delivery per endpoint and event.
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            var paymentReference = ReceiptData.FormatReference(paymentId);
            var (kinds, payloads) = (new List<string>(), new List<string>());
            var sentTo = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in templates.Rows)
            {
                var to = row.ForIssuer is { } forIssuer ? (forIssuer ? issuerEmail : customerEmail) : null;
                if (row.ForIssuer is null || (!string.IsNullOrWhiteSpace(to) && sentTo.Add(to)))
                {
                    kinds.Add(row.Kind);
                    payloads.Add((to is null ? row.Payload : row.Payload.Replace(ToPlaceholder, JsonSerializer.Serialize(to))).Replace(templates.Reference, paymentReference));
                }
            }
            batch.BatchCommands.Add(Command("""
                INSERT INTO "OutboxMessages" ("CompanyId", "Kind", "Payload", "CreatedAt", "NextAttemptAt", "Attempts")
                SELECT @company, o.kind, o.payload, @now, @now, 0 FROM unnest(@kinds, @payloads) AS o(kind, payload)
                """, ("company", company), ("kinds", kinds.ToArray()), ("payloads", payloads.ToArray()), ("now", now)));
            if (endpoints.Length > 0)
            {
                var events = new List<(string Type, object Data)>
                {
                    (WebhookEvents.PaymentSucceeded, new
                    {
                        paymentId, customerId, amount, currency = "CLP", creditAmount = credit, test = gateway == (int)GatewayKind.Sandbox,
                        method = ((GatewayKind)gateway).ToString(), gatewayReference = reference,
                        allocations = allocated.Select(d => new { documentId = d, amount = paid[d] }),
                    }),
                };
                events.AddRange(allocated.Select(d => (WebhookEvents.DocumentPaid, (object)new { documentId = d, paymentId })));
                foreach (var (type, data) in events)
                {
                    var eventId = Guid.CreateVersion7();
                    batch.BatchCommands.Add(Command("""
                        WITH d AS (
                            INSERT INTO "WebhookDeliveries" ("CompanyId", "EndpointId", "EventId", "EventType", "Payload", "CreatedAt", "Attempts")
                            SELECT @company, e, @event, @type, @payload, @now, 0 FROM unnest(@endpoints) AS e
                            RETURNING "Id")
                        INSERT INTO "OutboxMessages" ("CompanyId", "Kind", "Payload", "CreatedAt", "NextAttemptAt", "Attempts")
                        SELECT @company, @kind, d."Id"::text, @now, @now, 0 FROM d
                        """, ("company", company), ("endpoints", endpoints), ("event", eventId), ("type", type),
                        ("payload", JsonSerializer.Serialize(new { id = eventId, type, created = now, data }, JsonSerializerOptions.Web)), ("now", now),
                        ("kind", Webhooks.OutboxKind)));
                }
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
