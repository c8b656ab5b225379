using System.Linq.Expressions;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents;

/// <summary>
/// Whether Abono may collect a document for the business: not while it is ceded (it belongs to the factoring company,
/// and a payer who pays the issuer may have to pay twice) nor while the buyer's claim stands. One rule for the portal,
/// partial-payment allocation, confirmation, reminders, the API and the reports.
/// </summary>
public static class DocumentCollection
{
    /// <summary>For queries (EF translates it).</summary>
    public static readonly Expression<Func<Document, bool>> Collectible = d => d.CededToRut == null && d.Claim == null;

    public static bool IsCollectible(string? cededToRut, DocumentClaim? claim) => cededToRut is null && claim is null;

    public static bool IsCollectible(this Document d) => IsCollectible(d.CededToRut, d.Claim);

    /// <summary>What the payer reads instead of a checkbox (the text the issue fixes word for word for a cesión).</summary>
    public static string? PayerMessage(string? cededToRut, string? cededToName, DocumentClaim? claim) =>
        cededToRut is not null
            ? $"Esta factura fue cedida a {cededToName} ({Rut.Format(cededToRut)}). Págala directamente a ellos."
            : claim is not null
                ? "Esta factura está en revisión por parte de la empresa. Por ahora no se puede pagar aquí."
                : null;

    public static string? PayerMessage(this Document d) => PayerMessage(d.CededToRut, d.CededToName, d.Claim);
}
