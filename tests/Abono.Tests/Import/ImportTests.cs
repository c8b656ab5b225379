using System.Diagnostics;
using System.Net;
using System.Text;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Import;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Import;

/// <summary>CSV import of customers and documents: validation with line numbers, both modes, idempotent re-import, CLI.</summary>
public class ImportTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static string Rut(int body) => $"{body}-{Abono.Web.Platform.Chile.Rut.ComputeCheckDigit(body)}";

    private async Task<HttpResponseMessage> UploadAsync(Merchant merchant, string csv, string kind, string mode, Encoding? encoding = null)
    {
        var page = await merchant.Client.GetAsync("/importar");
        var token = page.Document.QuerySelector("main input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(kind), "Tipo" },
            { new StringContent(mode), "Modo" },
            { new ByteArrayContent((encoding ?? new UTF8Encoding(true)).GetPreamble().Concat((encoding ?? Encoding.UTF8).GetBytes(csv)).ToArray()), "Archivo", "datos.csv" },
        };
        return await merchant.Client.Http.PostAsync("/importar", form);
    }

    [Fact]
    public async Task Customers_upload_validates_each_line_and_reimporting_creates_no_duplicates()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var csv = "rut;nombre;email;telefono;direccion;dias_credito\n" +
                  $"{Rut(81_000_001)};Ferretería Uno;uno@f.cl;9 6123 4567;Calle 1;30\n" +
                  "12.345.678-9;Mal RUT;x@y.cl;;;\n" +
                  $"{Rut(81_000_002)};Librería Dos;no-es-correo;;;15\n" +
                  $"{Rut(81_000_001)};Repetido;;;;\n";

        var strict = await (await UploadAsync(merchant, csv, "Customers", "AllOrNothing")).Content.ReadAsStringAsync();
        Assert.Contains("No se importó nada", strict);
        Assert.Contains("Línea 3:", strict);
        Assert.Contains("dígito verificador", strict);
        Assert.Contains("Línea 4:", strict);
        Assert.Contains("Línea 5:", strict);
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal(0, await scope.Db.Customers.CountAsync());
        }

        var lenient = await (await UploadAsync(merchant, csv, "Customers", "SkipInvalid")).Content.ReadAsStringAsync();
        Assert.Contains("1 importadas", lenient);
        var again = await (await UploadAsync(merchant, csv, "Customers", "SkipInvalid")).Content.ReadAsStringAsync();
        Assert.Contains("0 importadas", again);
        Assert.Contains("2 ya existían", again);   // the first row and its repetition both exist now

        var latin1 = await (await UploadAsync(merchant, "rut;nombre;email;telefono;direccion;dias_credito\n" + Rut(81_000_003) + ";Peñalolén;;;;\n",
            "Customers", "SkipInvalid", Encoding.Latin1)).Content.ReadAsStringAsync();
        Assert.Contains("no está en UTF-8", latin1);
        var columns = await (await UploadAsync(merchant, "rut,name\n1-9,x\n", "Customers", "SkipInvalid")).Content.ReadAsStringAsync();
        Assert.Contains("Faltan columnas: nombre", columns);

        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(1, await check.Db.Customers.CountAsync());
    }

    [Fact]
    public async Task A_hundred_thousand_documents_with_bad_rows_in_both_modes()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customers = new StringBuilder("rut;nombre;email;telefono;direccion;dias_credito\n");
        for (var i = 1; i <= 1_000; i++)
        {
            customers.Append($"{Rut(82_000_000 + i)};Cliente {i};c{i}@x.cl;;;30\n");
        }
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            var customerResult = await scope.Get<CsvImporter>().ImportAsync(ImportKind.Customers, Encoding.UTF8.GetBytes(customers.ToString()), ImportMode.AllOrNothing);
            Assert.Equal(1_000, customerResult.Imported);
        }

        var today = ChileFormats.Today(TimeProvider.System);
        var documents = new StringBuilder("tipo;folio;rut_cliente;emision;vencimiento;neto;exento;iva;total;saldo\n");
        for (var i = 1; i <= 100_000; i++)
        {
            var issue = today.AddDays(-(i % 300));
            var line = i switch
            {
                50 => $"33;{i};{Rut(82_000_001)};{issue:dd-MM-yyyy};{issue.AddDays(30):dd-MM-yyyy};1000;0;190;1191;1191",   // does not add up
                5_000 => $"33;{i};99.999.999-0;{issue:dd-MM-yyyy};{issue.AddDays(30):dd-MM-yyyy};1000;0;190;1190;1190",       // unknown customer
                70_000 => $"33;{i - 1};{Rut(82_000_002)};{issue:dd-MM-yyyy};{issue.AddDays(30):dd-MM-yyyy};1000;0;190;1190;0", // duplicate folio
                _ => $"33;{i};{Rut(82_000_000 + i % 1_000 + 1)};{issue:dd-MM-yyyy};{issue.AddDays(30):dd-MM-yyyy};1000;0;190;1190;{(i % 3 == 0 ? 0 : 1190)}",
            };
            documents.Append(line).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(documents.ToString());

        await using var import = factory.ScopeFor(merchant.CompanyId);
        var importer = import.Get<CsvImporter>();
        var strict = await importer.ImportAsync(ImportKind.Documents, bytes, ImportMode.AllOrNothing);
        Assert.False(strict.Saved);
        Assert.Equal(3, strict.Invalid);
        Assert.Equal([51L, 5_001L, 70_001L], strict.Errors.Select(e => e.Line));
        Assert.Equal(0, await import.Db.Documents.CountAsync());

        var watch = Stopwatch.StartNew();
        var lenient = await importer.ImportAsync(ImportKind.Documents, bytes, ImportMode.SkipInvalid);
        watch.Stop();
        Assert.True(lenient.Saved);
        Assert.Equal(99_997, lenient.Imported);
        Assert.Equal(99_997, await import.Db.Documents.CountAsync());
        Assert.Equal(100_000, (await import.Db.FolioCounters.SingleAsync(f => f.DocumentType == DocumentType.Factura)).LastFolio);

        var again = await importer.ImportAsync(ImportKind.Documents, bytes, ImportMode.SkipInvalid);
        Assert.Equal(0, again.Imported);
        Assert.Equal(99_998, again.AlreadyThere);   // the repeated folio of line 70.001 exists now too
        Assert.Equal(2, again.Invalid);
        Assert.Equal(99_997, await import.Db.Documents.CountAsync());
    }

    [Fact]
    public async Task The_command_line_imports_into_the_company_named_by_its_rut()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        string companyRut;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            companyRut = await db.Companies.Where(c => c.Id == merchant.CompanyId).Select(c => c.Rut).SingleAsync();
        }
        var file = Path.Combine(Path.GetTempPath(), $"clientes-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"rut;nombre;email;telefono;direccion;dias_credito\n{Rut(83_000_001)};Cliente CLI;;;;\n");
        var web = Path.Combine(AppContext.BaseDirectory, "Abono.Web.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", web, "import", "customers", file, "--company", companyRut])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["Database__Provider"] = AbonoFactory.Provider, ["ConnectionStrings__Abono"] = factory.ConnectionString,
                ["Jobs__Enabled"] = "false", ["Demo__Seed"] = "false", ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        Assert.Contains("1 importadas", output);
        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal("Cliente CLI", (await check.Db.Customers.SingleAsync()).Name);
        File.Delete(file);
        _ = HttpStatusCode.OK;
    }
}
