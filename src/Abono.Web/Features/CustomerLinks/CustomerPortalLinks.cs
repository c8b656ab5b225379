using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.CustomerLinks;

/// <summary>
/// The customer link's lifecycle. The token (256 bits, from TokenFactory) is looked up by its hash and kept encrypted
/// only so the business can copy it again; regenerating revokes the old one at once.
/// </summary>
public sealed class CustomerPortalLinks(AbonoDbContext db, IDataProtectionProvider protection, TimeProvider clock, Platform.Web.AppUrls urls)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Abono.CustomerPortalLinks.v1");

    public async Task<(string Token, DateTime? ExpiresAt)> CurrentOrNewAsync(long customerId, CancellationToken ct) =>
        await CurrentAsync(customerId, ct) ?? await RegenerateAsync(customerId, ct);

    /// <summary>The customer's link that still opens, or null (nothing is created: a page that only shows a link must not make one).</summary>
    public async Task<(string Token, DateTime? ExpiresAt)?> CurrentAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await db.CustomerPortalLinks.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.RevokedAt == null && (l.ExpiresAt == null || l.ExpiresAt > now))
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return link is null ? null : (_protector.Unprotect(link.TokenProtected), link.ExpiresAt);
    }

    public async Task<(string Token, DateTime? ExpiresAt)> RegenerateAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var validity = await db.PortalConfigurations.Select(p => (int?)p.CustomerLinkValidityDays).SingleOrDefaultAsync(ct) ?? 0;
        await db.CustomerPortalLinks.Where(l => l.CustomerId == customerId && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        var (token, hash) = TokenFactory.Create();
        var link = new CustomerPortalLink
        {
            CustomerId = customerId,
            TokenHash = hash,
            TokenProtected = _protector.Protect(token),
            CreatedAt = now,
            ExpiresAt = validity > 0 ? now.AddDays(validity) : null,
        };
        db.CustomerPortalLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return (token, link.ExpiresAt);
    }

    public string Url(string token) => urls.Absolute($"/portal/c/{token}");

    /// <summary>Customer links are shared only while the company's Portal de pagos is contracted and configured.</summary>
    public async Task<bool> PortalActiveAsync(CancellationToken ct) =>
        await Portal.PortalAccess.IsContractedAsync(db, db.CurrentCompanyId, ChileFormats.Today(clock), ct)
        && await db.PortalConfigurations.AnyAsync(ct);

    /// <summary>wa.me with the message typed in, for a customer's phone as stored (E.164); null without a phone.</summary>
    public static string? WhatsAppUrl(string? phone, string message) =>
        phone is null ? null : $"https://wa.me/{phone.TrimStart('+')}?text={Uri.EscapeDataString(message)}";

    /// <summary>
    /// The link to pay <paramref name="document"/> (with its Customer and Payments loaded): offered while it is owed on
    /// crédito, the portal may collect it and the Portal de pagos is active; otherwise the reason, in the screen's words.
    /// </summary>
    public async Task<DocumentPaymentLink> ForDocumentAsync(Document document, string returnTo, CancellationToken ct)
    {
        if (WhyNot(document) is { } reason)
        {
            return DocumentPaymentLink.NotOffered(reason);
        }
        if (!await PortalActiveAsync(ct))
        {
            return DocumentPaymentLink.NotOffered("Para enviar links de pago necesitas el Portal de pagos contratado y configurado.", needsPortal: true);
        }
        var customer = document.Customer!;
        // Showing a document creates nothing: without a link yet, the panel offers "Crear link de pago" (a POST), and
        // creating it is what Primeros pasos counts as sharing.
        if (await CurrentAsync(customer.Id, ct) is not { } current)
        {
            return new DocumentPaymentLink(null, CustomerId: customer.Id, CustomerName: customer.Name, Email: customer.Email, ReturnTo: returnTo, NeedsLink: true);
        }
        var (token, expires) = current;
        var url = Url(token);
        var message = $"Hola {customer.Name}, te enviamos la {document.Type.Name()} N° {document.Folio} por {ChileFormats.Clp(document.Balance)}, "
            + $"con vencimiento el {ChileFormats.Date(document.DueDate)}. Puedes revisarla y pagarla en línea aquí: {url}";
        return new DocumentPaymentLink(null, CustomerId: customer.Id, CustomerName: customer.Name, Email: customer.Email, Url: url,
            ExpiresAt: expires, WhatsAppUrl: WhatsAppUrl(customer.Phone, message), ReturnTo: returnTo);
    }

    private static string? WhyNot(Document d)
    {
        if (d.Type == DocumentType.NotaCredito)
        {
            return "Una nota de crédito no se cobra: su total ya se descontó del saldo del documento que referencia.";
        }
        if (d.Customer is null)
        {
            return "Este documento no tiene cliente, y el link de pago es personal de cada cliente.";
        }
        if (d.Balance == 0)
        {
            return d.Payments.Count > 0 && d.Payments.All(p => p.Form != PaymentForm.Credito)
                ? $"Se pagó al emitirlo ({string.Join(", ", d.Payments.Select(p => p.Form.Name()))}): no quedó saldo a crédito por cobrar."
                : "Ya está pagado: no queda saldo por cobrar.";
        }
        if (d.CededToRut is not null)
        {
            return $"Está cedido a {d.CededToName}: lo cobra la empresa de factoring, no el Portal de pagos.";
        }
        return d.Claim is not null
            ? "Tu cliente lo reclamó: el Portal de pagos no lo cobra hasta que quites el reclamo."
            : null;
    }
}
