using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Portal;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Home;

/// <summary>
/// Inicio's "Primeros pasos" for a new company: the help article's path from contracting the Portal de pagos to
/// sharing its link. Each step links to its screen and is ticked by what is true in the books, not by a click.
/// </summary>
public static class SetupChecklist
{
    public sealed record Step(string Title, string Hint, string Href, bool Done);

    public static async Task<IReadOnlyList<Step>> LoadAsync(AbonoDbContext db, DateOnly today, CancellationToken ct)
    {
        var contracted = await PortalAccess.IsContractedAsync(db, db.CurrentCompanyId, today, ct);
        var configured = await db.PaymentMethods.AnyAsync(m => m.IsActive, ct);
        var offered = await db.PaymentMethods.AnyAsync(m => m.IsActive && m.EnabledInPortal, ct);
        var reachable = await db.Customers.AnyAsync(c => c.Email != null && c.Phone != null, ct);
        var onCredit = await db.DocumentPayments.AnyAsync(p => p.Form == PaymentForm.Credito, ct);
        // A link was shared once a customer link exists or a customer came through the portal to pay.
        var shared = await db.CustomerPortalLinks.AnyAsync(ct) || await db.Checkouts.AnyAsync(c => c.CustomerId != null, ct);
        return
        [
            new("Contrata el Portal de pagos", "Mi cuenta → Agregar servicios a mi plan.", "/mi-cuenta/servicios/agregar", contracted),
            new("Configura un medio de pago", "Webpay, Mercado Pago, transferencia u otro.", "/configuracion/medios-de-pago", configured),
            new("Actívalo en el portal", "Portal de pagos → Editar → Medios de pago.", "/configuracion/portal-de-pagos/editar", offered),
            new("Crea un cliente con correo y teléfono", "El portal los usa para identificar a quien paga.", "/clientes/nuevo", reachable),
            new("Emite un documento a crédito", "Forma de pago crédito: queda como deuda por cobrar.", "/documentos/nuevo", onCredit),
            new("Comparte el link de pago", "El link de tu empresa o el de un cliente.", "/configuracion/portal-de-pagos", shared),
        ];
    }
}
