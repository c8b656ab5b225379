using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Customers;

/// <summary>The text of the estado de cuenta email; the full detail travels in the attached PDF.</summary>
public static class StatementEmail
{
    /// <summary>Documents listed in the body; a longer list is left to the PDF so the email stays readable.</summary>
    public const int ListedDocuments = 15;

    public static string Text(AccountStatement s, PortalBrand brand, string? link)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"Hola {s.CustomerName}:\n\n");
        text.Append($"Te enviamos tu estado de cuenta con {brand.Name} al {ChileFormats.Date(s.Today)}.\n\n");
        text.Append($"Total adeudado: {ChileFormats.Clp(s.TotalOwed)}\n");
        if (s.Overdue > 0)
        {
            text.Append($"Vencido: {ChileFormats.Clp(s.Overdue)}\n");
        }
        if (s.CreditBalance > 0)
        {
            text.Append($"Saldo a favor: {ChileFormats.Clp(s.CreditBalance)}\n");
        }

        if (s.OpenDocuments.Count == 0)
        {
            text.Append("\nNo tienes documentos pendientes.\n");
        }
        else
        {
            text.Append("\nDocumentos pendientes:\n");
            foreach (var d in s.OpenDocuments.Take(ListedDocuments))
            {
                var age = d.DaysOverdue == 0 ? "al día" : $"vencido hace {d.DaysOverdue} {(d.DaysOverdue == 1 ? "día" : "días")}";
                text.Append($"  · {d.DisplayName}, vence el {ChileFormats.Date(d.DueDate)}: {ChileFormats.Clp(d.Balance)} ({age})\n");
            }
            if (s.OpenDocuments.Count > ListedDocuments)
            {
                text.Append($"  · y {s.OpenDocuments.Count - ListedDocuments} más (detalle en el PDF adjunto)\n");
            }
        }

        if (s.Period is { } period)
        {
            text.Append($"\nDel {period.Label}:\n");
            text.Append(s.Payments.Count == 0 ? "  · Pagos: ninguno\n"
                : $"  · Pagos: {Count(s.Payments.Count, "pago", "pagos")} por {ChileFormats.Clp(s.PaymentsTotal)}\n");
            text.Append(s.CreditNotes.Count == 0 ? "  · Notas de crédito: ninguna\n"
                : $"  · Notas de crédito: {Count(s.CreditNotes.Count, "nota", "notas")} por {ChileFormats.Clp(s.CreditNotesTotal)}\n");
        }

        if (link is not null)
        {
            text.Append($"\nPuedes revisar y pagar tus documentos en línea aquí:\n\n{link}\n");
        }
        text.Append("\nAdjuntamos el estado de cuenta en PDF.\n");
        var contact = string.Join(" · ", new[] { brand.Email, brand.Phone is { } p ? ChileanPhone.Format(p) : null }.Where(x => x is not null));
        text.Append($"\n{brand.Name}\n");
        if (contact.Length > 0)
        {
            text.Append($"¿Dudas? {contact}\n");
        }
        return text.ToString();
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
