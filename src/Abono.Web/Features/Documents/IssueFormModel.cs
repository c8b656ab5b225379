using System.Security.Claims;
using System.Text.Json;
using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Products;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>
/// What Documentos → Nuevo and Punto de venta share: the customer picker, the lines, formas de pago and
/// the buttons that work without JavaScript (buscar cliente, agregar línea, calcular, emitir).
/// </summary>
public abstract class IssueFormModel(AbonoDbContext db, DocumentIssuer issuer, TimeProvider clock) : PageModel
{
    [BindProperty]
    public DocumentForm Input { get; set; } = new();

    public Customer? SelectedCustomer { get; private set; }
    public List<Customer> CustomerMatches { get; private set; } = [];
    public bool SearchedCustomers { get; private set; }
    public List<Product> Products { get; private set; } = [];
    public List<ReferenceOption> ReferenceOptions { get; private set; } = [];
    public DocumentTotals? Totals { get; private set; }

    protected abstract DocumentOrigin Origin { get; }
    protected abstract int BlankLines { get; }
    public abstract IReadOnlyList<DocumentType> AllowedTypes { get; }

    public virtual string IssueLabel => "Emitir documento";

    /// <summary>For documentos.js, from the same rules as <see cref="TaxCalculator"/>: every line exempt, prices with IVA included.</summary>
    public static readonly string ExemptTypeCodes = string.Join(",", DocumentTypes.All.Where(t => t.IsExempt()).Select(t => (int)t));
    public static readonly string GrossPriceTypeCodes = string.Join(",", DocumentTypes.All.Where(t => t.PricesIncludeTax()).Select(t => (int)t));

    /// <summary>The form as typed, kept while the customer's data is completed (Completar datos del cliente).</summary>
    private const string DraftKey = "IssueDraft";

    /// <summary>The query that brings the kept form back when the customer page returns here.</summary>
    public const string DraftQuery = "borrador";

    protected DateOnly Today => ChileFormats.Today(clock);

    protected AbonoDbContext Db => db;

    public async Task<IActionResult> OnPostSearchCustomerAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var term = Input.CustomerQuery?.Trim();
        SearchedCustomers = true;
        if (!string.IsNullOrEmpty(term))
        {
            if (term.Length > 100)
            {
                term = term[..100];
            }
            var lower = term.ToLowerInvariant();
            var exact = Rut.TryParse(term, out var rut) ? rut.Normalized : null;
            CustomerMatches = await db.Customers.AsNoTracking()
                .Where(c => c.Rut == exact || c.Name.ToLower().Contains(lower) || c.Rut.StartsWith(lower))
                .OrderBy(c => c.Name).Take(10).ToListAsync(ct);
            if (CustomerMatches.Count == 1)
            {
                Input.CustomerId = CustomerMatches[0].Id;
                CustomerMatches.Clear();
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostClearCustomerAsync(CancellationToken ct)
    {
        ModelState.Clear();
        Input.CustomerId = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAddLineAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (Input.Lines.Count < IssueLimits.MaxLines)
        {
            Input.Lines.Add(new IssueLine { Quantity = 1 });
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostQuickAddAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var product = Input.QuickProductId is { } id
            ? await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct)
            : null;
        if (product is null)
        {
            ModelState.AddModelError("Input.QuickProductId", "Elige un producto del catálogo.");
        }
        else if (Input.QuickQuantity is not > 0 || Input.QuickQuantity > IssueLimits.MaxQuantity)
        {
            ModelState.AddModelError("Input.QuickQuantity", "La cantidad debe ser mayor que cero.");
        }
        else
        {
            Input.Lines.RemoveAll(l => l.IsBlank);
            if (Input.Lines.Count < IssueLimits.MaxLines)
            {
                Input.Lines.Add(new IssueLine
                {
                    ProductId = product.Id,
                    Description = product.Name,
                    Quantity = Input.QuickQuantity,
                    UnitPrice = product.UnitPrice,
                    IsExempt = product.IsExempt,
                });
            }
            Input.QuickProductId = null;
            Input.QuickQuantity = 1;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveLineAsync(int index, CancellationToken ct)
    {
        ModelState.Clear();
        if (index >= 0 && index < Input.Lines.Count)
        {
            Input.Lines.RemoveAt(index);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCalculateAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var errors = new Platform.Validation.FieldErrors();
        var draft = await issuer.ValidateAsync(Input.ToCommand(Origin, UserId), errors, ct);
        errors.CopyTo(ModelState, nameof(Input));
        if (draft is not null)
        {
            Totals = new DocumentTotals(draft.Net, draft.Exempt, draft.Tax, draft.Total);
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// Completar datos del cliente: keeps the form (its lines above all) for the way back, then opens the customer's
    /// page, which returns here with ?cliente=ID&amp;borrador=1 once saved.
    /// </summary>
    public async Task<IActionResult> OnPostCompleteCustomerAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (Input.CustomerId is not { } id || !await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            await LoadAsync(ct);
            return Page();
        }
        Input.Lines.RemoveAll(l => l.IsBlank);
        Input.CustomerQuery = null;
        TempData[DraftKey] = JsonSerializer.Serialize(Input);
        var back = $"{Request.Path}?cliente={id}&{DraftQuery}=1";
        return Redirect($"/clientes/{id}/editar?volver={Uri.EscapeDataString(back)}");
    }

    /// <summary>
    /// On GET: the form kept by <see cref="OnPostCompleteCustomerAsync"/> when the page was asked for it (?borrador=1).
    /// A kept form is read once either way, so an abandoned one never turns up in a later sale.
    /// </summary>
    protected bool RestoreDraft()
    {
        var json = TempData[DraftKey] as string;
        if (json is null || Request.Query[DraftQuery] != "1")
        {
            return false;
        }
        try
        {
            if (JsonSerializer.Deserialize<DocumentForm>(json) is not { } draft)
            {
                return false;
            }
            Input = draft;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Where a successful issue goes: the document's detail (Punto de venta shows the sale instead).</summary>
    protected virtual string AfterIssueUrl(Document document) => $"/documentos/{document.Id}";

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken ct)
    {
        // Binding problems ("abc" in a number) are reported together with the business rules.
        var bindingErrors = ModelState.Where(e => e.Value?.Errors.Count > 0).ToList();
        if (Input.Type is { } t && !AllowedTypes.Contains((DocumentType)t))
        {
            ModelState.AddModelError("Input.Type", "Ese tipo de documento no se emite desde aquí.");
            await LoadAsync(ct);
            return Page();
        }
        var (document, errors) = bindingErrors.Count == 0
            ? await issuer.IssueAsync(Input.ToCommand(Origin, UserId), ct)
            : (null, new Platform.Validation.FieldErrors());
        if (document is null)
        {
            errors.CopyTo(ModelState, nameof(Input));
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = $"{document.Type.Name()} N° {document.Folio} emitida por {ChileFormats.Clp(document.Total)}.";
        return Redirect(AfterIssueUrl(document));
    }

    protected Guid? UserId =>
        Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    protected async Task LoadAsync(CancellationToken ct)
    {
        if (Input.Lines.Count == 0)
        {
            for (var i = 0; i < BlankLines; i++)
            {
                Input.Lines.Add(new IssueLine());
            }
        }
        Input.IssueDate ??= Today;
        SelectedCustomer = Input.CustomerId is { } cid
            ? await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cid, ct)
            : null;
        if (SelectedCustomer is null)
        {
            Input.CustomerId = null;
        }
        Products = await db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).Take(500).ToListAsync(ct);
        if (SelectedCustomer is not null)
        {
            ReferenceOptions = await db.Documents.AsNoTracking()
                .Where(d => d.CustomerId == SelectedCustomer.Id && d.Type != DocumentType.NotaCredito)
                .OrderByDescending(d => d.Id).Take(100)
                .Select(d => new ReferenceOption(d.Id, d.Type, d.Folio, d.Total, d.Balance))
                .ToListAsync(ct);
        }
    }

    public sealed record ReferenceOption(long Id, DocumentType Type, long Folio, long Total, long Balance)
    {
        public string Label => $"{Type.ShortName()} N° {Folio} — total {ChileFormats.Clp(Total)}, saldo {ChileFormats.Clp(Balance)}";
    }
}
