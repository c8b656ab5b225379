using System.Data.Common;
using System.Diagnostics;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Abono.Bench;

/// <summary>
/// Fills a database with one large company (default 1,000,000 documents, 100,000 customers, 100,000 portal payments)
/// and smaller companies around it. PostgreSQL uses binary COPY; SQLite one prepared INSERT per row in a transaction.
/// </summary>
public static class Generator
{
    public static readonly Guid BigCompany = Guid.Parse("0190f0a0-b1b1-7000-8000-00000000b1b1");

    public static async Task RunAsync(BenchDatabase database, int documents, int customers, int payments, int otherCompanies)
    {
        var watch = Stopwatch.StartNew();
        await using (var db = database.Open(Guid.Empty))
        {
            await db.Database.MigrateAsync();
            if (await db.Companies.AnyAsync(c => c.Id == BigCompany))
            {
                Console.WriteLine("The benchmark company already exists; nothing to generate.");
                return;
            }
        }
        await GenerateCompanyAsync(database, BigCompany, "Gran Empresa de Benchmark SpA", 77_000_000, documents, customers, payments);
        for (var i = 1; i <= otherCompanies; i++)
        {
            await GenerateCompanyAsync(database, Guid.CreateVersion7(), $"Empresa Vecina {i} SpA", 77_000_000 + i * 10, documents / 10, customers / 10, payments / 10);
        }
        await using (var db = database.Open(Guid.Empty))
        {
            await db.Database.ExecuteSqlRawAsync(database.IsPostgres ? "ANALYZE" : "ANALYZE");
        }
        Console.WriteLine($"Generated in {watch.Elapsed.TotalSeconds:F1} s.");
    }

    private static async Task GenerateCompanyAsync(BenchDatabase database, Guid companyId, string name, int rutBody, int documents, int customers, int payments)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(companyId.GetHashCode());
        var now = DateTime.UtcNow;
        var today = ChileFormats.Today(TimeProvider.System);
        await using var db = database.Open(Guid.Empty);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        await Exec(connection, database.IsPostgres
            ? "INSERT INTO \"Companies\" (\"Id\",\"Rut\",\"LegalName\",\"BusinessActivity\",\"Email\",\"CreatedAt\") VALUES (@p0,@p1,@p2,'Comercio',@p3,@p4)"
            : "INSERT INTO \"Companies\" (\"Id\",\"Rut\",\"LegalName\",\"BusinessActivity\",\"Email\",\"CreatedAt\") VALUES (@p0,@p1,@p2,'Comercio',@p3,@p4)",
            database.IsPostgres ? companyId : companyId.ToString().ToUpperInvariant(), $"{rutBody}-{Rut.ComputeCheckDigit(rutBody)}", name, "bench@empresa.cl", now);

        var customerRows = Enumerable.Range(1, customers).Select(i =>
        {
            var body = 10_000_000 + i * 7 + rutBody % 1000;
            return new object[] { $"{body}-{Rut.ComputeCheckDigit(body)}", $"Cliente {i:D6} {Surnames[i % Surnames.Length]} Ltda.", $"pagos{i}@cliente.cl", $"+5699{3_000_000 + i % 5_000_000:D7}", i % 4 * 15 };
        });
        if (database.IsPostgres)
        {
            var pg = (NpgsqlConnection)connection;
            await using (var copy = await pg.BeginBinaryImportAsync("COPY \"Customers\" (\"CompanyId\",\"Rut\",\"Name\",\"Email\",\"Phone\",\"CreditDays\",\"CreatedAt\",\"RemindersEnabled\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var c in customerRows)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(companyId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync((string)c[0]);
                    await copy.WriteAsync((string)c[1]);
                    await copy.WriteAsync((string)c[2]);
                    await copy.WriteAsync((string)c[3]);
                    await copy.WriteAsync((int)c[4]);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(true);
                }
                await copy.CompleteAsync();
            }
        }
        else
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var cmd = Command(connection, "INSERT INTO \"Customers\" (\"CompanyId\",\"Rut\",\"Name\",\"Email\",\"Phone\",\"CreditDays\",\"CreatedAt\",\"RemindersEnabled\") VALUES ($c,$r,$n,$e,$p,$d,$t,1)", tx);
            foreach (var c in customerRows)
            {
                Set(cmd, ("$c", companyId.ToString().ToUpperInvariant()), ("$r", c[0]), ("$n", c[1]), ("$e", c[2]), ("$p", c[3]), ("$d", c[4]), ("$t", now));
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        var firstCustomer = Convert.ToInt64(await Scalar(connection, "SELECT MIN(\"Id\") FROM \"Customers\" WHERE \"CompanyId\" = @p0", database.IsPostgres ? companyId : companyId.ToString().ToUpperInvariant()));

        // Documents: about 40 % on crédito; of those most still owed (some partly), spread over three years.
        var folios = new Dictionary<DocumentType, long>();
        IEnumerable<object[]> DocumentRows()
        {
            for (var i = 0; i < documents; i++)
            {
                var type = (i % 20) switch { < 12 => DocumentType.Factura, < 17 => DocumentType.Boleta, < 19 => DocumentType.FacturaExenta, _ => DocumentType.NotaDebito };
                folios[type] = folios.GetValueOrDefault(type) + 1;
                var net = 5_000L + random.Next(0, 2_000_000);
                var tax = type == DocumentType.FacturaExenta ? 0 : TaxCalculator.RoundHalfUp(net * 19, 100);
                var total = net + tax;
                var issue = today.AddDays(-random.Next(0, 3 * 365));
                var due = issue.AddDays(new[] { 0, 15, 30, 30, 45, 60 }[random.Next(6)]);
                var onCredit = random.Next(100) < 40;
                var balance = !onCredit ? 0 : random.Next(100) switch { < 55 => total, < 70 => total / 2, _ => 0 };
                var customer = firstCustomer + random.Next(customers);
                yield return [(int)type, folios[type], customer, issue, due, type == DocumentType.FacturaExenta ? 0 : net, type == DocumentType.FacturaExenta ? net : 0, tax, total, balance];
            }
        }
        if (database.IsPostgres)
        {
            var pg = (NpgsqlConnection)connection;
            await using var copy = await pg.BeginBinaryImportAsync("COPY \"Documents\" (\"CompanyId\",\"Type\",\"Folio\",\"CustomerId\",\"IssueDate\",\"DueDate\",\"Net\",\"Exempt\",\"Tax\",\"Total\",\"Balance\",\"Origin\",\"CreatedAt\") FROM STDIN (FORMAT BINARY)");
            foreach (var d in DocumentRows())
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(companyId, NpgsqlDbType.Uuid);
                await copy.WriteAsync((int)d[0]);
                await copy.WriteAsync((long)d[1]);
                await copy.WriteAsync((long)d[2]);
                await copy.WriteAsync((DateOnly)d[3], NpgsqlDbType.Date);
                await copy.WriteAsync((DateOnly)d[4], NpgsqlDbType.Date);
                for (var k = 5; k <= 9; k++)
                {
                    await copy.WriteAsync((long)d[k]);
                }
                await copy.WriteAsync(3);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        else
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var cmd = Command(connection, "INSERT INTO \"Documents\" (\"CompanyId\",\"Type\",\"Folio\",\"CustomerId\",\"IssueDate\",\"DueDate\",\"Net\",\"Exempt\",\"Tax\",\"Total\",\"Balance\",\"Origin\",\"CreatedAt\") VALUES ($c,$ty,$f,$cu,$i,$du,$n,$e,$tx,$to,$b,3,$t)", tx);
            foreach (var d in DocumentRows())
            {
                Set(cmd, ("$c", companyId.ToString().ToUpperInvariant()), ("$ty", d[0]), ("$f", d[1]), ("$cu", d[2]), ("$i", ((DateOnly)d[3]).ToString("yyyy-MM-dd")),
                    ("$du", ((DateOnly)d[4]).ToString("yyyy-MM-dd")), ("$n", d[5]), ("$e", d[6]), ("$tx", d[7]), ("$to", d[8]), ("$b", d[9]), ("$t", now));
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        foreach (var (type, last) in folios)
        {
            await Exec(connection, "INSERT INTO \"FolioCounters\" (\"CompanyId\",\"DocumentType\",\"LastFolio\") VALUES (@p0,@p1,@p2)",
                database.IsPostgres ? companyId : companyId.ToString().ToUpperInvariant(), (int)type, last);
        }

        // Portal payments (each with its checkout), spread over the last year.
        IEnumerable<object[]> PaymentRows()
        {
            for (var i = 0; i < payments; i++)
            {
                var paidAt = now.AddMinutes(-random.Next(0, 365 * 24 * 60));
                yield return [Guid.CreateVersion7(), firstCustomer + random.Next(customers), paidAt, 10_000L + random.Next(0, 500_000)];
            }
        }
        var paymentList = PaymentRows().ToList();
        if (database.IsPostgres)
        {
            var pg = (NpgsqlConnection)connection;
            await using (var copy = await pg.BeginBinaryImportAsync("COPY \"Checkouts\" (\"Id\",\"CompanyId\",\"Purpose\",\"CustomerId\",\"Amount\",\"Currency\",\"Gateway\",\"State\",\"Description\",\"CreatedAt\",\"UpdatedAt\",\"ExpiresAt\",\"CompletedAt\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in paymentList)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync((Guid)p[0], NpgsqlDbType.Uuid);
                    await copy.WriteAsync(companyId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(2);
                    await copy.WriteAsync((long)p[1]);
                    await copy.WriteAsync((long)p[3]);
                    await copy.WriteAsync("CLP");
                    await copy.WriteAsync(1);
                    await copy.WriteAsync(3);
                    await copy.WriteAsync("Pago portal");
                    for (var k = 0; k < 4; k++)
                    {
                        await copy.WriteAsync((DateTime)p[2], NpgsqlDbType.TimestampTz);
                    }
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await pg.BeginBinaryImportAsync("COPY \"Payments\" (\"CompanyId\",\"CustomerId\",\"CheckoutId\",\"PaidAt\",\"Method\",\"GatewayReference\",\"Amount\",\"CreditAmount\",\"RefundPending\",\"Status\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in paymentList)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(companyId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync((long)p[1]);
                    await copy.WriteAsync((Guid)p[0], NpgsqlDbType.Uuid);
                    await copy.WriteAsync((DateTime)p[2], NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(1);
                    await copy.WriteAsync(((Guid)p[0]).ToString("N")[..16]);
                    await copy.WriteAsync((long)p[3]);
                    await copy.WriteAsync(0L);
                    await copy.WriteAsync(false);
                    await copy.WriteAsync(1);
                }
                await copy.CompleteAsync();
            }
        }
        else
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var checkout = Command(connection, "INSERT INTO \"Checkouts\" (\"Id\",\"CompanyId\",\"Purpose\",\"CustomerId\",\"Amount\",\"Currency\",\"Gateway\",\"State\",\"Description\",\"CreatedAt\",\"UpdatedAt\",\"ExpiresAt\",\"CompletedAt\") VALUES ($id,$c,2,$cu,$a,'CLP',1,3,'Pago portal',$t,$t,$t,$t)", tx);
            await using var payment = Command(connection, "INSERT INTO \"Payments\" (\"CompanyId\",\"CustomerId\",\"CheckoutId\",\"PaidAt\",\"Method\",\"GatewayReference\",\"Amount\",\"CreditAmount\",\"RefundPending\",\"Status\") VALUES ($c,$cu,$id,$t,1,$ref,$a,0,0,1)", tx);
            foreach (var p in paymentList)
            {
                var id = ((Guid)p[0]).ToString().ToUpperInvariant();
                Set(checkout, ("$id", id), ("$c", companyId.ToString().ToUpperInvariant()), ("$cu", p[1]), ("$a", p[3]), ("$t", p[2]));
                await checkout.ExecuteNonQueryAsync();
                Set(payment, ("$id", id), ("$c", companyId.ToString().ToUpperInvariant()), ("$cu", p[1]), ("$a", p[3]), ("$t", p[2]), ("$ref", ((Guid)p[0]).ToString("N")[..16]));
                await payment.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        Console.WriteLine($"  {name}: {customers:N0} customers, {documents:N0} documents, {payments:N0} payments in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static readonly string[] Surnames = ["González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez", "Sepúlveda"];

    private static DbCommand Command(DbConnection connection, string sql, DbTransaction? tx = null)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.CommandTimeout = 600;
        return cmd;
    }

    private static void Set(DbCommand cmd, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (!cmd.Parameters.Contains(name))
            {
                var parameter = cmd.CreateParameter();
                parameter.ParameterName = name;
                cmd.Parameters.Add(parameter);
            }
            cmd.Parameters[name].Value = value;
        }
    }

    private static async Task Exec(DbConnection connection, string sql, params object[] values)
    {
        await using var cmd = Command(connection, sql);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i];
            cmd.Parameters.Add(parameter);
        }
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(DbConnection connection, string sql, params object[] values)
    {
        await using var cmd = Command(connection, sql);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i];
            cmd.Parameters.Add(parameter);
        }
        return await cmd.ExecuteScalarAsync();
    }
}
