using Abono.Web.Data;
using Abono.Web.Features.Documents.Import;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>Descargar XML: the DTE exactly as it was imported, byte for byte, with its own encoding as the charset.</summary>
public sealed class XmlModel(AbonoDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var xml = await db.DocumentXmls.AsNoTracking().SingleOrDefaultAsync(x => x.DocumentId == id, ct);
        if (xml is null)
        {
            return NotFound();
        }
        var document = await db.Documents.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.Type, d.Folio }).SingleAsync(ct);
        return File(xml.Content, $"application/xml; charset={DteXmlCharset.Of(xml.Content)}", DteXmlCharset.FileName(document.Type, document.Folio));
    }
}
