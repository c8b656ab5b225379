using Abono.Web.Features.Documents.Import;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Documents;

/// <summary>
/// Documentos → Importar XML: DTE, EnvioDTE and AEC files, or a .zip of them. Without JavaScript the form posts
/// everything at once and the page shows the report; with it, the page posts the files in small batches to
/// ?handler=Batch and appends each batch's rows (the same partial) to a live table with a progress bar.
/// </summary>
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
// Imports change the books and, through AEC files, who the portal tells payers to pay: administrators only, like Importar CSV.
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Platform.Web.Policies.Administrador)]
public sealed class ImportXmlModel(DteImporter importer) : PageModel
{
    /// <summary>A .zip of 10,000 DTEs is about 40 MB; the reader's own caps apply to what is inside.</summary>
    public const int MaxBytes = 100 * 1024 * 1024;

    [BindProperty] public List<IFormFile> Archivos { get; set; } = [];

    public string? FileError { get; private set; }
    public DteImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await ImportAsync(ct);
        return Page();
    }

    /// <summary>One batch of the JavaScript upload: the rows of its report, to append to the live table.</summary>
    public async Task<IActionResult> OnPostBatchAsync(CancellationToken ct)
    {
        if (!await ImportAsync(ct))
        {
            return BadRequest(FileError ?? "");
        }
        return Partial("_DteImportResults", Report);
    }

    private async Task<bool> ImportAsync(CancellationToken ct)
    {
        var files = Archivos.Where(f => f.Length > 0).ToList();
        if (files.Count == 0)
        {
            FileError = "Elige uno o más archivos XML, o un .zip con ellos.";
            return false;
        }
        var uploads = new List<DteImportFile>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream((int)Math.Min(file.Length, MaxBytes));
            await file.CopyToAsync(buffer, ct);
            uploads.Add(new DteImportFile(Path.GetFileName(file.FileName), buffer.ToArray()));
        }
        Report = await importer.ImportAsync(uploads, new DteImportOptions { RecordedBy = User.Identity?.Name }, ct: ct);
        return true;
    }
}
