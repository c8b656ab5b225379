using System.Diagnostics;
using System.IO.Compression;
using Abono.Tests.Documents.Dte;
using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Documents.Import;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

// Generates N signed DTE files (facturas, exentas, notas de crédito referencing the factura before them; ISO-8859-1,
// half without namespace, one in ten an EnvioDTE of three; 500 customers) into a zip, then imports the zip through
// DteImporter into a fresh database (schema + signature checks on, as in production): files/s and peak memory. Then
// imports the same zip again (everything "ya importado").
//   dotnet DteImport.dll FILES sqlite|postgres CONNECTION
var files = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var provider = args.Length > 1 ? args[1] : "sqlite";
var connection = args.Length > 2 ? args[2] : "Data Source=/tmp/abono-dte-import.db";
var companyRut = $"{78_000_001}-{Rut.ComputeCheckDigit(78_000_001)}";

var generation = Stopwatch.StartNew();
using var signer = new DteTestSigner("Firma Benchmark", 2048);
var zipBytes = BuildZip(files, signer, companyRut, out var documentCount);
Console.WriteLine($"Generated {files:N0} files ({documentCount:N0} DTEs), zip {zipBytes.Length / 1024.0 / 1024.0:0.0} MiB, in {generation.Elapsed.TotalSeconds:0.0} s");

var companyId = Guid.CreateVersion7();
await using (var db = Open(Guid.Empty))
{
    await db.Database.MigrateAsync();
    if (provider != "postgres")
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;"); // as the app runs SQLite (MigrateAbonoDatabaseAsync)
    }
    db.Companies.Add(new Abono.Web.Features.Companies.Company
    {
        Id = companyId, Rut = companyRut, LegalName = "Empresa Importadora SpA", BusinessActivity = "Comercio", Email = "import@empresa.cl", CreatedAt = DateTime.UtcNow,
    });
    foreach (var type in DocumentTypes.All)
    {
        db.FolioCounters.Add(new FolioCounter { CompanyId = companyId, DocumentType = type });
    }
    await db.SaveChangesAsync();
}

GC.Collect();
var baseline = GC.GetTotalMemory(forceFullCollection: true);
await Measure("first import", expectImported: true);
await Measure("same zip again", expectImported: false);
Console.WriteLine($"Process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB (includes the {zipBytes.Length / 1024.0 / 1024.0:0.0} MiB zip and the generator); managed heap baseline {baseline / 1024.0 / 1024.0:0} MiB");

async Task Measure(string label, bool expectImported)
{
    await using var db = Open(companyId);
    var clock = TimeProvider.System;
    var importer = new DteImporter(db, clock, new DteReferenceApplier(db, clock), new AecImport(db, clock), NullLogger<DteImporter>.Instance);
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var report = await importer.ImportAsync([new DteImportFile("bench.zip", zipBytes)]);
    watch.Stop();
    var heap = GC.GetTotalMemory(false);
    Console.WriteLine($"{label,-16} {report.Files.Count:N0} files, {report.Documents.Count():N0} DTEs: {report.Imported:N0} imported, {report.AlreadyImported:N0} ya importados, " +
        $"{report.Conflicts} conflicts, {report.Refused} refused, {report.Documents.Count(d => d.Notes.Any(n => n.StartsWith("Aplicada", StringComparison.Ordinal))):N0} notas applied " +
        $"in {watch.Elapsed.TotalSeconds:0.00} s = {report.Files.Count / watch.Elapsed.TotalSeconds:N0} files/s; allocated {(GC.GetTotalAllocatedBytes(true) - allocated) / 1024.0 / 1024.0:N0} MiB, heap now {heap / 1024.0 / 1024.0:0} MiB");
    if (expectImported && report.Imported != documentCount)
    {
        Console.WriteLine("  first problems: " + string.Join(" | ", report.Documents.Where(d => d.Outcome != DteImportOutcome.Imported).Take(3).SelectMany(d => d.Errors.Prepend(d.Message))));
    }
    await using var check = Open(companyId);
    Console.WriteLine($"{"",-16} database: {await check.Documents.CountAsync():N0} documents, {await check.DocumentXmls.CountAsync():N0} XMLs, {await check.Customers.CountAsync():N0} customers, " +
        $"{await check.DocumentReferences.CountAsync(r => r.ReferencedDocumentId != null):N0} references applied");
}

AbonoDbContext Open(Guid company)
{
    var tenant = new TenantContext();
    if (company != Guid.Empty)
    {
        tenant.Set(company);
    }
    return provider == "postgres"
        ? PostgresAbonoDbContext.Create(new DbContextOptionsBuilder<PostgresAbonoDbContext>().UseNpgsql(connection).Options, tenant)
        : SqliteAbonoDbContext.Create(new DbContextOptionsBuilder<SqliteAbonoDbContext>().UseSqlite(connection, o => o.CommandTimeout(600)).Options, tenant);
}

static byte[] BuildZip(int files, DteTestSigner signer, string rut, out int documentCount)
{
    var stream = new MemoryStream();
    documentCount = 0;
    using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
    {
        for (var i = 0; i < files; i++)
        {
            var folio = 100_000 + i * 3;
            byte[] content;
            if (i % 10 == 9)
            {
                content = DteXmlBuilder.Envio([Document(folio, rut), Document(folio + 1, rut), Document(folio + 2, rut)], ns: i % 2 == 0, signer: signer, signEnvelope: true);
                documentCount += 3;
            }
            else
            {
                content = DteXmlBuilder.Dte(Document(folio, rut), ns: i % 2 == 0, signer: signer);
                documentCount++;
            }
            using var entry = archive.CreateEntry($"dte/{i:D5}.xml", CompressionLevel.Fastest).Open();
            entry.Write(content);
        }
    }
    return stream.ToArray();
}

static TestDte Document(long folio, string rut)
{
    var body = 20_000_000 + (int)(folio % 500);
    var receptor = new TestDte { RutEmisor = rut, Folio = folio, RutRecep = $"{body}-{Rut.ComputeCheckDigit(body)}", RznSocRecep = $"Cliente {folio % 500}" };
    return (folio % 7) switch
    {
        0 => receptor with { Tipo = 34, Lines = [new("Asesoría tributaria", 1, 350_000 + folio % 1000)] },
        1 => receptor with { Tipo = 61, FmaPago = null, References = [new("34", (folio - 1).ToString(), new DateOnly(2026, 10, 30), 3, "Descuento")] },
        _ => receptor with { Lines = [new("Harina tostada 25 kg", 1 + folio % 40, 18_500), new("Aceite maravilla 5 L", 3, 12_990), new("Despacho", 1, 5_000, Exempt: true)] },
    };
}
