using System.Data.Common;
using System.Diagnostics;
using Abono.Web.Features.Reports;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Abono.Bench;

/// <summary>
/// Times each report the way its page runs it (totals + first keyset page), a filtered search, and a full CSV
/// export through the real exporter into a counting stream; and, in the same run, a raw SQL query over the same
/// rows on the same connection string, so the ratio shows what the application layer costs.
/// </summary>
public static class Runner
{
    public static async Task RunAsync(BenchDatabase database, int iterations)
    {
        var today = ChileFormats.Today(TimeProvider.System);
        Console.WriteLine($"Provider: {database.Provider}; iterations: {iterations} (after 3 warm-ups); today: {today:yyyy-MM-dd}");
        long owedRows;
        await using (var db = database.Open(Generator.BigCompany))
        {
            owedRows = await db.Documents.CountAsync(d => d.Balance > 0);
            Console.WriteLine($"Company: {await db.Documents.CountAsync():N0} documents, {owedRows:N0} owed, {await db.Customers.CountAsync():N0} customers, {await db.Payments.CountAsync():N0} payments");
        }
        Console.WriteLine();
        Console.WriteLine($"{"measure",-52} {"p50 ms",9} {"p95 ms",9} {"raw p50",9} {"raw p95",9} {"ratio",7}");

        var all = new OwedDocumentsFilter();
        await Compare("Documentos adeudados: totals + first page", iterations, database,
            async db => { var r = new OwedDocumentsReport(db); await r.TotalsAsync(all, today, default); await r.PageAsync(all, today, null, default); },
            OwedRawSql(database, filtered: false), today);

        var filtered = new OwedDocumentsFilter { Cliente = "Cliente 0123", SoloVencidos = true };
        await Compare("Documentos adeudados: filtered (name + vencidos)", iterations, database,
            async db => { var r = new OwedDocumentsReport(db); await r.TotalsAsync(filtered, today, default); await r.PageAsync(filtered, today, null, default); },
            OwedRawSql(database, filtered: true), today);

        var payments = new PaymentsFilter();
        await Compare("Pagos: totals + first page", iterations, database,
            async db => { var r = new PaymentsReport(db); await r.TotalsAsync(payments, default); await r.PageAsync(payments, null, default); },
            PaymentsRawSql(database), today);

        Console.WriteLine();
        await ExportAsync(database, today, owedRows);
    }

    private static async Task Compare(string name, int iterations, BenchDatabase database, Func<Abono.Web.Data.AbonoDbContext, Task> report, string[] rawSql, DateOnly today)
    {
        var app = await Time(iterations, async () =>
        {
            await using var db = database.Open(Generator.BigCompany);
            await report(db);
        });
        var raw = await Time(iterations, async () =>
        {
            await using var db = database.Open(Generator.BigCompany);
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            foreach (var sql in rawSql)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                AddParameters(cmd, database, today);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }
        });
        Console.WriteLine($"{name,-52} {P(app, 50),9:F1} {P(app, 95),9:F1} {P(raw, 50),9:F1} {P(raw, 95),9:F1} {P(app, 95) / P(raw, 95),7:F2}");
    }

    private static async Task ExportAsync(BenchDatabase database, DateOnly today, long owedRows)
    {
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0;
        using var sampler = new Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(false)), null, 0, 10);
        var watch = Stopwatch.StartNew();
        var counter = new CountingStream();
        await using (var db = database.Open(Generator.BigCompany))
        {
            var http = new DefaultHttpContext();
            http.Response.Body = counter;
            var report = new OwedDocumentsReport(db);
            await ReportExport.WriteAsync(http, "csv", "bench", OwedDocumentsReport.ExportHeaders, report.ExportRows(new OwedDocumentsFilter(), today), default);
        }
        watch.Stop();
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        Console.WriteLine($"CSV export of every owed document: {owedRows:N0} rows, {counter.Length / 1024.0 / 1024.0:F1} MiB in {watch.Elapsed.TotalSeconds:F2} s " +
            $"= {owedRows / watch.Elapsed.TotalSeconds:N0} rows/s; managed heap peak {(peak - baseline) / 1024.0 / 1024.0:F1} MiB above baseline; " +
            $"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB");
    }

    private static async Task<List<double>> Time(int iterations, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            await action();
        }
        var samples = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        return samples;
    }

    private static double P(List<double> samples, int percentile)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static string Company(BenchDatabase database) =>
        database.IsPostgres ? $"'{Generator.BigCompany}'" : $"'{Generator.BigCompany.ToString().ToUpperInvariant()}'";

    private static void AddParameters(DbCommand cmd, BenchDatabase database, DateOnly today)
    {
        object Date(DateOnly d) => database.IsPostgres ? d : d.ToString("yyyy-MM-dd");
        foreach (var (name, value) in new (string, object)[] { ("@today", Date(today)), ("@d30", Date(today.AddDays(-30))), ("@d60", Date(today.AddDays(-60))), ("@d90", Date(today.AddDays(-90))) })
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
    }

    /// <summary>The same rows and sums written by hand.</summary>
    private static string[] OwedRawSql(BenchDatabase database, bool filtered)
    {
        var where = $"d.\"CompanyId\" = {Company(database)} AND d.\"Balance\" > 0" + (filtered
            ? $" AND d.\"DueDate\" < @today AND d.\"CustomerId\" IN (SELECT c.\"Id\" FROM \"Customers\" c WHERE c.\"CompanyId\" = {Company(database)} AND lower(c.\"Name\") LIKE '%cliente 0123%')"
            : "");
        return
        [
            $"SELECT COUNT(*), SUM(d.\"Balance\"), SUM(CASE WHEN d.\"DueDate\" < @today THEN d.\"Balance\" ELSE 0 END), " +
            $"SUM(CASE WHEN d.\"DueDate\" >= @today THEN d.\"Balance\" ELSE 0 END), SUM(CASE WHEN d.\"DueDate\" < @today AND d.\"DueDate\" >= @d30 THEN d.\"Balance\" ELSE 0 END), " +
            $"SUM(CASE WHEN d.\"DueDate\" < @d30 AND d.\"DueDate\" >= @d60 THEN d.\"Balance\" ELSE 0 END), SUM(CASE WHEN d.\"DueDate\" < @d60 AND d.\"DueDate\" >= @d90 THEN d.\"Balance\" ELSE 0 END), " +
            $"SUM(CASE WHEN d.\"DueDate\" < @d90 THEN d.\"Balance\" ELSE 0 END) FROM \"Documents\" d WHERE {where}",
            $"SELECT d.\"Id\", d.\"Type\", d.\"Folio\", d.\"CustomerId\", c.\"Name\", c.\"Rut\", d.\"IssueDate\", d.\"DueDate\", d.\"Total\", d.\"Balance\" " +
            $"FROM \"Documents\" d JOIN \"Customers\" c ON c.\"Id\" = d.\"CustomerId\" WHERE {where} ORDER BY d.\"DueDate\", d.\"Id\" LIMIT 51",
        ];
    }

    private static string[] PaymentsRawSql(BenchDatabase database) =>
    [
        $"SELECT COUNT(*), SUM(\"Amount\"), SUM(\"CreditAmount\") FROM \"Payments\" WHERE \"CompanyId\" = {Company(database)}",
        $"SELECT p.\"Id\", p.\"PaidAt\", p.\"CustomerId\", c.\"Name\", c.\"Rut\", p.\"Method\", p.\"Amount\", p.\"CreditAmount\", p.\"Status\", p.\"GatewayReference\", " +
        $"(SELECT COUNT(*) FROM \"PaymentAllocations\" a WHERE a.\"PaymentId\" = p.\"Id\") FROM \"Payments\" p JOIN \"Customers\" c ON c.\"Id\" = p.\"CustomerId\" " +
        $"WHERE p.\"CompanyId\" = {Company(database)} ORDER BY p.\"PaidAt\" DESC, p.\"Id\" DESC LIMIT 51",
    ];

    /// <summary>Counts bytes and throws them away: measures the exporter, not a disk.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        private long _length;

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
