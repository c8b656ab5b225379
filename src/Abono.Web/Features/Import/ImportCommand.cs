using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Abono.Web.Features.Import;

/// <summary>dotnet run --project src/Abono.Web -- import customers|documents FILE --company RUT [--skip-invalid]; import dte FILE-OR-FOLDER --company RUT</summary>
public static class ImportCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "import";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args.ElementAtOrDefault(1) == "dte")
        {
            return await DteImportCommand.RunAsync(app, args);
        }
        var kind = args.ElementAtOrDefault(1) switch { "customers" => ImportKind.Customers, "documents" => ImportKind.Documents, _ => (ImportKind?)null };
        var file = args.ElementAtOrDefault(2);
        var rutIndex = Array.IndexOf(args, "--company");
        var rutText = rutIndex > 0 ? args.ElementAtOrDefault(rutIndex + 1) : null;
        if (kind is null || file is null || rutText is null || !Rut.TryParse(rutText, out var rut))
        {
            AnsiConsole.MarkupLine("[red]Uso:[/] import customers|documents ARCHIVO --company RUT [[--skip-invalid]] | import dte ARCHIVO-O-CARPETA --company RUT");
            return 2;
        }
        if (!File.Exists(file))
        {
            AnsiConsole.MarkupLine($"[red]No existe el archivo[/] {Markup.Escape(file)}");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var normalized = rut.Normalized;
        var company = await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Rut == normalized);
        if (company is null)
        {
            AnsiConsole.MarkupLine($"[red]No existe una empresa con RUT[/] {rut.Formatted}");
            return 2;
        }
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(company.Id);
        var importer = scope.ServiceProvider.GetRequiredService<CsvImporter>();
        var mode = args.Contains("--skip-invalid") ? ImportMode.SkipInvalid : ImportMode.AllOrNothing;
        var content = await File.ReadAllBytesAsync(file);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ImportResult? result = null;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"Importando {(kind == ImportKind.Customers ? "clientes" : "documentos")} en {Markup.Escape(company.LegalName)}");
            var progress = new Progress<(int Done, int Total)>(p => { task.MaxValue = Math.Max(1, p.Total); task.Value = p.Done; });
            result = CsvPreflight.Refusal(content) ?? await importer.ImportAsync(kind.Value, content, mode, progress);
            task.Value = task.MaxValue;
        });
        var r = result!;
        AnsiConsole.MarkupLine($"{(r.Saved ? "[green]Importación terminada[/]" : "[red]No se importó nada[/]")} en {watch.Elapsed.TotalSeconds:F1} s: " +
            $"{r.Rows} filas, {r.Imported} importadas, {r.AlreadyThere} ya existían, {r.Invalid} con errores.");
        foreach (var error in r.Errors.Take(50))
        {
            AnsiConsole.MarkupLine($"  Línea {error.Line}: {Markup.Escape(error.Message)}");
        }
        return r.Saved ? 0 : 1;
    }
}
