using Abono.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

public sealed class NewModel(AbonoDbContext db, DocumentIssuer issuer, TimeProvider clock) : IssueFormModel(db, issuer, clock)
{
    protected override DocumentOrigin Origin => DocumentOrigin.Documentos;
    protected override int BlankLines => 3;
    public override IReadOnlyList<DocumentType> AllowedTypes => DocumentTypes.All;

    /// <summary>
    /// ?cliente=ID preselects a customer; ?tipo=61&amp;referencia=ID starts a note for a document; ?borrador=1 brings
    /// back the form being typed (Completar datos del cliente).
    /// </summary>
    public async Task OnGetAsync(long? cliente, int? tipo, long? referencia, CancellationToken ct)
    {
        if (RestoreDraft())
        {
            Input.CustomerId = cliente ?? Input.CustomerId;
            await LoadAsync(ct);
            return;
        }
        Input.Type = tipo is { } t && DocumentTypes.IsDefined(t) ? t : (int)DocumentType.Factura;
        Input.SinglePaymentForm = nameof(PaymentForm.Credito);
        Input.CustomerId = cliente;
        if (referencia is { } refId)
        {
            var reference = await Db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == refId, ct);
            if (reference is not null)
            {
                Input.ReferenceDocumentId = reference.Id;
                Input.CustomerId = reference.CustomerId;
            }
        }
        await LoadAsync(ct);
    }
}
