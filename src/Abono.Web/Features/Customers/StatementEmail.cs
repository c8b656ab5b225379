using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;

namespace Abono.Web.Features.Customers;

/// <summary>The estado de cuenta email, in the business's brand; the full detail travels in the attached PDF.</summary>
public static class StatementEmail
{
    /// <summary>Documents listed in the body; a longer list is left to the PDF so the email stays readable.</summary>
    public const int ListedDocuments = 15;

    public static EmailLayout Body(BrandedEmail mail, AccountStatement s, string? link)
    {
        var body = mail.Layout("Estado de cuenta")
            .Paragraph($"Hola {s.CustomerName}:\n\nTe enviamos tu estado de cuenta con {mail.Brand.Name} al {ChileFormats.Date(s.Today)}.");
        var facts = new List<(string, string)> { ("Total adeudado", ChileFormats.Clp(s.TotalOwed)) };
        if (s.Overdue > 0)
        {
            facts.Add(("Vencido", ChileFormats.Clp(s.Overdue)));
        }
        if (s.CreditBalance > 0)
        {
            facts.Add(("Saldo a favor", ChileFormats.Clp(s.CreditBalance)));
        }
        body.Facts(facts);

        if (s.OpenDocuments.Count == 0)
        {
            body.Paragraph("No tienes documentos pendientes.");
        }
        else
        {
            body.Table("Documentos pendientes", [new("Documento"), new("Vence"), new("Antigüedad"), new("Saldo", Numeric: true)],
                s.OpenDocuments.Take(ListedDocuments).Select(d =>
                {
                    var age = d.DaysOverdue == 0 ? "al día" : $"vencido hace {d.DaysOverdue} {(d.DaysOverdue == 1 ? "día" : "días")}";
                    return new EmailRow($"{d.DisplayName}, vence el {ChileFormats.Date(d.DueDate)}: {ChileFormats.Clp(d.Balance)} ({age})",
                        [d.DisplayName, ChileFormats.Date(d.DueDate), age, ChileFormats.Clp(d.Balance)]);
                }),
                new EmailRow($"Total adeudado: {ChileFormats.Clp(s.TotalOwed)}", ["Total", "", "", ChileFormats.Clp(s.TotalOwed)]));
            if (s.OpenDocuments.Count > ListedDocuments)
            {
                body.Paragraph($"Y {s.OpenDocuments.Count - ListedDocuments} documentos más: el detalle está en el PDF adjunto.");
            }
        }

        if (s.Period is { } period)
        {
            body.Facts(
                ($"Pagos del {period.Label}", s.Payments.Count == 0 ? "ninguno" : $"{Count(s.Payments.Count, "pago", "pagos")} por {ChileFormats.Clp(s.PaymentsTotal)}"),
                ($"Notas de crédito del {period.Label}", s.CreditNotes.Count == 0 ? "ninguna" : $"{Count(s.CreditNotes.Count, "nota", "notas")} por {ChileFormats.Clp(s.CreditNotesTotal)}"));
        }
        if (link is not null)
        {
            body.Button("Ver y pagar mis documentos", link, "Puedes revisar y pagar tus documentos en línea aquí");
        }
        body.FinePrint("Adjuntamos el estado de cuenta en PDF.");
        return body;
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
