using Abono.Web.Data;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Account;

/// <summary>An Administrador invites a user by email; the invitee opens the link, names themself and sets a password.</summary>
public sealed class InvitationService(AbonoDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Creates the invitation and queues its email (same transaction) with the link built by <paramref name="linkFor"/>.</summary>
    public async Task<(string? Token, FieldErrors Errors)> InviteAsync(string? email, string? role, Guid invitedBy, Func<string, string>? linkFor = null, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        email = Rules.Clean(email);
        if (!Rules.IsValidEmail(email))
        {
            errors.Add("Email", "Ingresa un correo válido.");
        }
        if (role is null || !Roles.All.Contains(role))
        {
            errors.Add("Role", "Elige el rol: Administrador o Vendedor.");
        }
        if (!errors.Any && await users.FindByEmailAsync(email!) is not null)
        {
            errors.Add("Email", "Ya existe un usuario con ese correo.");
        }
        if (errors.Any)
        {
            return (null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // A new invitation for the same address replaces the previous one.
        await db.Invitations
            .Where(i => i.Email == email && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), ct);
        var (token, hash) = TokenFactory.Create();
        if (linkFor is not null)
        {
            var company = await db.Companies.Where(c => c.Id == db.CurrentCompanyId).Select(c => c.LegalName).SingleAsync(ct);
            // Abono's own email: sent as Abono, in Abono's colours.
            var body = new EmailLayout(EmailBrand.Abono, $"Te invitaron a {company}")
                .Paragraph($"Hola:\n\n{company} te invitó a su cuenta de Abono como {role}.")
                .Button("Crear mi usuario", linkFor(token), "Crea tu usuario aquí")
                .FinePrint("El enlace vence en 7 días y sirve una sola vez. Si no esperabas esta invitación, ignora este correo.");
            db.Outbox.Add(OutboxMessage.Email(db.CurrentCompanyId,
                new EmailMessage(email!, $"Te invitaron a {company} en Abono", body.Text, HtmlBody: body.Html), now));
        }
        db.Invitations.Add(new Invitation
        {
            Email = email!,
            Role = role!,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            InvitedByUserId = invitedBy,
        });
        await db.SaveChangesAsync(ct);
        return (token, errors);
    }

    /// <summary>Invitations are opened by people without a session, so the lookup ignores the tenant filter on purpose.</summary>
    public Task<Invitation?> FindOpenAsync(string? token, CancellationToken ct = default)
    {
        // A blank token (route "%09", or an empty Token= field that outranks the route) binds to null: no invitation.
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return Task.FromResult<Invitation?>(null);
        }
        var hash = TokenFactory.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Invitations.IgnoreQueryFilters()
            .Where(i => i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .SingleOrDefaultAsync(ct);
    }

    public async Task<(AppUser? User, FieldErrors Errors)> AcceptAsync(string? token, string? fullName, string? password, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var invitation = await FindOpenAsync(token, ct);
        if (invitation is null)
        {
            errors.Add(string.Empty, "La invitación no existe, ya fue usada o expiró. Pide una nueva a tu administrador.");
            return (null, errors);
        }
        SignUpHandler.Require(errors, "FullName", fullName, "Ingresa tu nombre.", 200);
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("Password", "Ingresa una contraseña.");
        }
        if (errors.Any)
        {
            return (null, errors);
        }

        db.Tenant.Set(invitation.CompanyId);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new AppUser
        {
            CompanyId = invitation.CompanyId,
            FullName = fullName!.Trim(),
            Email = invitation.Email,
            UserName = invitation.Email,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                errors.Add(error.Code.Contains("Password") ? "Password" : string.Empty, error.Description);
            }
            return (null, errors);
        }
        await users.AddToRoleAsync(user, invitation.Role);
        invitation.AcceptedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (user, errors);
    }
}
