using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;

namespace Abono.Web.Features.CustomerLinks;

/// <summary>"Tus documentos pendientes": the customer's link sent by email from /clientes/{id}/portal, in the company's brand.</summary>
public static class CustomerLinkEmail
{
    public static EmailMessage Message(BrandedEmail mail, string portalName, Customer customer, long balance, IEnumerable<Document> pending, string linkUrl)
    {
        var body = mail.Layout("Tus documentos pendientes")
            .Paragraph($"Hola {customer.Name}:\n\nTienes documentos pendientes por {ChileFormats.Clp(balance)}. Puedes revisarlos y pagarlos en línea con tu enlace personal.")
            .Table("Documentos pendientes", [new("Documento"), new("Vence"), new("Saldo", Numeric: true)],
                pending.Select(d => new EmailRow($"{d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Balance)}, vence el {ChileFormats.Date(d.DueDate)}",
                    [$"{d.Type.ShortName()} N° {d.Folio}", ChileFormats.Date(d.DueDate), ChileFormats.Clp(d.Balance)])),
                new EmailRow($"Total: {ChileFormats.Clp(balance)}", ["Total", "", ChileFormats.Clp(balance)]))
            .Button("Ver y pagar mis documentos", linkUrl, "Revísalos y págalos aquí");
        return mail.Message(customer.Email!, $"Tus documentos pendientes · {portalName}", body);
    }
}
