using System.Globalization;
using System.Text;

namespace Abono.Web.Features.BankTransfer.Cartola;

/// <summary>
/// Which column holds what, 0-based, with the row of the headers (0-based; data starts below it). Only credits matter:
/// a credit is a positive value in <see cref="Credit"/>; with a single signed amount column (Santander) it is a positive
/// amount, or one flagged "A" (abono) in <see cref="CreditFlag"/>.
/// </summary>
public sealed record ColumnMapping(int HeaderRow, int Date, int Credit, int Description, int? Rut = null, int? Name = null, int? Reference = null,
    int? CreditFlag = null);

/// <summary>
/// A bank's export, recognised by the names in its header row. Each field lists the header texts it may have
/// (compared after <see cref="Normalize"/>: lower case, no accents, no punctuation). Required fields must all be
/// present in one row for the layout to be detected.
/// </summary>
public sealed record CartolaLayout(string Key, string Name, string[] Date, string[] Credit, string[] Description, string[] Signature,
    string[]? Reference = null, string[]? CreditFlag = null, string[]? Rut = null, string[]? SenderName = null)
{
    public const string Generic = "Generico";

    /// <summary>
    /// The layouts we read. Sources (third-party parsers of real exports; no bank publishes its export format):
    /// Banco de Chile "Fecha · Descripción · Canal o Sucursal · Cargos (CLP) · Abonos (CLP) · Saldo (CLP)" from the
    /// beancount-chile importer; the other layouts from the column tables of tyronejosee/script_contabilidad (BCI,
    /// Banco de Chile empresas, BancoEstado) and a Santander cartola parser (MONTO signed, CARGO/ABONO flag "C"/"A").
    /// None is checked against a file downloaded from the bank by us: README.md says so, and the generic mapping
    /// covers any variation.
    /// </summary>
    public static readonly CartolaLayout[] Known =
    [
        new("BancoEstado", "BancoEstado",
            Date: ["fecha"], Credit: ["depositos abonos", "abonos"], Description: ["descripcion"],
            Signature: ["fecha", "descripcion", "depositos abonos", "cheques cargos"],
            Reference: ["n operacion", "numero operacion", "n documento"]),
        new("BancoDeChile", "Banco de Chile",
            Date: ["fecha"], Credit: ["abonos clp", "abonos"], Description: ["descripcion"],
            Signature: ["fecha", "descripcion", "canal o sucursal", "abonos clp"],
            Reference: ["n documento", "docto nro"]),
        new("BancoDeChileEmpresas", "Banco de Chile (empresas)",
            Date: ["fecha"], Credit: ["deposito o abono"], Description: ["detalle movimiento"],
            Signature: ["fecha", "detalle movimiento", "deposito o abono"],
            Reference: ["docto nro"]),
        new("Santander", "Santander",
            Date: ["fecha"], Credit: ["monto"], Description: ["descripcion", "descripcion movimiento", "detalle"],
            Signature: ["monto", "fecha", "cargo abono"],
            Reference: ["n doc", "n documento"], CreditFlag: ["cargo abono"]),
        new("Bci", "BCI",
            Date: ["fecha"], Credit: ["depositos y abono", "depositos y abonos"], Description: ["descripcion"],
            Signature: ["fecha", "descripcion", "depositos y abono"],
            Reference: ["n documento", "n operacion"]),
    ];

    public static CartolaLayout? Find(string? key) => Known.FirstOrDefault(l => l.Key == key);

    /// <summary>The first of the first 40 rows that carries one layout's whole signature, with that layout's columns.</summary>
    public static (CartolaLayout Layout, ColumnMapping Mapping)? Detect(IReadOnlyList<string[]> rows, CartolaLayout? only = null)
    {
        for (var r = 0; r < Math.Min(rows.Count, 40); r++)
        {
            var headers = rows[r].Select(Normalize).ToArray();
            foreach (var layout in only is null ? Known : [only])
            {
                if (layout.MappingFor(headers, r) is { } mapping)
                {
                    return (layout, mapping);
                }
            }
        }
        return null;
    }

    private ColumnMapping? MappingFor(string[] headers, int row)
    {
        if (!Signature.All(s => headers.Contains(s)))
        {
            return null;
        }
        int? Column(string[]? names) => names?.Select(n => Array.IndexOf(headers, n)).Where(i => i >= 0).Select(i => (int?)i).FirstOrDefault();
        return Column(Date) is { } date && Column(Credit) is { } credit && Column(Description) is { } description
            ? new ColumnMapping(row, date, credit, description, Column(Rut), Column(SenderName), Column(Reference), Column(CreditFlag))
            : null;
    }

    /// <summary>"N° Operación" → "n operacion", "Depósitos / Abonos" → "depositos abonos", "Cargos (CLP)" → "cargos clp".</summary>
    public static string Normalize(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "";
        }
        var decomposed = header.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var text = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                if (space && text.Length > 0)
                {
                    text.Append(' ');
                }
                text.Append(c);
                space = false;
            }
            else
            {
                // Punctuation ("N°", "Docto.", "/", "(CLP)") separates words and is otherwise dropped.
                space = true;
            }
        }
        return text.ToString();
    }
}
