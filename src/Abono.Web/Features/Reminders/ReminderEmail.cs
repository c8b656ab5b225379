using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;

namespace Abono.Web.Features.Reminders;

/// <summary>"Recordatorio de pago": everything the customer owes in one email (overdue ones marked), with the pay link and the unsubscribe link.</summary>
public static class ReminderEmail
{
    public static EmailMessage Message(BrandedEmail mail, string portalName, string customerName, string email, IReadOnlyCollection<Document> owed, DateOnly day,
        string payUrl, string unsubscribeUrl)
    {
        // Never ask for a ceded or claimed factura, whatever the caller passed.
        owed = owed.Where(d => d.IsCollectible()).ToList();
        var total = owed.Sum(d => d.Balance);
        var body = mail.Layout("Recordatorio de pago")
            .Paragraph($"Hola {customerName}:\n\nTe recordamos tus documentos pendientes por {ChileFormats.Clp(total)}.")
            .Table("Documentos pendientes", [new("Documento"), new("Vence"), new("Saldo", Numeric: true)],
                owed.Select(d => new EmailRow(
                    $"{d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Balance)}, vence el {ChileFormats.Date(d.DueDate)}{(d.DueDate < day ? " (vencido)" : "")}",
                    [$"{d.Type.ShortName()} N° {d.Folio}", ChileFormats.Date(d.DueDate) + (d.DueDate < day ? " (vencido)" : ""), ChileFormats.Clp(d.Balance)])),
                new EmailRow($"Total: {ChileFormats.Clp(total)}", ["Total", "", ChileFormats.Clp(total)]))
            .Button("Pagar en línea", payUrl, "Págalos en línea aquí")
            .FinePrint("¿No quieres recibir estos recordatorios?", "Date de baja aquí", unsubscribeUrl);
        return mail.Message(email, $"Recordatorio de pago · {portalName}", body);
    }
}
