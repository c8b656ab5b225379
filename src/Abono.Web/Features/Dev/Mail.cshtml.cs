using Abono.Web.Features.Account;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Tenancy;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;

namespace Abono.Web.Features.Dev;

/// <summary>
/// Development only: the emails written to the pickup folder, with their HTML part shown as a mail client would. Each
/// company sees only the mail sent for it (the folder is shared by every company of the instance, and a newcomer's
/// first look should not be other businesses' customers); Abono's operators see all of it.
/// </summary>
public sealed class MailModel(IHostEnvironment environment, IServiceProvider services, TenantContext tenant) : PageModel
{
    public string Folder { get; private set; } = "";
    public List<(string Name, MimeMessage Message)> Messages { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (Pickup() is not { } pickup)
        {
            return NotFound();
        }
        Folder = pickup.Folder;
        Messages = pickup.List(Visible).ToList();
        return Page();
    }

    /// <summary>
    /// One email's HTML part, for the sandboxed frame on the page. Inline images (cid:) become data: URIs, since the
    /// browser cannot resolve cid: and the frame's policy allows no other requests.
    /// </summary>
    public IActionResult OnGetHtml(string? name)
    {
        if (Pickup() is not { } pickup || pickup.Load(name, Visible) is not { } message || message.HtmlBody is not { } html)
        {
            return NotFound();
        }
        foreach (var part in message.BodyParts.OfType<MimePart>().Where(p => !string.IsNullOrEmpty(p.ContentId) && p.Content is not null))
        {
            using var content = new MemoryStream();
            part.Content!.DecodeTo(content);
            html = html.Replace($"cid:{part.ContentId}", $"data:{part.ContentType.MimeType};base64,{Convert.ToBase64String(content.ToArray())}", StringComparison.OrdinalIgnoreCase);
        }
        SecurityHeadersMiddleware.ServeAsFramedDocument(HttpContext);
        return Content(html, "text/html; charset=utf-8");
    }

    private bool Visible(MimeMessage message) =>
        User.IsInRole(Roles.Operador) || (tenant.HasCompany && PickupFolderEmailSender.CompanyOf(message) == tenant.CompanyId);

    private PickupFolderEmailSender? Pickup() =>
        environment.IsDevelopment() ? services.GetService<PickupFolderEmailSender>() : null;
}
