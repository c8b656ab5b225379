using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>Builds a payment's receipt (data and PDF) and queues it by email to the portal's Emisor and to the customer.</summary>
public sealed class Receipts(AppUrls urls)
{
    public async Task<ReceiptData> LoadAsync(AbonoDbContext db, long paymentId, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Id == paymentId, ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == payment.CustomerId).Select(c => new ReceiptCustomer(c.Name, c.Rut, c.Email)).SingleAsync(ct);
        return await LoadAsync(db, payment, customer, ct);
    }

    private sealed record ReceiptCustomer(string Name, string Rut, string? Email);

    /// <summary>The receipt of a payment already in hand (with its allocations): its brand and documents.</summary>
    private static async Task<ReceiptData> LoadAsync(AbonoDbContext db, Payment payment, ReceiptCustomer customer, CancellationToken ct)
    {
        var brand = await PortalBrand.LoadAsync(db, payment.CompanyId, ct) ?? throw new InvalidOperationException("The payment's company is missing.");
        var documentIds = payment.Allocations.Select(a => a.DocumentId).ToList();
        var documents = await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Type, d.Folio, d.Balance }).ToDictionaryAsync(d => d.Id, ct);
        return new ReceiptData(payment.Id, brand, customer.Name, customer.Rut, payment.PaidAt,
            payment.Method, payment.GatewayReference, payment.Amount, payment.CreditAmount,
            payment.Allocations.OrderBy(a => a.Id)
                .Select(a => new ReceiptLine(a.DocumentId, documents[a.DocumentId].Type, documents[a.DocumentId].Folio, a.Amount, documents[a.DocumentId].Balance)).ToList(),
            payment.IsTest);
    }

    /// <summary>The receipt's PDF in its company's brand (logo included).</summary>
    public async Task<byte[]> PdfAsync(AbonoDbContext db, ReceiptData receipt, Guid companyId, CancellationToken ct) =>
        ReceiptPdf.Render(receipt, await PortalBrand.LogoAsync(db, companyId, ct));

    /// <summary>
    /// Queues the receipt of a payment just saved, inside the confirmation's transaction, from the lines in hand (each
    /// document's balance right after this payment): one read (brand, Emisor, customer; the logo only when there is one)
    /// and two small outbox rows, saved with the caller's next SaveChanges (the PDF is rendered when sent).
    /// </summary>
    public async Task QueueAsync(AbonoDbContext db, Payment payment, IReadOnlyList<ReceiptLine> lines, DateTime now, CancellationToken ct)
    {
        var row = await ReceiptRow(db, payment.CustomerId) ?? throw new InvalidOperationException("The payment's customer is missing.");
        var company = row.Company ?? throw new InvalidOperationException("The payment's company is missing.");
        var customer = row.Customer;
        var brand = PortalBrand.Of(row.Portal, company.LegalName, company.Rut, company.Email, company.Address);
        var receipt = new ReceiptData(payment.Id, brand, customer.Name, customer.Rut, payment.PaidAt,
            payment.Method, payment.GatewayReference, payment.Amount, payment.CreditAmount, lines, payment.IsTest);
        var logo = brand.HasLogo ? await PortalBrand.LogoAsync(db, payment.CompanyId, ct) : null;
        var issuer = row.Portal?.IssuerEmail;
        var customerEmail = customer.Email;
        var mail = new BrandedEmail(receipt.Brand, logo, issuer);
        // The PDF is rendered when the email is sent, from these lines (balances after this payment), not inside the
        // confirmation's transaction.
        var attachment = EmailAttachment.Deferred(receipt.PdfFileName, "application/pdf", ReceiptPdfSource.SourceName,
            ReceiptPdfSource.Input(receipt));
        var subject = $"Comprobante de pago {receipt.Reference} · {receipt.PortalName}";
        foreach (var to in new[] { issuer, customerEmail }.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            // The customer is sent back to the portal; the Emisor's copy links to the payment in the back office.
            var forEmisor = string.Equals(to, issuer, StringComparison.OrdinalIgnoreCase);
            var body = EmailBody(mail.Layout($"Comprobante de pago {receipt.Reference}"), receipt, forEmisor);
            if (forEmisor)
            {
                body.Button("Ver el pago en Abono", urls.Absolute($"/reportes/pagos/{receipt.Number}"));
            }
            else
            {
                body.Button("Ir al portal de pagos", urls.Absolute($"/portal/{receipt.Brand.PublicCode}"), $"Revisa tus documentos en {receipt.PortalName}");
            }
            db.Outbox.Add(OutboxMessage.Email(payment.CompanyId, mail.Message(to!, subject, body, [attachment]), now));
        }
    }

    private sealed record ReceiptCompany(string LegalName, string Rut, string Email, string? Address);

    private sealed record ReceiptRowData(ReceiptCustomer Customer, ReceiptCompany? Company, PortalConfiguration? Portal);

    /// <summary>
    /// What a receipt email needs besides the payment: the customer, the company and its portal (brand, Emisor), in one
    /// read compiled once (it runs in every confirmation). Correlated on the customer's row: SQLite has no APPLY. No
    /// IgnoreQueryFilters anywhere in it: in EF Core that lifts the tenant filter from the whole query, customers included.
    /// </summary>
    private static readonly Func<AbonoDbContext, long, Task<ReceiptRowData?>> ReceiptRow =
        EF.CompileAsyncQuery((AbonoDbContext db, long customerId) =>
            db.Customers.AsNoTracking().Where(u => u.Id == customerId)
                .Select(u => new ReceiptRowData(
                    new ReceiptCustomer(u.Name, u.Rut, u.Email),
                    db.Companies.Where(c => c.Id == u.CompanyId).Select(c => new ReceiptCompany(c.LegalName, c.Rut, c.Email, c.Address)).FirstOrDefault(),
                    db.PortalConfigurations.FirstOrDefault(p => p.CompanyId == u.CompanyId)))
                .SingleOrDefault());

    /// <summary>The receipt as an email: what was paid, when and how, and the documents it went to.</summary>
    public static EmailLayout EmailBody(EmailLayout body, ReceiptData receipt, bool forEmisor)
    {
        if (receipt.IsTest)
        {
            body.Notice(ReceiptData.TestModeNote);
        }
        body.Paragraph(forEmisor
            ? $"{receipt.CustomerName} pagó {ChileFormats.Clp(receipt.Amount)} en {receipt.PortalName}. Adjuntamos el comprobante en PDF."
            : $"Hola {receipt.CustomerName}: recibimos tu pago de {ChileFormats.Clp(receipt.Amount)}. Adjuntamos el comprobante en PDF.");
        body.Facts(
        [
            ("Comprobante", receipt.Reference),
            ("Cliente", $"{receipt.CustomerName} (RUT {Rut.Format(receipt.CustomerRut)})"),
            ("Fecha", ChileFormats.DateTime(receipt.PaidAtUtc)),
            ("Medio de pago", Gateways.GatewayExtensions.Name(receipt.Method)),
            .. receipt.GatewayReference is { } reference ? new[] { ("Referencia de la pasarela", reference) } : [],
            ("Monto", ChileFormats.Clp(receipt.Amount)),
        ]);
        body.Table("Documentos", [new("Documento"), new("Abono", Numeric: true), new("Saldo", Numeric: true)],
            receipt.Documents.Select(d => new EmailRow(
                $"{d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Applied)}{(d.BalanceAfter == 0 ? " (pagado)" : $" (saldo {ChileFormats.Clp(d.BalanceAfter)})")}",
                [$"{d.Type.ShortName()} N° {d.Folio}", ChileFormats.Clp(d.Applied), d.BalanceAfter == 0 ? "Pagado" : ChileFormats.Clp(d.BalanceAfter)])));
        if (receipt.CreditAmount > 0)
        {
            body.Paragraph($"Saldo a favor: {ChileFormats.Clp(receipt.CreditAmount)}; será reembolsado.");
        }
        return body;
    }
}
