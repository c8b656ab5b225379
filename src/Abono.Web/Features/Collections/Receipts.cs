using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>Builds a payment's receipt (data and PDF) and queues it by email to the portal's Emisor and to the customer.</summary>
public sealed class Receipts
{
    public async Task<ReceiptData> LoadAsync(AbonoDbContext db, long paymentId, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Id == paymentId, ct);
        var brand = await PortalBrand.LoadAsync(db, payment.CompanyId, ct) ?? throw new InvalidOperationException("The payment's company is missing.");
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == payment.CustomerId, ct);
        var documentIds = payment.Allocations.Select(a => a.DocumentId).ToList();
        var documents = await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        return new ReceiptData(payment.Id, brand, customer.Name, customer.Rut, payment.PaidAt,
            payment.Method, payment.GatewayReference, payment.Amount, payment.CreditAmount,
            payment.Allocations.OrderBy(a => a.Id)
                .Select(a => new ReceiptLine(a.DocumentId, documents[a.DocumentId].Type, documents[a.DocumentId].Folio, a.Amount, documents[a.DocumentId].Balance)).ToList(),
            payment.IsTest);
    }

    public async Task QueueAsync(AbonoDbContext db, Payment payment, DateTime now, CancellationToken ct)
    {
        var receipt = await LoadAsync(db, payment.Id, ct);
        var pdf = ReceiptPdf.Render(receipt, await PortalBrand.LogoAsync(db, payment.CompanyId, ct));
        var issuer = await db.PortalConfigurations.Where(p => p.CompanyId == payment.CompanyId).Select(p => p.IssuerEmail).SingleOrDefaultAsync(ct);
        var customerEmail = await db.Customers.Where(c => c.Id == payment.CustomerId).Select(c => c.Email).SingleAsync(ct);
        var documents = string.Join("\n", receipt.Documents.Select(d =>
            $"  · {d.Type.ShortName()} N° {d.Folio}: {ChileFormats.Clp(d.Applied)}{(d.BalanceAfter == 0 ? " (pagado)" : $" (saldo {ChileFormats.Clp(d.BalanceAfter)})")}"));
        var body =
            (receipt.IsTest ? ReceiptData.TestModeNote + "\n\n" : "") +
            $"Comprobante de pago {receipt.Reference}\n\n{receipt.PortalName}\nCliente: {receipt.CustomerName} (RUT {Rut.Format(receipt.CustomerRut)})\n" +
            $"Fecha: {ChileFormats.DateTime(receipt.PaidAtUtc)}\nMedio de pago: {Gateways.GatewayExtensions.Name(receipt.Method)}\n" +
            $"Monto: {ChileFormats.Clp(receipt.Amount)}\n\nDocumentos:\n{documents}\n" +
            (receipt.CreditAmount > 0 ? $"\nSaldo a favor: {ChileFormats.Clp(receipt.CreditAmount)}; será reembolsado.\n" : "") +
            "\nAdjuntamos el comprobante en PDF.\n";
        var attachment = new EmailAttachment($"comprobante-{receipt.Reference}.pdf", "application/pdf", Convert.ToBase64String(pdf));
        foreach (var to in new[] { issuer, customerEmail }.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Outbox.Add(OutboxMessage.Email(payment.CompanyId,
                new EmailMessage(to!, $"Comprobante de pago {receipt.Reference} · {receipt.PortalName}", body, [attachment]), now));
        }
        await db.SaveChangesAsync(ct);
    }
}
