using System.Text;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer.Cartola;

public enum ConfirmOutcome
{
    Confirmed,

    /// <summary>The credit was already confirmed or ignored (a double click, another tab, a retried POST).</summary>
    AlreadyDecided,

    /// <summary>What was proposed no longer holds (paid meanwhile, another checkout holds a document, the transfer was decided).</summary>
    NoLongerValid,
}

/// <summary>
/// Confirms a cartola credit through the same payment confirmation as any gateway, exactly once. The credit's row is
/// the guard: <c>UPDATE … SET Status = Confirmed WHERE Id = @id AND Status = Unmatched</c> commits together with what
/// the confirmation decides (the declaration Declared → Confirmed, or a new Transfer checkout with its documents,
/// locks and a Confirmed declaration carrying the credit as evidence), so of two requests for one credit only one
/// changes anything. The money is then booked by <see cref="PaymentConfirmation"/> from the transfer gateway's
/// answer, itself idempotent; if the app stops in between, the checkout janitor asks the same gateway and books it.
/// </summary>
public sealed class CartolaConfirmations(AbonoDbContext db, CartolaMatcher matcher, CheckoutStarter starter, GatewayRegistry gateways, GatewayContexts contexts,
    PaymentConfirmation confirmation, TimeProvider clock)
{
    public async Task<ConfirmOutcome> ConfirmAsync(long lineId, string optionKey, string? user, CancellationToken ct)
    {
        var line = await db.BankStatementLines.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lineId, ct);
        if (line is null)
        {
            return ConfirmOutcome.NoLongerValid;
        }
        if (line.Status != StatementLineStatus.Unmatched)
        {
            await CompleteAsync(line, ct);
            return ConfirmOutcome.AlreadyDecided;
        }
        var option = (await matcher.ProposeAsync([line], ct))[0].Options.FirstOrDefault(o => o.Key == optionKey);
        return option is null ? ConfirmOutcome.NoLongerValid : await ConfirmAsync(line, option, user, ct);
    }

    /// <summary>Confirms the selected credits whose proposal is still exact (recomputed over every unmatched credit, as the page showed them).</summary>
    public async Task<(int Confirmed, int Skipped)> ConfirmExactAsync(IReadOnlyCollection<long> lineIds, string? user, CancellationToken ct)
    {
        var unmatched = await db.BankStatementLines.AsNoTracking().Where(l => l.Status == StatementLineStatus.Unmatched).ToListAsync(ct);
        var proposals = await matcher.ProposeAsync(unmatched, ct);
        var confirmed = 0;
        foreach (var p in proposals.Where(p => lineIds.Contains(p.Line.Id)))
        {
            if (p.Exact && await ConfirmAsync(p.Line, p.Options[0], user, ct) == ConfirmOutcome.Confirmed)
            {
                confirmed++;
            }
        }
        return (confirmed, lineIds.Count - confirmed);
    }

    public async Task<bool> IgnoreAsync(long lineId, string? user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.BankStatementLines.Where(l => l.Id == lineId && l.Status == StatementLineStatus.Unmatched)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, StatementLineStatus.Ignored).SetProperty(l => l.DecidedAt, now).SetProperty(l => l.DecidedBy, user), ct) == 1;
    }

    public async Task<bool> RestoreAsync(long lineId, CancellationToken ct) =>
        await db.BankStatementLines.Where(l => l.Id == lineId && l.Status == StatementLineStatus.Ignored)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, StatementLineStatus.Unmatched)
                .SetProperty(l => l.DecidedAt, (DateTime?)null).SetProperty(l => l.DecidedBy, (string?)null), ct) == 1;

    private async Task<ConfirmOutcome> ConfirmAsync(BankStatementLine line, Proposal option, string? user, CancellationToken ct)
    {
        var outcome = option.Kind == ProposalKind.DeclaredTransfer
            ? await ConfirmDeclaredAsync(line, option.CheckoutId!.Value, user, ct)
            : await ConfirmDocumentsAsync(line, option, user, ct);
        if (outcome.Outcome == ConfirmOutcome.Confirmed)
        {
            await ApplyAsync(outcome.CheckoutId!.Value, ct);
        }
        return outcome.Outcome;
    }

    /// <summary>Like Decide's Confirmar: the declaration moves Declared → Confirmed once, with the credit.</summary>
    private async Task<(ConfirmOutcome Outcome, Guid? CheckoutId)> ConfirmDeclaredAsync(BankStatementLine line, Guid checkoutId, string? user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await ClaimLineAsync(line.Id, checkoutId, user, now, ct))
        {
            return (ConfirmOutcome.AlreadyDecided, null);
        }
        var amount = await db.Checkouts.Where(c => c.Id == checkoutId).Select(c => c.Amount).SingleAsync(ct);
        var decided = amount == line.Amount && await db.TransferDeclarations.Where(t => t.CheckoutId == checkoutId && t.Status == TransferStatus.Declared)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TransferStatus.Confirmed).SetProperty(t => t.DecidedAt, now), ct) == 1;
        if (!decided)
        {
            await transaction.RollbackAsync(ct);
            return (ConfirmOutcome.NoLongerValid, null);
        }
        await transaction.CommitAsync(ct);
        return (ConfirmOutcome.Confirmed, checkoutId);
    }

    /// <summary>
    /// A transfer nobody declared: recorded the way the portal records a payment (checkout, its documents, one lock per
    /// document, which the database refuses when another checkout holds it), with a declaration already Confirmed.
    /// </summary>
    private async Task<(ConfirmOutcome Outcome, Guid? CheckoutId)> ConfirmDocumentsAsync(BankStatementLine line, Proposal option, string? user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = option.Documents.Select(d => d.Id).ToList();
        var methodId = await db.PaymentMethods.AsNoTracking().Where(m => m.Kind == GatewayKind.Transfer)
            .OrderByDescending(m => m.IsActive).ThenBy(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        var statement = await db.BankStatements.AsNoTracking().Where(s => s.Id == line.StatementId).Select(s => s.FileName).SingleAsync(ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var current = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new PendingDocument(d.Id, d.Type, d.Folio, d.IssueDate, d.DueDate, d.Total, d.Balance, false)).ToListAsync(ct);
        var customers = await db.Documents.Where(d => ids.Contains(d.Id)).Select(d => d.CustomerId).Distinct().ToListAsync(ct);
        if (current.Count != ids.Count || current.Sum(d => d.Balance) != line.Amount || customers.Count != 1 || customers[0] != option.CustomerId)
        {
            return (ConfirmOutcome.NoLongerValid, null);
        }
        var plan = PortalCheckouts.Allocate(current, line.Amount);
        var checkout = new Checkout
        {
            Purpose = CheckoutPurpose.DocumentPayment, CustomerId = option.CustomerId, Amount = line.Amount, Gateway = GatewayKind.Transfer, PaymentMethodId = methodId,
            Description = plan.Count == 1 ? $"{plan[0].Document.Type.ShortName()} N° {plan[0].Document.Folio}" : $"{plan.Count} documentos",
        };
        starter.Record(checkout);
        checkout.GatewayReference = TransferGateway.ReferenceCode(checkout.Id);
        foreach (var (document, part) in plan)
        {
            db.CheckoutDocuments.Add(new CheckoutDocument { CheckoutId = checkout.Id, DocumentId = document.Id, Amount = part });
            db.DocumentPaymentLocks.Add(new DocumentPaymentLock { DocumentId = document.Id, CheckoutId = checkout.Id, ExpiresAt = now.AddDays(7) });
        }
        db.TransferDeclarations.Add(new TransferDeclaration
        {
            CheckoutId = checkout.Id, DeclaredAmount = line.Amount, TransferDate = line.Date, DeclaredAt = now, Status = TransferStatus.Confirmed, DecidedAt = now,
            Proof = Evidence(line, statement), ProofFileName = $"cartola-abono-{line.Id}.txt", ProofContentType = "text/plain; charset=utf-8",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Another checkout took one of the documents ("pago en proceso") since the proposal was computed.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (ConfirmOutcome.NoLongerValid, null);
        }
        if (!await ClaimLineAsync(line.Id, checkout.Id, user, now, ct))
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (ConfirmOutcome.AlreadyDecided, null);
        }
        await transaction.CommitAsync(ct);
        return (ConfirmOutcome.Confirmed, checkout.Id);
    }

    /// <summary>The exactly-once guard of a credit: only the request that moves it from Unmatched goes on.</summary>
    private async Task<bool> ClaimLineAsync(long lineId, Guid checkoutId, string? user, DateTime now, CancellationToken ct) =>
        await db.BankStatementLines.Where(l => l.Id == lineId && l.Status == StatementLineStatus.Unmatched)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, StatementLineStatus.Confirmed).SetProperty(l => l.CheckoutId, checkoutId)
                .SetProperty(l => l.DecidedAt, now).SetProperty(l => l.DecidedBy, user), ct) == 1;

    /// <summary>A confirmed credit whose booking was interrupted (the app stopped after the commit) is booked now; booked twice, never.</summary>
    private async Task CompleteAsync(BankStatementLine line, CancellationToken ct)
    {
        if (line.Status == StatementLineStatus.Confirmed && line.CheckoutId is { } id
            && await db.Checkouts.AnyAsync(c => c.Id == id && c.State != CheckoutState.Succeeded, ct))
        {
            await ApplyAsync(id, ct);
        }
    }

    private async Task ApplyAsync(Guid checkoutId, CancellationToken ct)
    {
        var checkout = await db.Checkouts.AsNoTracking().SingleAsync(c => c.Id == checkoutId, ct);
        var context = await contexts.ForAsync(checkout, ct);
        var status = await gateways.Get(GatewayKind.Transfer).QueryStatusAsync(context, checkout.ForGateway(context), ct);
        await confirmation.ApplyAsync(checkoutId, status, ct);
    }

    private static byte[] Evidence(BankStatementLine line, string fileName) => Encoding.UTF8.GetBytes(
        $"""
        Abono de la cartola «{fileName}»
        Fecha: {ChileFormats.Date(line.Date)}
        Monto: {ChileFormats.Clp(line.Amount)}
        Descripción: {line.Description}
        RUT: {Rut.Format(line.SenderRut)}
        Nombre: {line.SenderName}
        Referencia: {line.Reference}

        """);
}
