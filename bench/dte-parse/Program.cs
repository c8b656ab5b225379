using System.Diagnostics;
using System.IO.Compression;
using Abono.Tests.Documents.Dte;
using Abono.Web.Features.Documents.Dte;

// Generates N signed DTE files (facturas, exentas, notas; ISO-8859-1, half without namespace, one in ten an EnvioDTE
// of three) into a zip, then reads the zip with DteZipReader + DteFileReader: schema validation and signature check
// on, then each off, to show what they cost. Figures: files/s on one thread, and peak memory.
var files = args.Length > 0 ? int.Parse(args[0]) : 10_000;

var generation = Stopwatch.StartNew();
using var signer = new DteTestSigner("Firma Benchmark", 2048);
var zipBytes = BuildZip(files, signer, out var documentCount);
Console.WriteLine($"Generated {files:N0} files ({documentCount:N0} DTEs), zip {zipBytes.Length / 1024.0 / 1024.0:0.0} MiB, in {generation.Elapsed.TotalSeconds:0.0} s");

// Warm-up: JIT, schema compilation (once per process), certificate parsing paths.
Read(BuildZip(200, signer, out _), DteReaderOptions.Default);

var baseline = GC.GetTotalMemory(forceFullCollection: true);
Measure("full (schema + signature)", DteReaderOptions.Default);
Measure("without signature check", DteReaderOptions.Default with { VerifySignatures = false });
Measure("without schema validation", DteReaderOptions.Default with { SchemaValidation = DteSchemaValidation.Off });
Measure("parse only (neither)", DteReaderOptions.Default with { VerifySignatures = false, SchemaValidation = DteSchemaValidation.Off });
Console.WriteLine($"Process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB (includes the {zipBytes.Length / 1024.0 / 1024.0:0.0} MiB zip and the generator); managed heap baseline {baseline / 1024.0 / 1024.0:0} MiB");

void Measure(string label, DteReaderOptions options)
{
    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var (read, documents, errors, valid) = Read(zipBytes, options);
    watch.Stop();
    var heap = GC.GetTotalMemory(false);
    Console.WriteLine($"{label,-28} {read:N0} files, {documents:N0} DTEs ({errors} with errors, {valid:N0} signatures valid) in {watch.Elapsed.TotalSeconds:0.00} s = " +
        $"{read / watch.Elapsed.TotalSeconds:N0} files/s; allocated {(GC.GetTotalAllocatedBytes(true) - allocated) / 1024.0 / 1024.0:N0} MiB, heap now {heap / 1024.0 / 1024.0:0} MiB");
}

static (int Files, int Documents, int Errors, int Valid) Read(byte[] zip, DteReaderOptions options)
{
    var reader = new DteFileReader(options);
    int read = 0, documents = 0, errors = 0, valid = 0;
    foreach (var entry in new DteZipReader().ReadEntries(new MemoryStream(zip)))
    {
        var result = reader.Read(entry.Content, entry.Name);
        read++;
        documents += result.Documents.Count;
        errors += result.Documents.Count(d => d.HasErrors) + (result.HasErrors ? 1 : 0);
        valid += result.Documents.Count(d => d.Signature.State == DteSignatureState.Valid);
    }
    return (read, documents, errors, valid);
}

static byte[] BuildZip(int files, DteTestSigner signer, out int documentCount)
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
                content = DteXmlBuilder.Envio([Document(folio), Document(folio + 1), Document(folio + 2)], ns: i % 2 == 0, signer: signer, signEnvelope: true);
                documentCount += 3;
            }
            else
            {
                content = DteXmlBuilder.Dte(Document(folio), ns: i % 2 == 0, signer: signer);
                documentCount++;
            }
            using var entry = archive.CreateEntry($"dte/{i:D5}.xml", CompressionLevel.Fastest).Open();
            entry.Write(content);
        }
    }
    return stream.ToArray();
}

static TestDte Document(long folio) => (folio % 7) switch
{
    0 => new TestDte { Tipo = 34, Folio = folio, Lines = [new("Asesoría tributaria", 1, 350_000 + folio % 1000)] },
    1 => new TestDte { Tipo = 61, Folio = folio, References = [new("33", (folio - 1).ToString(), new DateOnly(2026, 10, 30), 3, "Descuento")] },
    _ => new TestDte
    {
        Folio = folio,
        Lines = [new("Harina tostada 25 kg", 1 + folio % 40, 18_500), new("Aceite maravilla 5 L", 3, 12_990), new("Despacho", 1, 5_000, Exempt: true)],
    },
};
