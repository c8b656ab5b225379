using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reports;

/// <summary>Reportes → Pagos → Documentos adeudados: the help article's way to each customer's portal link.</summary>
public sealed class OwedDocumentsModel(OwedDocumentsReport report, TimeProvider clock) : PageModel
{
    public const int CustomerLimit = 200;

    [BindProperty(SupportsGet = true)] public string? Cliente { get; set; }
    [BindProperty(SupportsGet = true)] public int? Tipo { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? EmisionDesde { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? EmisionHasta { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? VenceDesde { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? VenceHasta { get; set; }
    [BindProperty(SupportsGet = true)] public bool SoloVencidos { get; set; }
    [BindProperty(SupportsGet = true)] public string? Situacion { get; set; }
    [BindProperty(SupportsGet = true)] public string? Buscar { get; set; }
    [BindProperty(SupportsGet = true)] public string? Vista { get; set; }
    [BindProperty(SupportsGet = true, Name = "despues")] public string? Despues { get; set; }

    public OwedDocumentsFilter Filter => new()
    {
        Cliente = Cliente, Tipo = Tipo, EmisionDesde = EmisionDesde, EmisionHasta = EmisionHasta,
        VenceDesde = VenceDesde, VenceHasta = VenceHasta, SoloVencidos = SoloVencidos, Situacion = Situacion,
    };

    public bool Searched => Buscar is not null;
    public DateOnly Today { get; private set; }
    public OwedTotals? Totals { get; private set; }
    public List<OwedRow> Rows { get; private set; } = [];
    public List<OwedCustomerRow> ByCustomer { get; private set; } = [];
    public OwedCursor? After { get; private set; }
    public OwedCursor? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = ChileFormats.Today(clock);
        if (!Searched)
        {
            return;
        }
        var errors = Filter.Validate();
        errors.CopyTo(ModelState);
        if (!ModelState.IsValid)
        {
            return;
        }
        var filter = Filter;
        Totals = await report.TotalsAsync(filter, Today, ct);
        if (Vista == "clientes")
        {
            ByCustomer = await report.ByCustomerAsync(filter, Today, CustomerLimit, ct);
            return;
        }
        After = OwedCursor.Parse(Despues);
        var page = await report.PageAsync(filter, Today, After, ct);
        Rows = page.Take(OwedDocumentsReport.PageSize).ToList();
        Next = page.Count > OwedDocumentsReport.PageSize ? new OwedCursor(Rows[^1].DueDate, Rows[^1].Id) : null;
    }

    public async Task<IActionResult> OnGetExportAsync(string? formato, CancellationToken ct)
    {
        Today = ChileFormats.Today(clock);
        if (Filter.Validate().Any)
        {
            return BadRequest();
        }
        var today = Today;
        await ReportExport.WriteAsync(HttpContext, formato == "xlsx" ? "xlsx" : "csv", "documentos-adeudados",
            OwedDocumentsReport.ExportHeaders, report.ExportRows(Filter, today), ct);
        // The body is already written (streamed); nothing else to render.
        return new EmptyResult();
    }

    public string PageUrl(string? after) => Url.Page("/Reports/OwedDocuments", null, Query(after), Request.Scheme) is { } url
        ? new Uri(url).PathAndQuery
        : "/reportes/pagos/documentos-adeudados";

    public string ExportUrl(string format)
    {
        var values = Query(null);
        values["handler"] = "Export";
        values["formato"] = format;
        return new Uri(Url.Page("/Reports/OwedDocuments", null, values, Request.Scheme)!).PathAndQuery;
    }

    private Dictionary<string, object?> Query(string? after) => new()
    {
        ["buscar"] = "1", ["cliente"] = Cliente, ["tipo"] = Tipo, ["emisionDesde"] = EmisionDesde?.ToString("yyyy-MM-dd"),
        ["emisionHasta"] = EmisionHasta?.ToString("yyyy-MM-dd"), ["venceDesde"] = VenceDesde?.ToString("yyyy-MM-dd"),
        ["venceHasta"] = VenceHasta?.ToString("yyyy-MM-dd"), ["soloVencidos"] = SoloVencidos ? "true" : null,
        ["situacion"] = string.IsNullOrEmpty(Situacion) ? null : Situacion,
        ["vista"] = Vista, ["despues"] = after,
    };
}
