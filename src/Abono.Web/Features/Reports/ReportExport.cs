using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.Features;
using SpreadCheetah;

namespace Abono.Web.Features.Reports;

/// <summary>
/// Streams a report row by row to the response as CSV (CsvHelper; «;» separated, UTF-8 with BOM so Excel in
/// Spanish opens it, amounts as plain integers, dates dd-MM-yyyy) or XLSX (SpreadCheetah; amounts as numbers and dates
/// as real dates shown dd-mm-yyyy, so a spreadsheet sorts and sums them). Memory stays flat whatever the row count.
/// Rows carry typed values: <see cref="DateOnly"/> for days, <see cref="DateTime"/> (UTC) for moments, shown in Chile's time.
/// Every text cell comes from a business or its customers (names, references), so neither format may let a spreadsheet
/// run it as a formula: see <see cref="CsvOptions"/> and the XLSX cells below.
/// </summary>
public static class ReportExport
{
    /// <summary>
    /// The options of every CSV Abono writes. CSV injection (OWASP): a text field starting with = + - @, tab or CR gets
    /// a leading «'» and is quoted, so Excel shows «=HYPERLINK(…)» as text instead of running it. CsvHelper applies
    /// this to text only: numbers written as numbers (amounts, folios, days) keep their minus sign, so −5000 stays a
    /// number; that is why rows are written field by field with their own types, never pre-converted to strings.
    /// </summary>
    public static readonly CsvWriterOptions CsvOptions = new()
    {
        Separator = ';',
        Injection = CsvInjection.Escape,
    };

    public static async Task WriteAsync(HttpContext http, string format, string baseName, string[] headers,
        IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        if (format == "xlsx")
        {
            // SpreadCheetah finishes its zip entries with small synchronous writes; allow them for this response only.
            if (http.Features.Get<IHttpBodyControlFeature>() is { } body)
            {
                body.AllowSynchronousIO = true;
            }
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{baseName}-{stamp}.xlsx\"";
            await using var spreadsheet = await Spreadsheet.CreateNewAsync(http.Response.Body, cancellationToken: ct);
            await spreadsheet.StartWorksheetAsync("Reporte", token: ct);
            var day = spreadsheet.AddStyle(new SpreadCheetah.Styling.Style { Format = SpreadCheetah.Styling.NumberFormat.Custom("dd-mm-yyyy") });
            var moment = spreadsheet.AddStyle(new SpreadCheetah.Styling.Style { Format = SpreadCheetah.Styling.NumberFormat.Custom("dd-mm-yyyy hh:mm") });
            await spreadsheet.AddRowAsync(headers.Select(h => new Cell(h)).ToArray(), ct);
            var cells = new Cell[headers.Length];
            await foreach (var row in rows.WithCancellation(ct))
            {
                for (var i = 0; i < row.Length; i++)
                {
                    // Strings become string cells (never formulas: SpreadCheetah writes a formula only from a Formula
                    // value), so «=HYPERLINK(…)» is shown as typed.
                    cells[i] = row[i] switch
                    {
                        long n => new Cell(n),
                        int n => new Cell(n),
                        DateOnly d => new Cell(d.ToDateTime(TimeOnly.MinValue), day),
                        DateTime t => new Cell(ChileTime(t), moment),
                        null => new Cell((string?)null),
                        var other => new Cell(Convert.ToString(other, CultureInfo.InvariantCulture)),
                    };
                }
                await spreadsheet.AddRowAsync(cells, ct);
            }
            await spreadsheet.FinishAsync(ct);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{baseName}-{stamp}.csv\"";
        // A BOM first, so Excel in Spanish reads the accents right.
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        await using var csv = CsvWriter.Create(http.Response.Body, CsvOptions, true);
        await csv.WriteRecordAsync(headers, ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var value in row)
            {
                // By type: numbers stay numbers (not escaped); dates as Chileans write them; anything else is text (escaped if needed).
                csv.WriteField(value switch
                {
                    DateOnly d => Platform.Chile.ChileFormats.Date(d),
                    DateTime t => Platform.Chile.ChileFormats.DateTime(t),
                    var other => other,
                });
            }
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static DateTime ChileTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Platform.Chile.ChileFormats.TimeZone);
}
