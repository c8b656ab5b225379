using System.Diagnostics;
using System.Text;
using Abono.Web.Data;
using Abono.Web.Features.Import;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Bench;

/// <summary>Times the CSV importer on 10,000 customers and 100,000 documents for a fresh company.</summary>
public static class ImportBench
{
    public static async Task RunAsync(BenchDatabase database, int documents)
    {
        var companyId = Guid.CreateVersion7();
        await using (var db = database.Open(Guid.Empty))
        {
            await db.Database.MigrateAsync();
            db.Companies.Add(new Abono.Web.Features.Companies.Company
            {
                Id = companyId, Rut = $"{78_000_001}-{Rut.ComputeCheckDigit(78_000_001)}", LegalName = "Empresa Importadora SpA",
                BusinessActivity = "Comercio", Email = "import@empresa.cl", CreatedAt = DateTime.UtcNow,
            });
            foreach (var type in Abono.Web.Features.Documents.DocumentTypes.All)
            {
                db.FolioCounters.Add(new Abono.Web.Features.Documents.FolioCounter { CompanyId = companyId, DocumentType = type });
            }
            await db.SaveChangesAsync();
        }
        const int customers = 10_000;
        var customerCsv = new StringBuilder("rut;nombre;email;telefono;direccion;dias_credito\n");
        for (var i = 1; i <= customers; i++)
        {
            var body = 20_000_000 + i;
            customerCsv.Append($"{body}-{Rut.ComputeCheckDigit(body)};Cliente {i};c{i}@x.cl;+56961234567;Calle {i};30\n");
        }
        var today = ChileFormats.Today(TimeProvider.System);
        var documentCsv = new StringBuilder("tipo;folio;rut_cliente;emision;vencimiento;neto;exento;iva;total;saldo\n");
        for (var i = 1; i <= documents; i++)
        {
            var body = 20_000_000 + i % customers + 1;
            var issue = today.AddDays(-(i % 700));
            documentCsv.Append($"33;{i};{body}-{Rut.ComputeCheckDigit(body)};{issue:dd-MM-yyyy};{issue.AddDays(30):dd-MM-yyyy};10000;0;1900;11900;{(i % 2 == 0 ? 11900 : 0)}\n");
        }

        foreach (var (kind, csv, rows) in new[] { (ImportKind.Customers, customerCsv, customers), (ImportKind.Documents, documentCsv, documents) })
        {
            await using var db = database.Open(companyId);
            var importer = new CsvImporter(db, TimeProvider.System);
            var watch = Stopwatch.StartNew();
            var result = await importer.ImportAsync(kind, Encoding.UTF8.GetBytes(csv.ToString()), ImportMode.AllOrNothing);
            watch.Stop();
            Console.WriteLine($"CSV import of {rows:N0} {kind.ToString().ToLowerInvariant()}: {result.Imported:N0} imported in {watch.Elapsed.TotalSeconds:F1} s " +
                $"({result.Imported / watch.Elapsed.TotalSeconds:N0} rows/s); errors: {result.Invalid}");
        }
        await using (var db = database.Open(companyId))
        {
            var watch = Stopwatch.StartNew();
            var again = await new CsvImporter(db, TimeProvider.System).ImportAsync(ImportKind.Documents, Encoding.UTF8.GetBytes(documentCsv.ToString()), ImportMode.AllOrNothing);
            Console.WriteLine($"Re-import of the same {documents:N0} documents: {again.Imported} imported, {again.AlreadyThere:N0} already there, in {watch.Elapsed.TotalSeconds:F1} s");
        }
    }
}
