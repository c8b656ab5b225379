using Abono.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer.Cartola;

/// <summary>
/// Reportes → Pagos → Conciliar cartola: upload the bank's export, see what each credit pays, confirm (one by one or
/// the exact ones in bulk), ignore. Every figure and every proposal is recomputed on the server at each POST; a form
/// only names a credit and the proposal the user saw.
/// </summary>
[RequestSizeLimit(RequestLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = RequestLimit, ValueLengthLimit = RequestLimit)]
public sealed class ReconcileModel(AbonoDbContext db, CartolaImport import, CartolaMatcher matcher, CartolaConfirmations confirmations) : PageModel
{
    // The file once, or its base64 in the mapping step (4/3 of it), plus the form.
    private const int RequestLimit = CartolaReader.MaxBytes * 3 / 2 + 64 * 1024;
    private const int Shown = 100;

    [BindProperty] public IFormFile? Archivo { get; set; }
    [BindProperty] public string Banco { get; set; } = "auto";

    /// <summary>The mapping step carries the file it maps (read and checked again, like a new upload).</summary>
    [BindProperty] public string? Contenido { get; set; }
    [BindProperty] public string? NombreArchivo { get; set; }
    [BindProperty] public MappingInput Mapeo { get; set; } = new();

    [BindProperty(SupportsGet = true)] public long? Cartola { get; set; }
    [BindProperty(SupportsGet = true)] public string? Estado { get; set; }
    [BindProperty(SupportsGet = true)] public string? Buscar { get; set; }

    public string? FileError { get; private set; }
    public string? MappingError { get; private set; }
    public List<string> Warnings { get; private set; } = [];
    public bool Mapping { get; private set; }
    public List<string[]> Preview { get; private set; } = [];
    public int PreviewColumns { get; private set; }

    public List<BankStatement> Statements { get; private set; } = [];
    public BankStatement? Selected { get; private set; }
    public List<LineProposals> Exact { get; private set; } = [];
    public List<LineProposals> Suggestions { get; private set; } = [];
    public List<LineProposals> Unmatched { get; private set; } = [];
    public (int Exact, int Suggestions, int Unmatched) Counts { get; private set; }
    public List<BankStatementLine> Credits { get; private set; } = [];
    public int CreditTotal { get; private set; }

    public sealed class MappingInput
    {
        public int HeaderRow { get; set; } = 1;
        public int? Date { get; set; }
        public int? Credit { get; set; }
        public int? Description { get; set; }
        public int? Rut { get; set; }
        public int? Name { get; set; }
        public int? Reference { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        if (Archivo is null || Archivo.Length == 0)
        {
            return await FailAsync("Elige el archivo de la cartola (CSV o Excel).", ct);
        }
        if (Archivo.Length > CartolaReader.MaxBytes)
        {
            return await FailAsync($"La cartola puede pesar hasta {CartolaReader.MaxBytes / 1024 / 1024} MB. Descarga un período más corto.", ct);
        }
        using var buffer = new MemoryStream();
        await Archivo.CopyToAsync(buffer, ct);
        var content = buffer.ToArray();
        var table = CartolaReader.Read(Archivo.FileName, content);
        if (table.Error is not null)
        {
            return await FailAsync(table.Error, ct);
        }
        var only = CartolaLayout.Find(Banco);
        if (Banco != CartolaLayout.Generic && CartolaLayout.Detect(table.Rows, only) is var (layout, mapping))
        {
            return await RecordAsync(Archivo.FileName, layout.Key, table.Rows, mapping, ct);
        }
        // Not recognised (or the user asked for it): the mapping step, with the file carried along.
        if (Banco != CartolaLayout.Generic)
        {
            MappingError = only is null
                ? "No reconocimos el banco de esta cartola. Indica qué columna trae cada dato."
                : $"No encontramos el encabezado de una cartola de {only.Name}. Revisa el banco elegido o indica qué columna trae cada dato.";
        }
        Contenido = Convert.ToBase64String(content);
        NombreArchivo = Path.GetFileName(Archivo.FileName);
        Mapeo = Guess(table.Rows);
        return await MappingStepAsync(table.Rows, ct);
    }

    public async Task<IActionResult> OnPostMapAsync(CancellationToken ct)
    {
        var bytes = new byte[(Contenido?.Length ?? 0) * 3 / 4 + 3];
        if (Contenido is null || NombreArchivo is null || !Convert.TryFromBase64String(Contenido, bytes, out var length))
        {
            return await FailAsync("Vuelve a subir la cartola.", ct);
        }
        var table = CartolaReader.Read(NombreArchivo, bytes[..length]);
        if (table.Error is not null)
        {
            return await FailAsync(table.Error, ct);
        }
        var m = Mapeo;
        var header = m.HeaderRow - 1;
        var columns = table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r.Length);
        bool Valid(int? c) => c is null || (c >= 0 && c < columns);
        if (header < 0 || header >= table.Rows.Count)
        {
            MappingError = $"La fila de encabezados debe estar entre 1 y {table.Rows.Count}.";
        }
        else if (m.Date is null || m.Credit is null || m.Description is null)
        {
            MappingError = "Indica las columnas de fecha, abono y descripción.";
        }
        else if (!new[] { m.Date, m.Credit, m.Description, m.Rut, m.Name, m.Reference }.All(Valid)
            || new[] { m.Date, m.Credit, m.Description }.Distinct().Count() != 3)
        {
            MappingError = "Fecha, abono y descripción deben ser columnas distintas de la cartola.";
        }
        if (MappingError is not null)
        {
            return await MappingStepAsync(table.Rows, ct);
        }
        var mapping = new ColumnMapping(header, m.Date!.Value, m.Credit!.Value, m.Description!.Value, m.Rut, m.Name, m.Reference);
        return await RecordAsync(NombreArchivo, CartolaLayout.Generic, table.Rows, mapping, ct, mappingStep: true);
    }

    public async Task<IActionResult> OnPostConfirmAsync(long linea, string? opcion, CancellationToken ct)
    {
        var outcome = await confirmations.ConfirmAsync(linea, opcion ?? "", User.Identity?.Name, ct);
        TempData["Flash"] = outcome switch
        {
            ConfirmOutcome.Confirmed => "Abono confirmado: el pago quedó registrado.",
            ConfirmOutcome.AlreadyDecided => "Ese abono ya estaba decidido; no se registró nada nuevo.",
            _ => "La propuesta ya no está vigente (el documento se pagó, tiene un pago en proceso o la transferencia ya se decidió). Revisa las propuestas actualizadas.",
        };
        return Back();
    }

    public async Task<IActionResult> OnPostConfirmSelectedAsync(long[] lineas, CancellationToken ct)
    {
        if (lineas.Length == 0)
        {
            TempData["Flash"] = "Selecciona al menos un abono para confirmar.";
            return Back();
        }
        var (confirmed, skipped) = await confirmations.ConfirmExactAsync(lineas.Distinct().Take(1_000).ToList(), User.Identity?.Name, ct);
        TempData["Flash"] = skipped == 0
            ? $"{confirmed} abonos confirmados: los pagos quedaron registrados."
            : $"{confirmed} abonos confirmados; {skipped} ya no tenían una propuesta exacta y siguen en la lista.";
        return Back();
    }

    public async Task<IActionResult> OnPostIgnoreAsync(long linea, CancellationToken ct)
    {
        TempData["Flash"] = await confirmations.IgnoreAsync(linea, User.Identity?.Name, ct) ? "Abono ignorado. Puedes deshacerlo desde la lista de abonos." : "Ese abono ya estaba decidido.";
        return Back();
    }

    public async Task<IActionResult> OnPostRestoreAsync(long linea, CancellationToken ct)
    {
        TempData["Flash"] = await confirmations.RestoreAsync(linea, ct) ? "El abono volvió a la lista por conciliar." : "Ese abono no estaba ignorado.";
        return Back();
    }

    /// <summary>The proof text of a credit confirmed against documents, like a declared transfer's comprobante.</summary>
    public string EvidenceUrl(Guid checkoutId) => $"/reportes/pagos/transferencias?handler=Proof&checkoutId={checkoutId}";

    public string StatusName(StatementLineStatus status) => status switch
    {
        StatementLineStatus.Confirmed => "Confirmado",
        StatementLineStatus.Ignored => "Ignorado",
        _ => "Por conciliar",
    };

    public static string ColumnLetter(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"{(char)('A' + index / 26 - 1)}{(char)('A' + index % 26)}";

    private async Task<IActionResult> RecordAsync(string fileName, string layout, IReadOnlyList<string[]> rows, ColumnMapping mapping, CancellationToken ct,
        bool mappingStep = false)
    {
        var parsed = CartolaParser.Parse(rows, mapping);
        if (parsed.Credits.Count == 0)
        {
            var message = "No encontramos abonos en la cartola" + (parsed.Warnings.Count > 0 ? $": {string.Join(" ", parsed.Warnings.Take(3))}" : ".");
            if (mappingStep)
            {
                MappingError = message + " Revisa la columna de abonos y la fila de encabezados.";
                return await MappingStepAsync(rows, ct);
            }
            return await FailAsync(message, ct);
        }
        var statement = await import.RecordAsync(fileName, layout, User.Identity?.Name, parsed.Credits, ct);
        var known = statement.CreditCount - statement.NewCreditCount;
        TempData["Flash"] = $"Cartola leída ({CartolaLayout.Find(layout)?.Name ?? "columnas asignadas"}): {statement.CreditCount} abonos, "
            + $"{statement.NewCreditCount} nuevos" + (known > 0 ? $", {known} ya estaban registrados de una carga anterior." : ".")
            + (parsed.Warnings.Count > 0 ? $" Filas no leídas: {string.Join(" ", parsed.Warnings.Take(5))}" : "");
        return Redirect($"/reportes/pagos/conciliar?cartola={statement.Id}");
    }

    private async Task<IActionResult> FailAsync(string error, CancellationToken ct)
    {
        FileError = error;
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> MappingStepAsync(IReadOnlyList<string[]> rows, CancellationToken ct)
    {
        Mapping = true;
        Preview = rows.Take(15).ToList();
        PreviewColumns = Math.Min(rows.Count == 0 ? 0 : rows.Take(60).Max(r => r.Length), 30);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A first guess for the mapping: the first row naming a date, and columns by the usual words.</summary>
    private static MappingInput Guess(IReadOnlyList<string[]> rows)
    {
        var header = Enumerable.Range(0, Math.Min(rows.Count, 40)).FirstOrDefault(r => rows[r].Any(c => CartolaLayout.Normalize(c).Contains("fecha")));
        var names = header < rows.Count ? rows[header].Select(CartolaLayout.Normalize).ToArray() : [];
        int? Find(params string[] words) => Array.FindIndex(names, n => words.Any(n.Contains)) is var i and >= 0 ? i : null;
        return new MappingInput
        {
            HeaderRow = header + 1, Date = Find("fecha"), Credit = Find("abono", "deposito", "credito", "monto"),
            Description = Find("descripcion", "detalle", "glosa", "concepto"), Rut = Find("rut"), Name = Find("nombre", "ordenante", "origen"),
            Reference = Find("referencia", "comentario", "mensaje"),
        };
    }

    private IActionResult Back() => Redirect(Cartola is { } id ? $"/reportes/pagos/conciliar?cartola={id}" : "/reportes/pagos/conciliar");

    private async Task LoadAsync(CancellationToken ct)
    {
        Statements = await db.BankStatements.AsNoTracking().OrderByDescending(s => s.UploadedAt).ThenByDescending(s => s.Id).Take(20).ToListAsync(ct);
        Selected = Cartola is { } id ? await db.BankStatements.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) : null;

        var unmatched = await db.BankStatementLines.AsNoTracking().Where(l => l.Status == StatementLineStatus.Unmatched)
            .OrderBy(l => l.Date).ThenBy(l => l.Id).ToListAsync(ct);
        // Proposals are computed over every unmatched credit (so two statements cannot both claim a document), shown for the chosen one.
        var proposals = (await matcher.ProposeAsync(unmatched, ct)).Where(p => Selected is null || p.Line.StatementId == Selected.Id).ToList();
        var exact = proposals.Where(p => p.Exact).ToList();
        var suggestions = proposals.Where(p => !p.Exact && p.Options.Count > 0).ToList();
        var none = proposals.Where(p => p.Options.Count == 0).ToList();
        Counts = (exact.Count, suggestions.Count, none.Count);
        Exact = exact.Take(Shown * 2).ToList();
        Suggestions = suggestions.Take(Shown).ToList();
        Unmatched = none.Take(Shown).ToList();

        var credits = db.BankStatementLines.AsNoTracking();
        if (Selected is not null)
        {
            credits = credits.Where(l => l.StatementId == Selected.Id);
        }
        credits = Estado switch
        {
            "confirmados" => credits.Where(l => l.Status == StatementLineStatus.Confirmed),
            "ignorados" => credits.Where(l => l.Status == StatementLineStatus.Ignored),
            "pendientes" => credits.Where(l => l.Status == StatementLineStatus.Unmatched),
            _ => credits,
        };
        if (!string.IsNullOrWhiteSpace(Buscar))
        {
            // Lower-cased on both sides: PostgreSQL compares case-sensitively, and banks write descriptions in capitals.
            var text = Buscar.Trim().ToLowerInvariant();
            var rut = Platform.Chile.Rut.TryParse(text, out var parsed) ? parsed.Normalized : null;
            var pesos = Platform.Chile.ChileFormats.TryParsePesos(text, out var amount) ? amount : (long?)null;
            credits = credits.Where(l => l.Description.ToLower().Contains(text) || (l.SenderName != null && l.SenderName.ToLower().Contains(text))
                || (l.Reference != null && l.Reference.ToLower().Contains(text)) || (rut != null && l.SenderRut == rut) || (pesos != null && l.Amount == pesos));
        }
        CreditTotal = await credits.CountAsync(ct);
        Credits = await credits.OrderByDescending(l => l.Date).ThenByDescending(l => l.Id).Take(Shown * 2).ToListAsync(ct);
    }
}
