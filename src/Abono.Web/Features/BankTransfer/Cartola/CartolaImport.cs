using System.Runtime.CompilerServices;
using System.Text;
using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer.Cartola;

/// <summary>
/// Records an uploaded cartola and its credits. Each credit is inserted only if its fingerprint is new for the
/// company (<c>INSERT … ON CONFLICT (CompanyId, Fingerprint) DO NOTHING</c>, the same statement on SQLite and
/// PostgreSQL): the same file uploaded twice, an overlapping period, or two uploads at once record each credit once,
/// and a credit already confirmed is never offered again.
/// </summary>
public sealed class CartolaImport(AbonoDbContext db, TenantContext tenant, TimeProvider clock)
{
    private const int Batch = 100;

    public async Task<BankStatement> RecordAsync(string fileName, string layout, string? user, IReadOnlyList<ParsedCredit> credits, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var name = Path.GetFileName(fileName);
        var statement = new BankStatement
        {
            FileName = name.Length > 200 ? name[..200] : name, Layout = layout, UploadedAt = now, UploadedBy = user, CreditCount = credits.Count,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.BankStatements.Add(statement);
        await db.SaveChangesAsync(ct);
        var inserted = 0;
        foreach (var chunk in credits.Chunk(Batch))
        {
            inserted += await InsertAsync(statement.Id, chunk, ct);
        }
        statement.NewCreditCount = inserted;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return statement;
    }

    /// <summary>One multi-row INSERT per batch, every value a parameter.</summary>
    private Task<int> InsertAsync(long statementId, ParsedCredit[] chunk, CancellationToken ct)
    {
        var sql = new StringBuilder("""
            INSERT INTO "BankStatementLines" ("CompanyId", "StatementId", "Fingerprint", "Date", "Amount", "Description", "SenderRut", "SenderName", "Reference", "Status")
            VALUES
            """);
        var args = new List<object?>();
        for (var i = 0; i < chunk.Length; i++)
        {
            var c = chunk[i];
            var at = args.Count;
            sql.Append(i == 0 ? "\n" : ",\n").Append('(');
            sql.AppendJoin(", ", Enumerable.Range(at, 10).Select(n => $"{{{n}}}"));
            sql.Append(')');
            args.AddRange([tenant.CompanyId, statementId, c.Fingerprint, c.Date, c.Amount, c.Description, c.SenderRut, c.SenderName, c.Reference,
                (int)StatementLineStatus.Unmatched]);
        }
        sql.Append("\nON CONFLICT (\"CompanyId\", \"Fingerprint\") DO NOTHING");
        return db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(sql.ToString(), args.ToArray()), ct);
    }
}
