using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Import;

[Authorize(Policy = Policies.Administrador)]
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
public sealed class IndexModel(CsvImporter importer) : PageModel
{
    public const int MaxBytes = 50 * 1024 * 1024;

    [BindProperty] public IFormFile? Archivo { get; set; }
    [BindProperty] public ImportKind Tipo { get; set; } = ImportKind.Customers;
    [BindProperty] public ImportMode Modo { get; set; } = ImportMode.AllOrNothing;

    public string? FileError { get; private set; }
    public ImportResult? Result { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Archivo is null || Archivo.Length == 0)
        {
            FileError = "Elige un archivo CSV.";
            return Page();
        }
        if (!Enum.IsDefined(Tipo) || !Enum.IsDefined(Modo))
        {
            FileError = "Elige qué importas y qué hacer con las filas con errores.";
            return Page();
        }
        using var buffer = new MemoryStream();
        await Archivo.CopyToAsync(buffer, ct);
        var content = buffer.ToArray();
        Result = CsvPreflight.Refusal(content) ?? await importer.ImportAsync(Tipo, content, Modo, ct: ct);
        return Page();
    }
}
