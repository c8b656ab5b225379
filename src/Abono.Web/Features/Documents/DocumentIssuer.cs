using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Products;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>
/// Issues a document for Documentos and Punto de venta alike: validates, computes totals in whole pesos,
/// takes the next folio and applies a nota de crédito to the document it references, all in one transaction.
/// Error keys are the command's property names (Lines[0].Quantity, Amounts[Credito]...).
/// </summary>
public sealed class DocumentIssuer(AbonoDbContext db, TimeProvider clock)
{
    public const string CustomerContactKey = "CustomerContact";

    public async Task<(Document? Document, FieldErrors Errors)> IssueAsync(IssueDocumentCommand command, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var draft = await ValidateAsync(command, errors, ct);
        if (draft is null || errors.Any)
        {
            return (null, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The counter row stays locked until commit, so concurrent issues queue here and a rollback
        // returns the folio: no gaps, no duplicates. It is the transaction's first statement on purpose
        // (SQLite takes its write lock here, before any read).
        await db.FolioCounters.Where(f => f.DocumentType == draft.Type)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastFolio, f => f.LastFolio + 1), ct);
        draft.Folio = await db.FolioCounters.Where(f => f.DocumentType == draft.Type).Select(f => f.LastFolio).SingleAsync(ct);

        if (draft.Type == DocumentType.NotaCredito)
        {
            if (!await DocumentBalances.TryReduceAsync(db, draft.ReferenceDocumentId!.Value, draft.Total, ct))
            {
                await transaction.RollbackAsync(ct);
                errors.Add(nameof(command.ReferenceDocumentId), "El saldo del documento referenciado cambió y ya no alcanza para esta nota de crédito.");
                return (null, errors);
            }
        }

        db.Documents.Add(draft);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (draft, errors);
    }

    /// <summary>Checks everything and returns the document to insert (without folio), or null with errors.</summary>
    public async Task<Document?> ValidateAsync(IssueDocumentCommand command, FieldErrors errors, CancellationToken ct = default)
    {
        if (command.Type is not { } code || !DocumentTypes.IsDefined(code))
        {
            errors.Add(nameof(command.Type), "Elige el tipo de documento.");
            return null;
        }
        var type = (DocumentType)code;
        var today = ChileFormats.Today(clock);

        Document? reference = null;
        if (type.IsNote())
        {
            reference = command.ReferenceDocumentId is { } refId
                ? await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == refId, ct)
                : null;
            if (reference is null)
            {
                errors.Add(nameof(command.ReferenceDocumentId), "Elige el documento al que se refiere la nota.");
            }
            else if (reference.Type == DocumentType.NotaCredito)
            {
                errors.Add(nameof(command.ReferenceDocumentId), "Una nota no puede referirse a una nota de crédito.");
                reference = null;
            }
            if (command.ReferenceReason?.Length > 200)
            {
                errors.Add(nameof(command.ReferenceReason), "Máximo 200 caracteres.");
            }
            errors.RefuseControlCharacters(nameof(command.ReferenceReason), Rules.Clean(command.ReferenceReason));
        }

        var customerId = reference?.CustomerId ?? command.CustomerId;
        Customer? customer = customerId is { } cid
            ? await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cid, ct)
            : null;
        if (customerId is not null && customer is null && reference is null)
        {
            errors.Add(nameof(command.CustomerId), "El cliente no existe.");
        }
        else if (customer is null && type is DocumentType.Factura or DocumentType.FacturaExenta)
        {
            errors.Add(nameof(command.CustomerId), "Una factura requiere un cliente.");
        }

        if (command.IssueDate is not { } issueDate)
        {
            errors.Add(nameof(command.IssueDate), "Ingresa la fecha de emisión.");
            issueDate = today;
        }
        else if (!IssueLimits.IsPlausible(issueDate))
        {
            // Checked first: the due date is computed from it, and 9999-12-31 plus a few days does not exist.
            errors.Add(nameof(command.IssueDate), IssueLimits.DateRangeMessage("emisión"));
            issueDate = today;
        }
        else if (issueDate > today)
        {
            errors.Add(nameof(command.IssueDate), "La fecha de emisión no puede ser futura.");
        }
        else if (issueDate < today.AddYears(-5))
        {
            errors.Add(nameof(command.IssueDate), "La fecha de emisión es demasiado antigua.");
        }
        // A nota de crédito is owed by no one: it has no due date of its own (kept equal to its issue date).
        var dueDate = type == DocumentType.NotaCredito ? issueDate : command.DueDate ?? issueDate.AddDays(customer?.CreditDays ?? 0);
        if (!IssueLimits.IsPlausible(dueDate))
        {
            errors.Add(nameof(command.DueDate), IssueLimits.DateRangeMessage("vencimiento"));
        }
        else if (dueDate < issueDate)
        {
            errors.Add(nameof(command.DueDate), "La fecha de vencimiento no puede ser anterior a la emisión.");
        }
        else if (dueDate > issueDate.AddYears(5))
        {
            errors.Add(nameof(command.DueDate), "La fecha de vencimiento no puede superar 5 años desde la emisión.");
        }

        var lines = await ValidateLinesAsync(command, type, errors, ct);
        if (lines.Count == 0)
        {
            return null;
        }

        var totals = TaxCalculator.Compute(type, lines.Select(l => new LineAmount(l.Quantity, l.UnitPrice, l.IsExempt)));
        if (totals.Total <= 0)
        {
            errors.Add(nameof(command.Lines), "El total del documento debe ser mayor que cero.");
            return null;
        }

        var payments = type == DocumentType.NotaCredito ? [] : ValidatePayments(command, totals.Total, errors);
        var credit = payments.Where(p => p.Form == PaymentForm.Credito).Sum(p => p.Amount);

        if (reference is not null && type == DocumentType.NotaCredito && totals.Total > reference.Balance)
        {
            errors.Add(nameof(command.Lines),
                $"La nota de crédito ({ChileFormats.Clp(totals.Total)}) supera el saldo del documento referenciado ({ChileFormats.Clp(reference.Balance)}).");
        }

        if (credit > 0)
        {
            CheckCreditCustomer(customer, errors);
        }

        if (errors.Any)
        {
            return null;
        }

        return new Document
        {
            Type = type,
            CustomerId = customer?.Id,
            IssueDate = issueDate,
            DueDate = dueDate,
            Net = totals.Net,
            Exempt = totals.Exempt,
            Tax = totals.Tax,
            Total = totals.Total,
            Balance = credit,
            ReferenceDocumentId = reference?.Id,
            ReferenceReason = type.IsNote() ? Rules.Clean(command.ReferenceReason) : null,
            Origin = command.Origin,
            CreatedByUserId = command.UserId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Lines = lines,
            Payments = payments,
        };
    }

    /// <summary>The product's rule (docs/product.md): a document on crédito needs a customer the portal can reach.</summary>
    private static void CheckCreditCustomer(Customer? customer, FieldErrors errors)
    {
        if (customer is null)
        {
            errors.Add(nameof(IssueDocumentCommand.CustomerId), "Para emitir con forma de pago Crédito debes elegir un cliente.");
            return;
        }
        var missing = new List<string>();
        if (!Rules.IsValidEmail(customer.Email))
        {
            missing.Add("un correo electrónico válido");
        }
        if (!ChileanPhone.TryNormalize(customer.Phone, out _))
        {
            missing.Add("un teléfono válido");
        }
        if (missing.Count > 0)
        {
            errors.Add(CustomerContactKey,
                $"Para emitir con forma de pago Crédito, el cliente {customer.Name} debe tener {string.Join(" y ", missing)}.");
        }
    }

    private async Task<List<DocumentLine>> ValidateLinesAsync(IssueDocumentCommand command, DocumentType type, FieldErrors errors, CancellationToken ct)
    {
        var lines = new List<DocumentLine>();
        if (command.Lines.Count > IssueLimits.MaxLines)
        {
            errors.Add(nameof(command.Lines), $"Un documento puede tener hasta {IssueLimits.MaxLines} líneas.");
            return lines;
        }
        var productIds = command.Lines.Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var products = productIds.Count == 0
            ? new Dictionary<long, Product>()
            : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);

        var valid = true;
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var input = command.Lines[i];
            if (input.IsBlank)
            {
                continue;
            }
            var key = $"Lines[{i}]";
            Product? product = null;
            if (input.ProductId is { } pid && !products.TryGetValue(pid, out product))
            {
                errors.Add($"{key}.ProductId", "El producto no existe.");
                valid = false;
            }
            var description = Rules.Clean(input.Description) ?? product?.Name;
            var unitPrice = input.UnitPrice ?? product?.UnitPrice;
            if (description is null)
            {
                errors.Add($"{key}.Description", "Ingresa la descripción.");
                valid = false;
            }
            else if (description.Length > IssueLimits.MaxDescription)
            {
                errors.Add($"{key}.Description", $"Máximo {IssueLimits.MaxDescription} caracteres.");
                valid = false;
            }
            else if (errors.RefuseControlCharacters($"{key}.Description", description))
            {
                valid = false;
            }
            if (input.Quantity is not { } quantity || quantity <= 0)
            {
                errors.Add($"{key}.Quantity", "La cantidad debe ser mayor que cero.");
                valid = false;
                quantity = 0;
            }
            else if (quantity > IssueLimits.MaxQuantity)
            {
                errors.Add($"{key}.Quantity", $"La cantidad no puede superar {IssueLimits.MaxQuantity.ToString("#,0", ChileFormats.Numbers)}.");
                valid = false;
            }
            if (unitPrice is not { } price || price <= 0)
            {
                errors.Add($"{key}.UnitPrice", "El precio debe ser mayor que cero.");
                valid = false;
                price = 0;
            }
            else if (price > IssueLimits.MaxUnitPrice)
            {
                errors.Add($"{key}.UnitPrice", $"El precio no puede superar {ChileFormats.Clp(IssueLimits.MaxUnitPrice)}.");
                valid = false;
            }
            if (valid)
            {
                var exempt = type.IsExempt() || input.IsExempt || (product?.IsExempt ?? false);
                lines.Add(new DocumentLine
                {
                    LineNumber = lines.Count + 1,
                    ProductId = product?.Id,
                    Description = description!,
                    Quantity = quantity,
                    UnitPrice = price,
                    IsExempt = exempt,
                    Amount = quantity * price,
                });
            }
        }
        if (!valid)
        {
            return [];
        }
        if (lines.Count == 0)
        {
            errors.Add(nameof(command.Lines), "Agrega al menos una línea con descripción, cantidad y precio.");
        }
        return lines;
    }

    private static List<DocumentPayment> ValidatePayments(IssueDocumentCommand command, long total, FieldErrors errors)
    {
        if (command.SinglePaymentForm is { } single)
        {
            if (!Enum.IsDefined(single))
            {
                errors.Add(nameof(command.SinglePaymentForm), "Elige una forma de pago.");
                return [];
            }
            return [new DocumentPayment { Form = single, Amount = total }];
        }

        var payments = new List<DocumentPayment>();
        long sum = 0;
        foreach (var (form, amount) in command.Amounts)
        {
            if (!Enum.IsDefined(form) || amount is null or 0)
            {
                continue;
            }
            if (amount < 0 || amount > total)
            {
                errors.Add($"Amounts[{form}]", "El monto debe estar entre cero y el total del documento.");
                return [];
            }
            sum += amount.Value;
            payments.Add(new DocumentPayment { Form = form, Amount = amount.Value });
        }
        if (payments.Count == 0)
        {
            errors.Add(nameof(command.SinglePaymentForm), "Elige la forma de pago.");
        }
        else if (sum != total)
        {
            errors.Add(nameof(command.Amounts),
                $"Las formas de pago suman {ChileFormats.Clp(sum)} y el total del documento es {ChileFormats.Clp(total)}.");
        }
        return payments.OrderBy(p => p.Form).ToList();
    }
}
