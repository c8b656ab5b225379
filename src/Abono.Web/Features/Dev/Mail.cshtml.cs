using Abono.Web.Platform.Email;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;

namespace Abono.Web.Features.Dev;

/// <summary>Development only: the emails written to the pickup folder.</summary>
public sealed class MailModel(IHostEnvironment environment, IServiceProvider services) : PageModel
{
    public string Folder { get; private set; } = "";
    public List<(string Name, MimeMessage Message)> Messages { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (!environment.IsDevelopment() || services.GetService<PickupFolderEmailSender>() is not { } pickup)
        {
            return NotFound();
        }
        Folder = pickup.Folder;
        Messages = pickup.List().ToList();
        return Page();
    }
}
