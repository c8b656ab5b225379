using Abono.Web.Features.Collections;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reports;

public sealed class PaymentsModel(PaymentsReport report) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? Desde { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Hasta { get; set; }
    [BindProperty(SupportsGet = true)] public int? Medio { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cliente { get; set; }
    [BindProperty(SupportsGet = true)] public int? Estado { get; set; }
    [BindProperty(SupportsGet = true, Name = "despues")] public string? Despues { get; set; }

    public PaymentsFilter Filter => new() { Desde = Desde, Hasta = Hasta, Medio = Medio, Cliente = Cliente, Estado = Estado };
    public PaymentTotals? Totals { get; private set; }
    public List<PaymentRow> Rows { get; private set; } = [];
    public PaymentCursor? After { get; private set; }
    public PaymentCursor? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filter.Validate().CopyTo(ModelState);
        if (!ModelState.IsValid)
        {
            return;
        }
        Totals = await report.TotalsAsync(Filter, ct);
        After = PaymentCursor.Parse(Despues);
        var page = await report.PageAsync(Filter, After, ct);
        Rows = page.Take(PaymentsReport.PageSize).ToList();
        Next = page.Count > PaymentsReport.PageSize ? new PaymentCursor(Rows[^1].PaidAt, Rows[^1].Id) : null;
    }

    public async Task<IActionResult> OnGetExportAsync(string? formato, CancellationToken ct)
    {
        if (Filter.Validate().Any)
        {
            return BadRequest();
        }
        await ReportExport.WriteAsync(HttpContext, formato == "xlsx" ? "xlsx" : "csv", "pagos",
            ["N°", "Fecha", "Cliente", "RUT", "Medio de pago", "Documentos pagados", "Estado", "Referencia", "Monto", "Saldo a favor"],
            report.ExportRows(Filter, ct).Select(x => new object?[]
            {
                x.Row.Id, x.Row.PaidAt, x.Row.CustomerName, Rut.Format(x.Row.CustomerRut), x.Row.Method.Name(), x.Folios,
                x.Row.Status.Name(), x.Row.GatewayReference, x.Row.Amount, x.Row.CreditAmount,
            }), ct);
        // The body is already written (streamed); nothing else to render.
        return new EmptyResult();
    }

    public string PageUrl(string? after) => new Uri(Url.Page("/Reports/Payments", null, Query(after), Request.Scheme)!).PathAndQuery;

    public string ExportUrl(string format)
    {
        var values = Query(null);
        values["handler"] = "Export";
        values["formato"] = format;
        return new Uri(Url.Page("/Reports/Payments", null, values, Request.Scheme)!).PathAndQuery;
    }

    private Dictionary<string, object?> Query(string? after) => new()
    {
        ["desde"] = Desde?.ToString("yyyy-MM-dd"), ["hasta"] = Hasta?.ToString("yyyy-MM-dd"), ["medio"] = Medio,
        ["cliente"] = Cliente, ["estado"] = Estado, ["despues"] = after,
    };
}
