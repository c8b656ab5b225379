using System.Security.Claims;
using Abono.Web.Data;
using Abono.Web.Features.Account;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount;

[Authorize(Policy = Policies.Administrador)]
public sealed class UsersModel(AbonoDbContext db, InvitationService invitations, TimeProvider clock, Platform.Web.AppUrls urls) : PageModel
{
    [BindProperty]
    public InviteInput Input { get; set; } = new() { Role = Roles.Vendedor };

    public string? InvitationLink { get; private set; }
    public List<Member> Members { get; private set; } = [];
    public List<Invitation> Pending { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var me = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var (token, errors) = await invitations.InviteAsync(Input.Email, Input.Role, me, t => urls.Absolute($"/invitacion/{t}"), ct);
        if (token is null)
        {
            ModelState.Clear();
            errors.CopyTo(ModelState, nameof(Input));
        }
        else
        {
            InvitationLink = urls.Absolute($"/invitacion/{token}");
            Input = new InviteInput { Role = Roles.Vendedor };
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await db.Invitations
            .Where(i => i.Id == invitationId && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), ct);
        if (revoked == 0)
        {
            return NotFound();
        }
        TempData["Flash"] = "Invitación anulada.";
        return Redirect("/mi-cuenta/usuarios");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        // Identity's user table is not tenant-filtered (sign-in must find users before a tenant is known),
        // so this query names the company explicitly.
        var companyId = db.CurrentCompanyId;
        Members = await (
            from u in db.Users
            where u.CompanyId == companyId
            join ur in db.UserRoles on u.Id equals ur.UserId into urs
            from ur in urs.DefaultIfEmpty()
            join r in db.Roles on ur.RoleId equals r.Id into rs
            from r in rs.DefaultIfEmpty()
            orderby u.FullName
            select new Member(u.FullName, u.Email ?? "", r == null ? "" : r.Name ?? ""))
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        Pending = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(ct);
    }

    public sealed record Member(string FullName, string Email, string Role);

    public sealed class InviteInput
    {
        public string? Email { get; set; }
        public string? Role { get; set; }
    }
}
