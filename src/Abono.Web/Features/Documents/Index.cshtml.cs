using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Documents;

public sealed class IndexModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Tipo { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cliente { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Desde { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Hasta { get; set; }
    [BindProperty(SupportsGet = true)] public string? Estado { get; set; }
    [BindProperty(SupportsGet = true, Name = "pagina")] public int Pagina { get; set; } = 1;

    public DateOnly Today { get; private set; }
    public string? FilterError { get; private set; }
    public Paged<DocumentRow> Results { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public bool HasFilters => Tipo is not null || !string.IsNullOrWhiteSpace(Cliente) || Desde is not null || Hasta is not null || !string.IsNullOrEmpty(Estado);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = ChileFormats.Today(clock);
        if (!ModelState.IsValid)
        {
            FilterError = "Algunos filtros no son válidos y se ignoraron.";
        }
        var query = db.Documents.AsQueryable();
        if (Tipo is { } tipo && DocumentTypes.IsDefined(tipo))
        {
            var type = (DocumentType)tipo;
            query = query.Where(d => d.Type == type);
        }
        var term = Cliente?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            var search = SearchText.Normalize(term.Length > 100 ? term[..100] : term);
            var exact = Rut.TryParse(term, out var rut) ? rut.Normalized : null;
            // A number alone may also be the folio ("1234" or "N° 1234").
            long? folio = long.TryParse(term.TrimStart('N', 'n', '°', 'º', ' ').Replace(".", ""), out var f) && f > 0 ? f : null;
            query = query.Where(d => (folio != null && d.Folio == folio)
                || (d.Customer != null && (d.Customer.Rut == exact || d.Customer.SearchName.Contains(search))));
        }
        if (Desde is { } from)
        {
            query = query.Where(d => d.IssueDate >= from);
        }
        if (Hasta is { } to)
        {
            query = query.Where(d => d.IssueDate <= to);
        }
        if (Desde > Hasta)
        {
            FilterError = "La fecha «desde» es posterior a «hasta».";
        }
        var today = Today;
        query = Estado switch
        {
            "pagado" => query.Where(d => d.Balance == 0 && d.Type != DocumentType.NotaCredito),
            "aplicada" => query.Where(d => d.Type == DocumentType.NotaCredito),
            "pendiente" => query.Where(d => d.Balance > 0 && d.DueDate >= today),
            "vencido" => query.Where(d => d.Balance > 0 && d.DueDate < today),
            _ => query,
        };
        Results = await query
            .OrderByDescending(d => d.IssueDate).ThenByDescending(d => d.Id)
            .Select(d => new DocumentRow(d.Id, d.Type, d.Folio, d.Customer == null ? null : d.Customer.Name, d.IssueDate, d.DueDate, d.Total, d.Balance,
                d.CededToName, d.Claim))
            .ToPagedAsync(Pagina, ct: ct);
    }

    public sealed record DocumentRow(long Id, DocumentType Type, long Folio, string? CustomerName, DateOnly IssueDate, DateOnly DueDate, long Total, long Balance,
        string? CededToName = null, DocumentClaim? Claim = null)
    {
        public DocumentStatus Status(DateOnly today) => Document.StatusOf(Type, Balance, DueDate, today);

        /// <summary>For the business only ("en plazo de reclamo"); the payer never sees it.</summary>
        public bool InClaimWindow(DateOnly today) => DocumentClaims.WithinWindow(Type, IssueDate, Claim, today);
    }
}
