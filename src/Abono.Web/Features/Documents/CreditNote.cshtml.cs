using Abono.Web.Data;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>
/// Emitir nota de crédito, from a factura's detail: starts from the factura's lines and customer and refers to it. A nota
/// has no forma de pago and no due date; the issuer takes its total off the factura's balance (DocumentBalances), as
/// every nota de crédito.
/// </summary>
public sealed class CreditNoteModel(AbonoDbContext db, DocumentIssuer issuer, TimeProvider clock) : IssueFormModel(db, issuer, clock)
{
    private static readonly DocumentType[] Types = [DocumentType.NotaCredito];

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>The factura the nota refers to, with its customer and lines.</summary>
    public Document? Factura { get; private set; }

    protected override DocumentOrigin Origin => DocumentOrigin.Documentos;
    protected override int BlankLines => 1;
    public override IReadOnlyList<DocumentType> AllowedTypes => Types;
    public override string IssueLabel => "Emitir nota de crédito";

    /// <summary>Before every handler: what the form does not let anyone change, whatever is posted.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Factura = await Db.Documents.AsNoTracking()
            .Include(d => d.Customer)
            .Include(d => d.Lines)
            .AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == Id, context.HttpContext.RequestAborted);
        if (Factura is null || !Factura.Type.IsFactura())
        {
            context.Result = NotFound();
            return;
        }
        Input.Type = (int)DocumentType.NotaCredito;
        Input.ReferenceDocumentId = Factura.Id;
        Input.CustomerId = Factura.CustomerId;
        Input.DueDate = null;
        Input.SinglePaymentForm = null;
        Input.Amounts.Clear();
        Input.QuickProductId = null;
        await next();
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.Lines = Factura!.Lines.OrderBy(l => l.LineNumber).Select(l => new IssueLine
        {
            ProductId = l.ProductId,
            Description = l.Description,
            Quantity = l.Quantity,
            UnitPrice = l.UnitPrice,
            IsExempt = l.IsExempt,
        }).ToList();
        await LoadAsync(ct);
    }
}
