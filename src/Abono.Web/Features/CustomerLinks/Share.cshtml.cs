using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Abono.Web.Features.CustomerLinks;

/// <summary>The customer-link dialog: link with Copiar, QR, Enviar por correo, WhatsApp and Regenerar.</summary>
public sealed class ShareModel(AbonoDbContext db, CustomerPortalLinks links, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "volver")]
    public string? Volver { get; set; }

    public Customer? Customer { get; private set; }
    public string? Link { get; private set; }
    public DateTime? ExpiresAt { get; private set; }
    public string QrDataUri { get; private set; } = "";
    public string? WhatsAppUrl { get; private set; }
    public long Balance { get; private set; }

    /// <summary>Sent by a document's "Enviar link de pago": after the email, back to <see cref="Volver"/> (the document).</summary>
    [BindProperty(Name = "regresar")]
    public bool BackWhenSent { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadCustomerAsync(ct))
        {
            return NotFound();
        }
        if (await PortalActiveAsync(ct))
        {
            var (token, expires) = await links.CurrentOrNewAsync(Id, ct);
            Show(token, expires);
        }
        return Page();
    }

    /// <summary>"Crear link de pago" on a document: the customer's link (made now if there is none), then back to the document.</summary>
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!await LoadCustomerAsync(ct) || !await PortalActiveAsync(ct))
        {
            return NotFound();
        }
        await links.CurrentOrNewAsync(Id, ct);
        TempData["Flash"] = $"Creamos el link de pago de {Customer!.Name}.";
        return Redirect(Volver ?? Self());
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken ct)
    {
        if (!await LoadCustomerAsync(ct) || !await PortalActiveAsync(ct))
        {
            return NotFound();
        }
        await links.RegenerateAsync(Id, ct);
        TempData["Flash"] = "Generamos un enlace nuevo. El anterior ya no funciona.";
        return Redirect(Self());
    }

    public async Task<IActionResult> OnPostEmailAsync(CancellationToken ct)
    {
        if (!await LoadCustomerAsync(ct) || !await PortalActiveAsync(ct))
        {
            return NotFound();
        }
        if (Customer!.Email is null)
        {
            TempData["Flash"] = "El cliente no tiene correo registrado.";
            return Redirect(AfterEmail());
        }
        var (token, _) = await links.CurrentOrNewAsync(Id, ct);
        var portal = await db.PortalConfigurations.AsNoTracking().SingleAsync(ct);
        var mail = await BrandedEmail.LoadAsync(db, portal.CompanyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        var pending = await db.Documents.AsNoTracking().Where(d => d.CustomerId == Id && d.Balance > 0).OrderBy(d => d.DueDate).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        db.Outbox.Add(OutboxMessage.Email(portal.CompanyId, CustomerLinkEmail.Message(mail, portal.Name, Customer, Balance, pending, links.Url(token)), now));
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"Enviamos el enlace a {Customer.Email}.";
        return Redirect(AfterEmail());
    }

    private string AfterEmail() => BackWhenSent && Volver is not null ? Volver : Self();

    private string Self() => $"/clientes/{Id}/portal" + (Url.IsLocalUrl(Volver) ? $"?volver={Uri.EscapeDataString(Volver!)}" : "");

    private async Task<bool> LoadCustomerAsync(CancellationToken ct)
    {
        if (!Url.IsLocalUrl(Volver))
        {
            Volver = null;
        }
        Customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, ct);
        Balance = Customer is null ? 0 : await db.Documents.Where(d => d.CustomerId == Id && d.Balance > 0).SumAsync(d => d.Balance, ct);
        return Customer is not null;
    }

    private Task<bool> PortalActiveAsync(CancellationToken ct) => links.PortalActiveAsync(ct);

    private void Show(string token, DateTime? expires)
    {
        Link = links.Url(token);
        ExpiresAt = expires;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(Link, QRCodeGenerator.ECCLevel.M);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        WhatsAppUrl = CustomerPortalLinks.WhatsAppUrl(Customer!.Phone, $"Hola {Customer.Name}, puedes pagar tus documentos pendientes aquí: {Link}");
    }
}
