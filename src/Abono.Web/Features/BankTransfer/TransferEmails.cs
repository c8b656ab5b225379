using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer;

/// <summary>The two emails of a bank transfer, in the company's brand; each is queued in the outbox and sent after the caller commits.</summary>
public static class TransferEmails
{
    /// <summary>To the portal's Emisor: a customer declared a transfer; confirm or reject it (replies reach the customer).</summary>
    public static async Task QueueDeclaredAsync(AbonoDbContext db, AppUrls urls, Guid companyId, Checkout checkout, Customer customer, long declaredAmount,
        DateOnly transferDate, bool hasProof, DateTime now, CancellationToken ct)
    {
        var mail = await BrandedEmail.LoadAsync(db, companyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        var reference = TransferGateway.ReferenceCode(checkout.Id);
        var documents = await (from cd in db.CheckoutDocuments
                               join d in db.Documents on cd.DocumentId equals d.Id
                               where cd.CheckoutId == checkout.Id
                               orderby d.DueDate
                               select new { d.Type, d.Folio, cd.Amount }).ToListAsync(ct);
        var body = mail.Layout($"Transferencia por confirmar {reference}")
            .Paragraph($"{customer.Name} informó una transferencia de {ChileFormats.Clp(declaredAmount)} del {ChileFormats.Date(transferDate)} " +
                $"con el código {reference}. Confírmala o recházala en Reportes → Pagos → Transferencias por confirmar.")
            .Facts(
            [
                ("Cliente", $"{customer.Name} (RUT {Rut.Format(customer.Rut)})"),
                ("Código", reference),
                ("Monto informado", ChileFormats.Clp(declaredAmount)),
                ("Monto a pagar", ChileFormats.Clp(checkout.Amount)),
                ("Fecha de la transferencia", ChileFormats.Date(transferDate)),
                ("Comprobante adjunto", hasProof ? "Sí (revísalo en Abono)" : "No"),
            ])
            .Table("Documentos", [new("Documento"), new("Monto", Numeric: true)],
                documents.Select(d => new EmailRow($"{d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Amount)}",
                    [$"{d.Type.ShortName()} N° {d.Folio}", ChileFormats.Clp(d.Amount)])))
            .Button("Revisar transferencias por confirmar", urls.Absolute("/reportes/pagos/transferencias"));
        // The Emisor may want to ask the customer something: answering the email reaches them.
        db.Outbox.Add(OutboxMessage.Email(companyId, mail.ToEmisor($"Transferencia por confirmar · {reference}", body, customer.Email), now));
    }

    /// <summary>To the customer: the business did not find the transfer; the documents are still to pay.</summary>
    public static async Task QueueRejectedAsync(AbonoDbContext db, AppUrls urls, Checkout checkout, Customer customer, string email, string reason, DateTime now,
        CancellationToken ct)
    {
        var mail = await BrandedEmail.LoadAsync(db, checkout.CompanyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        var reference = TransferGateway.ReferenceCode(checkout.Id);
        var documents = await (from cd in db.CheckoutDocuments
                               join d in db.Documents on cd.DocumentId equals d.Id
                               where cd.CheckoutId == checkout.Id
                               orderby d.DueDate
                               select new { d.Type, d.Folio, d.Balance }).ToListAsync(ct);
        var body = mail.Layout("Tu transferencia no fue confirmada")
            .Paragraph($"Hola {customer.Name}:\n\n{mail.Brand.Name} no pudo confirmar tu transferencia {reference} de {ChileFormats.Clp(checkout.Amount)}: {reason}.")
            .Table("Documentos que siguen pendientes", [new("Documento"), new("Saldo", Numeric: true)],
                documents.Select(d => new EmailRow($"{d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Balance)}",
                    [$"{d.Type.ShortName()} N° {d.Folio}", ChileFormats.Clp(d.Balance)])))
            .Paragraph("Tus documentos siguen pendientes; puedes pagarlos nuevamente desde el portal de pagos.")
            .Button("Ir al portal de pagos", urls.Absolute($"/portal/{mail.Brand.PublicCode}"), "Págalos aquí");
        db.Outbox.Add(OutboxMessage.Email(checkout.CompanyId, mail.Message(email, $"Tu transferencia no fue confirmada · {mail.Brand.Name}", body), now));
    }
}
