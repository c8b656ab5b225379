using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reminders;

[Authorize(Policy = Policies.Administrador)]
public sealed class SettingsModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty] public bool Enabled { get; set; } = true;
    [BindProperty] public string? Offsets { get; set; }
    public string? Error { get; private set; }
    public List<LogRow> Log { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var settings = await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        Enabled = settings?.Enabled ?? true;
        Offsets = settings?.Offsets ?? string.Join(",", ReminderSettings.DefaultOffsets);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var parts = (Offsets ?? "").Replace('−', '-').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = parts.Select(p => int.TryParse(p, out var n) ? n : (int?)null).ToList();
        if (values.Count == 0 || values.Count > 10 || values.Any(v => v is null or < -60 or > 180))
        {
            Error = "Escribe entre 1 y 10 números entre −60 y 180, separados por coma (por ejemplo −3, 0, 7, 30).";
            await LoadAsync(ct);
            return Page();
        }
        var settings = await db.ReminderSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new ReminderSettings { LastRunDate = ChileFormats.Today(clock).AddDays(-1) };
            db.ReminderSettings.Add(settings);
        }
        settings.Enabled = Enabled;
        settings.Offsets = string.Join(",", values.Distinct().Order());
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "Recordatorios guardados.";
        return Redirect("/configuracion/recordatorios");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Log = await (from l in db.ReminderLogs
                     join c in db.Customers on l.CustomerId equals c.Id
                     orderby l.SentAt descending
                     select new LogRow(l.ReminderDate, l.CustomerId, c.Name, l.Documents, l.Amount)).Take(100).ToListAsync(ct);

    public sealed record LogRow(DateOnly Day, long CustomerId, string CustomerName, int Documents, long Amount);
}
