using System.Globalization;
using System.Text.Unicode;
using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Import;

public enum ImportKind { Customers, Documents }

public enum ImportMode { AllOrNothing, SkipInvalid }

public sealed record ImportError(long Line, string Message);

public sealed record ImportResult(int Rows, int Imported, int AlreadyThere, int Invalid, IReadOnlyList<ImportError> Errors, bool Saved);

/// <summary>
/// Imports customers or documents (with their outstanding balance) from CSV: UTF-8, «;» or «,» separated, a header
/// row. Every row is validated with its line number; in all-or-nothing mode any error saves nothing; rows whose key
/// exists already (RUT; tipo + folio) are skipped, so importing the same file twice creates no duplicates.
/// </summary>
public sealed class CsvImporter(AbonoDbContext db, TimeProvider clock)
{
    public const int MaxErrorsReported = 500;
    public static readonly string[] CustomerColumns = ["rut", "nombre", "email", "telefono", "direccion", "dias_credito"];
    public static readonly string[] DocumentColumns = ["tipo", "folio", "rut_cliente", "emision", "vencimiento", "neto", "exento", "iva", "total", "saldo"];
    private static readonly string[] DateFormats = ["dd-MM-yyyy", "yyyy-MM-dd", "dd/MM/yyyy"];

    public async Task<ImportResult> ImportAsync(ImportKind kind, byte[] content, ImportMode mode, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var errors = new List<ImportError>();
        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
        {
            content = content[3..];
        }
        if (!Utf8.IsValid(content))
        {
            return Failed("El archivo no está en UTF-8. En Excel, guárdalo como «CSV UTF-8 (delimitado por comas)».");
        }
        var firstLine = System.Text.Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 2000)).Split('\n')[0];
        var separator = firstLine.Count(c => c == ';') >= firstLine.Count(c => c == ',') ? ';' : ',';
        var expected = kind == ImportKind.Customers ? CustomerColumns : DocumentColumns;
        var headers = firstLine.Trim().TrimEnd('\r').Split(separator).Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToList();
        var missing = expected.Where(c => !headers.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return Failed($"Faltan columnas: {string.Join(", ", missing)}. La primera fila debe traer: {string.Join(separator, expected)}.");
        }

        var rows = new List<(long Line, Dictionary<string, string> Values)>();
        using (var csv = CsvReader.Create(content, new CsvReaderOptions { Separator = separator, HasHeader = true, TrimWhitespace = true }))
        {
            long line = 1;
            while (await csv.ReadAsync(ct))
            {
                line++;
                var values = new Dictionary<string, string>();
                for (var i = 0; i < headers.Count && i < csv.FieldCount; i++)
                {
                    values[headers[i]] = csv.GetString(i);
                }
                if (values.Values.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (csv.FieldCount != headers.Count)
                {
                    errors.Add(new ImportError(line, $"La fila tiene {csv.FieldCount} columnas y el encabezado {headers.Count}."));
                    continue;
                }
                rows.Add((line, values));
            }
        }

        return kind == ImportKind.Customers
            ? await ImportCustomersAsync(rows, errors, mode, progress, ct)
            : await ImportDocumentsAsync(rows, errors, mode, progress, ct);

        static ImportResult Failed(string message) => new(0, 0, 0, 0, [new ImportError(1, message)], false);
    }

    private async Task<ImportResult> ImportCustomersAsync(List<(long Line, Dictionary<string, string> Values)> rows, List<ImportError> errors, ImportMode mode,
        IProgress<(int, int)>? progress, CancellationToken ct)
    {
        var existing = (await db.Customers.AsNoTracking().Select(c => c.Rut).ToListAsync(ct)).ToHashSet();
        var seen = new HashSet<string>();
        var valid = new List<Customer>();
        var already = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (line, v) in rows)
        {
            int? days = null;
            if (!string.IsNullOrWhiteSpace(v["dias_credito"]))
            {
                if (int.TryParse(v["dias_credito"], out var parsed)) { days = parsed; }
                else { errors.Add(new ImportError(line, "dias_credito debe ser un número entero.")); continue; }
            }
            var customer = new Customer { Rut = "", Name = "", CreatedAt = now };
            var fieldErrors = new CustomerInput
            {
                Rut = v["rut"], Name = v["nombre"], Email = v["email"], Phone = v["telefono"], Address = v["direccion"], CreditDays = days,
            }.ApplyTo(customer);
            if (fieldErrors.Any)
            {
                errors.Add(new ImportError(line, string.Join(" ", fieldErrors.All.SelectMany(e => e.Value))));
                continue;
            }
            if (existing.Contains(customer.Rut))
            {
                already++;
                continue;
            }
            if (!seen.Add(customer.Rut))
            {
                errors.Add(new ImportError(line, $"El RUT {Rut.Format(customer.Rut)} ya aparece antes en el archivo."));
                continue;
            }
            valid.Add(customer);
        }
        return await SaveAsync(rows.Count, valid, already, errors, mode, progress, ct);
    }

    private async Task<ImportResult> ImportDocumentsAsync(List<(long Line, Dictionary<string, string> Values)> rows, List<ImportError> errors, ImportMode mode,
        IProgress<(int, int)>? progress, CancellationToken ct)
    {
        var customers = await db.Customers.AsNoTracking().Select(c => new { c.Rut, c.Id }).ToDictionaryAsync(c => c.Rut, c => c.Id, ct);
        var existing = (await db.Documents.AsNoTracking().Select(d => new { d.Type, d.Folio }).ToListAsync(ct)).Select(d => (d.Type, d.Folio)).ToHashSet();
        var seen = new HashSet<(DocumentType, long)>();
        var valid = new List<Document>();
        var already = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChileFormats.Today(clock);
        foreach (var (line, v) in rows)
        {
            var problems = new List<string>();
            DocumentType type = default;
            var typeKnown = false;
            if (!int.TryParse(v["tipo"], out var code) || !DocumentTypes.IsDefined(code) || code == (int)DocumentType.NotaCredito)
            {
                problems.Add("tipo debe ser 33, 34, 39, 41 o 56.");
            }
            else
            {
                type = (DocumentType)code;
                typeKnown = true;
            }
            if (!long.TryParse(v["folio"], out var folio) || folio <= 0) { problems.Add("folio debe ser un entero mayor que cero."); }
            long customerId = 0;
            if (!Rut.TryParse(v["rut_cliente"], out var rut)) { problems.Add(Rut.Validate(v["rut_cliente"]) ?? "RUT inválido."); }
            else if (!customers.TryGetValue(rut.Normalized, out customerId)) { problems.Add($"No existe un cliente con RUT {rut.Formatted}; impórtalo primero."); }
            var issue = ParseDate(v["emision"]);
            var due = ParseDate(v["vencimiento"]);
            if (issue is null) { problems.Add("emision debe ser una fecha dd-MM-aaaa."); }
            if (due is null) { problems.Add("vencimiento debe ser una fecha dd-MM-aaaa."); }
            if (issue > today) { problems.Add("La emisión no puede ser futura."); }
            if (issue is not null && due < issue) { problems.Add("El vencimiento es anterior a la emisión."); }
            var amounts = new Dictionary<string, long>();
            foreach (var column in new[] { "neto", "exento", "iva", "total", "saldo" })
            {
                if (long.TryParse(v[column], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 1_000_000_000_000) { amounts[column] = amount; }
                else { problems.Add($"{column} debe ser un entero de pesos, sin puntos ni decimales."); }
            }
            if (amounts.Count == 5)
            {
                if (amounts["neto"] + amounts["exento"] + amounts["iva"] != amounts["total"]) { problems.Add("neto + exento + iva no suman el total."); }
                // A wrong IVA would be carried into every statement and payment as if the SII had it; refuse it here.
                if (typeKnown && !TaxCalculator.IsTaxOf(type, amounts["neto"], amounts["iva"]))
                {
                    problems.Add(type.IsExempt()
                        ? "iva debe ser 0 en un documento exento."
                        : $"iva debe ser el 19 % del neto: {TaxCalculator.RoundHalfUp(amounts["neto"] * TaxCalculator.VatPercent, 100)} para un neto de {amounts["neto"]}.");
                }
                if (amounts["total"] <= 0) { problems.Add("El total debe ser mayor que cero."); }
                if (amounts["saldo"] > amounts["total"]) { problems.Add("El saldo no puede superar el total."); }
            }
            if (problems.Count > 0)
            {
                errors.Add(new ImportError(line, string.Join(" ", problems)));
                continue;
            }
            if (existing.Contains((type, folio)))
            {
                already++;
                continue;
            }
            if (!seen.Add((type, folio)))
            {
                errors.Add(new ImportError(line, $"{type.ShortName()} N° {folio} ya aparece antes en el archivo."));
                continue;
            }
            valid.Add(new Document
            {
                Type = type, Folio = folio, CustomerId = customerId, IssueDate = issue!.Value, DueDate = due!.Value,
                Net = amounts["neto"], Exempt = amounts["exento"], Tax = amounts["iva"], Total = amounts["total"], Balance = amounts["saldo"],
                Origin = DocumentOrigin.Importacion, CreatedAt = now,
            });
        }
        var result = await SaveAsync(rows.Count, valid, already, errors, mode, progress, ct);
        if (result.Saved)
        {
            // Issuing in Abono continues after the highest imported folio of each type.
            foreach (var group in valid.GroupBy(d => d.Type))
            {
                var max = group.Max(d => d.Folio);
                await db.FolioCounters.Where(f => f.DocumentType == group.Key && f.LastFolio < max)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastFolio, max), ct);
            }
        }
        return result;
    }

    private async Task<ImportResult> SaveAsync<T>(int total, List<T> valid, int already, List<ImportError> errors, ImportMode mode,
        IProgress<(int, int)>? progress, CancellationToken ct) where T : class
    {
        var reported = errors.OrderBy(e => e.Line).Take(MaxErrorsReported).ToList();
        if (mode == ImportMode.AllOrNothing && errors.Count > 0)
        {
            return new ImportResult(total, 0, already, errors.Count, reported, false);
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        const int batch = 2_000;
        for (var i = 0; i < valid.Count; i += batch)
        {
            db.AddRange(valid.Skip(i).Take(batch));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            progress?.Report((Math.Min(i + batch, valid.Count), valid.Count));
        }
        await transaction.CommitAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return new ImportResult(total, valid.Count, already, errors.Count, reported, true);
    }

    private static DateOnly? ParseDate(string value) =>
        DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
