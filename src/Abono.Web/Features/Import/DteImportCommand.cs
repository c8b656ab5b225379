using Abono.Web.Data;
using Abono.Web.Features.Documents.Import;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Abono.Web.Features.Import;

/// <summary>import dte FILE-OR-FOLDER-OR-ZIP --company RUT: DTE XML files (a folder is read recursively, .xml and .zip).</summary>
public static class DteImportCommand
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var path = args.ElementAtOrDefault(2);
        var rutIndex = Array.IndexOf(args, "--company");
        var rutText = rutIndex > 0 ? args.ElementAtOrDefault(rutIndex + 1) : null;
        if (path is null || rutText is null || !Rut.TryParse(rutText, out var rut))
        {
            AnsiConsole.MarkupLine("[red]Uso:[/] import dte ARCHIVO-O-CARPETA --company RUT");
            return 2;
        }
        string[] paths;
        if (Directory.Exists(path))
        {
            paths = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(p => p.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
        }
        else if (File.Exists(path))
        {
            paths = [path];
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]No existe el archivo o la carpeta[/] {Markup.Escape(path)}");
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
        var importer = scope.ServiceProvider.GetRequiredService<DteImporter>();
        var root = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? "";
        // One file in memory at a time (a .zip is opened entry by entry by the importer).
        var files = paths.Select(p => new DteImportFile(Path.GetRelativePath(root, p), File.ReadAllBytes(p)));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        DteImportReport? report = null;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"Importando XML en {Markup.Escape(company.LegalName)}");
            task.IsIndeterminate = paths.Any(p => p.EndsWith(".zip", StringComparison.OrdinalIgnoreCase));
            task.MaxValue = Math.Max(1, paths.Length);
            var progress = new Progress<DteImportProgress>(p =>
            {
                task.Description = $"Importando XML en {Markup.Escape(company.LegalName)}: {p.FilesDone:N0} archivos";
                if (!task.IsIndeterminate)
                {
                    task.Value = Math.Min(p.FilesDone, task.MaxValue);
                }
            });
            report = await importer.ImportAsync(files, new DteImportOptions { RecordedBy = "import", FilesTotal = paths.Length }, progress);
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
        });
        var r = report!;
        AnsiConsole.MarkupLine($"[green]Importación terminada[/] en {watch.Elapsed.TotalSeconds:F1} s: {Markup.Escape(r.Summary)}.");
        var shown = 0;
        foreach (var file in r.Files)
        {
            foreach (var message in file.Errors)
            {
                if (shown++ < 50) { AnsiConsole.MarkupLine($"  [red]{Markup.Escape(file.FileName)}[/]: {Markup.Escape(message)}"); }
            }
            foreach (var d in file.Documents.Where(d => d.Outcome is DteImportOutcome.Refused or DteImportOutcome.Conflict))
            {
                if (shown++ < 50) { AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(file.FileName)}[/]: {Markup.Escape(string.Join(" ", d.Errors.Prepend(d.Message)))}"); }
            }
        }
        foreach (var c in r.CustomersToComplete.Take(50))
        {
            AnsiConsole.MarkupLine($"  Cliente a completar: {Markup.Escape(c.Name)} ({c.RutFormatted}), falta {c.Missing}.");
        }
        return r.Imported + r.AlreadyImported > 0 || r.Files.Count == 0 ? 0 : 1;
    }
}
