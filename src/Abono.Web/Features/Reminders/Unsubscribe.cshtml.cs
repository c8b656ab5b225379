using Abono.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reminders;

/// <summary>The unsubscribe link in every reminder: a protected token naming the company and the customer.</summary>
[AllowAnonymous]
public sealed class UnsubscribeModel(AbonoDbContext db, ReminderJob job) : PageModel
{
    public bool Valid { get; private set; }
    public bool Done { get; private set; }

    public void OnGet(string? token) => Valid = job.ReadUnsubscribeToken(token) is not null;

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        if (job.ReadUnsubscribeToken(token) is not { } target)
        {
            return Page();
        }
        await db.Customers.IgnoreQueryFilters().Where(c => c.Id == target.CustomerId && c.CompanyId == target.CompanyId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RemindersEnabled, false), ct);
        (Valid, Done) = (true, true);
        return Page();
    }
}
