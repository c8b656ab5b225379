using System.Text;
using Abono.Web.Features.BankTransfer.Cartola;
using SpreadCheetah;

namespace Abono.Tests.BankTransfer;

/// <summary>Reading cartolas: each bank's layout detected by its header, Chilean amounts and dates, hostile files refused.</summary>
public class CartolaParsingTests
{
    private static (string Layout, List<ParsedCredit> Credits) Read(string fileName, byte[] content)
    {
        var table = CartolaReader.Read(fileName, content);
        Assert.Null(table.Error);
        var (layout, mapping) = CartolaLayout.Detect(table.Rows) ?? throw new Xunit.Sdk.XunitException("No layout detected.");
        return (layout.Key, CartolaParser.Parse(table.Rows, mapping).Credits);
    }

    [Fact]
    public void BancoEstado_csv_keeps_only_credits_with_the_rut_found_in_the_description()
    {
        var (layout, credits) = Read("cartola.csv", CartolaFiles.BancoEstado(
            ("02/12/2024", "Transferencia de 76.123.456-0 Comercial Sur TR-1A2B3C4D", "$1.234.567", ""),
            ("03/12/2024", "Pago proveedor", "", "500.000"),
            ("04-12-2024", "Deposito en efectivo", "45.000", "0")));
        Assert.Equal("BancoEstado", layout);
        Assert.Equal(2, credits.Count);
        Assert.Equal(new DateOnly(2024, 12, 2), credits[0].Date);
        Assert.Equal(1_234_567, credits[0].Amount);
        Assert.Equal("76123456-0", credits[0].SenderRut);
        Assert.Equal("8000", credits[0].Reference);
        Assert.Equal(45_000, credits[1].Amount);
        Assert.Null(credits[1].SenderRut);
    }

    [Fact]
    public void Banco_de_Chile_and_Bci_csv_are_told_apart_by_their_headers()
    {
        var chile = Read("chile.csv", CartolaFiles.BancoDeChile(("05/01/2025", "TRASPASO DE:Juan Pérez", "$150.000", ""), ("05/01/2025", "COMPRA", "", "$9.990")));
        Assert.Equal("BancoDeChile", chile.Layout);
        Assert.Equal(150_000, Assert.Single(chile.Credits).Amount);

        var bci = Read("bci.csv", CartolaFiles.Bci(("02/12/2024", "PAGO RECIBIDO TF2 096689310-9 TRANSBANK", "1.500.000", "0"), ("02/12/2024", "CARGO", "0", "200.000")));
        Assert.Equal("Bci", bci.Layout);
        var credit = Assert.Single(bci.Credits);
        Assert.Equal(1_500_000, credit.Amount);
        Assert.Equal("96689310-9", credit.SenderRut);
        Assert.Equal("123456", credit.Reference);
    }

    [Fact]
    public async Task Santander_xlsx_reads_the_signed_amount_and_the_abono_flag()
    {
        var (layout, credits) = Read("santander.xlsx", await CartolaFiles.SantanderAsync(
            (new DateTime(2025, 3, 3), "TRANSF. DE 77.777.777-7 FERRETERIA", 250_000),
            (new DateTime(2025, 3, 4), "PAGO CUENTA", -80_000)));
        Assert.Equal("Santander", layout);
        var credit = Assert.Single(credits);
        Assert.Equal((new DateOnly(2025, 3, 3), 250_000L, "77777777-7", "5550"), (credit.Date, credit.Amount, credit.SenderRut, credit.Reference));
    }

    [Fact]
    public async Task Banco_de_Chile_xlsx_with_numeric_and_date_cells()
    {
        var content = await CartolaFiles.XlsxAsync(
        [
            ["Cartola de Cuenta Corriente"],
            ["Fecha", "Descripción", "Canal o Sucursal", "Cargos (CLP)", "Abonos (CLP)", "Saldo (CLP)"],
            [new DateTime(2025, 2, 10), "TRASPASO DE: 12.345.678-5 Ana", "Internet", null, 33_000L, 1_033_000L],
            [new DateTime(2025, 2, 11), "GIRO", "Cajero", 20_000L, null, 1_013_000L],
        ]);
        var (layout, credits) = Read("cartola.xlsx", content);
        Assert.Equal("BancoDeChile", layout);
        var credit = Assert.Single(credits);
        Assert.Equal((new DateOnly(2025, 2, 10), 33_000L, "12345678-5"), (credit.Date, credit.Amount, credit.SenderRut));
    }

    [Theory]
    [InlineData("$1.234.567", 1_234_567)]
    [InlineData("1.234.567", 1_234_567)]
    [InlineData("1234567", 1_234_567)]
    [InlineData("$ 45.000", 45_000)]
    [InlineData("1.234.567,00", 1_234_567)]
    [InlineData("1,234,567", 1_234_567)]
    // One comma group is thousands too (a US-format export): pesos never have three decimals.
    [InlineData("150,000", 150_000)]
    [InlineData("$5,000", 5_000)]
    [InlineData("-5.000", -5_000)]
    [InlineData("(5.000)", -5_000)]
    [InlineData("5.000-", -5_000)]
    public void Chilean_amounts(string text, long expected)
    {
        Assert.True(CartolaParser.TryParseAmount(text, out var amount));
        Assert.Equal(expected, amount);
    }

    [Theory]
    [InlineData("1.234,50")]
    [InlineData("12.34.5")]
    [InlineData("abc")]
    [InlineData("=1+1")]
    public void Unreadable_amounts_are_refused(string text) => Assert.False(CartolaParser.TryParseAmount(text, out _));

    [Theory]
    [InlineData("02-12-2024")]
    [InlineData("02/12/2024")]
    [InlineData("2/12/2024")]
    [InlineData("02/12/24")]
    [InlineData("2024-12-02")]
    public void Chilean_dates(string text)
    {
        Assert.True(CartolaParser.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(2024, 12, 2), date);
    }

    [Fact]
    public void Identical_credits_of_one_day_get_different_fingerprints_that_repeat_in_the_same_file()
    {
        var file = CartolaFiles.Bci(("02/12/2024", "DEPOSITO", "10.000", ""), ("02/12/2024", "DEPOSITO", "10.000", ""));
        var first = Read("a.csv", file).Credits;
        Assert.NotEqual(first[0].Fingerprint, first[1].Fingerprint);
        Assert.Equal(64, first[0].Fingerprint.Length);
        Assert.Equal(first.Select(c => c.Fingerprint), Read("a.csv", file).Credits.Select(c => c.Fingerprint));
    }

    [Fact]
    public void A_generic_mapping_reads_any_other_layout()
    {
        var table = CartolaReader.Read("otro.csv", CartolaFiles.Csv(
        [
            "Banco Ejemplo - movimientos",
            "Fecha Mov|Glosa|RUT Origen|Nombre Origen|Monto Abono|Comentario",
            "15-01-2025|Transferencia recibida|11.111.111-1|Pedro Soto|12.500|Factura 44",
        ]));
        Assert.Null(table.Error);
        Assert.Null(CartolaLayout.Detect(table.Rows));
        var credit = Assert.Single(CartolaParser.Parse(table.Rows, new ColumnMapping(1, Date: 0, Credit: 4, Description: 1, Rut: 2, Name: 3, Reference: 5)).Credits);
        Assert.Equal((12_500L, "11111111-1", "Pedro Soto", "Factura 44"), (credit.Amount, credit.SenderRut, credit.SenderName, credit.Reference));
    }

    [Fact]
    public void Latin1_and_utf16_exports_are_decoded()
    {
        var latin = CartolaFiles.Bci(("02/12/2024", "Transferencia de Peñalolén Ltda", "10.000", ""));
        var win1252 = Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(latin));
        Assert.Equal("Transferencia de Peñalolén Ltda", Read("bci.csv", win1252).Credits.Single().Description);
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(latin))).ToArray();
        Assert.Equal(10_000, Read("bci.csv", utf16).Credits.Single().Amount);
    }

    [Fact]
    public async Task Hostile_files_are_refused_with_a_message_and_formulas_are_never_evaluated()
    {
        Assert.Contains("PDF", CartolaReader.Read("cartola.pdf", "%PDF-1.7 ..."u8.ToArray()).Error);
        Assert.Contains("PDF", CartolaReader.Read("cartola.csv", "%PDF-1.7 ..."u8.ToArray()).Error);
        Assert.Contains("CSV o Excel", CartolaReader.Read("cartola.exe", [1, 2, 3]).Error);
        Assert.Contains("binarios", CartolaReader.Read("cartola.csv", [0x4D, 0x5A, 0x00, 0x01, 0x02]).Error);
        Assert.Contains("no es un Excel", CartolaReader.Read("cartola.xlsx", "Fecha;Monto"u8.ToArray()).Error);
        Assert.Contains("dañado", CartolaReader.Read("cartola.xlsx", [.. "PK\u0003\u0004"u8, .. new byte[200]]).Error);
        Assert.Contains("5 MB", CartolaReader.Read("cartola.csv", new byte[CartolaReader.MaxBytes + 1]).Error);
        var many = CartolaFiles.Csv(["Fecha;Descripción;Depósitos y Abono", .. Enumerable.Range(0, CartolaReader.MaxRows + 60).Select(_ => "01-01-2025;x;1")]);
        Assert.Contains("más de 20.000 filas", CartolaReader.Read("cartola.csv", many).Error);

        // A formula is text in a CSV and a cached value (here none) in Excel: nothing runs it.
        var csv = Read("bci.csv", CartolaFiles.Bci(("02/12/2024", "=HYPERLINK(\"http://x\")", "10.000", ""))).Credits.Single();
        Assert.Equal("=HYPERLINK(\"http://x\")", csv.Description);
        var xlsx = await CartolaFiles.XlsxAsync(
        [
            ["Fecha", "Descripción", "Canal o Sucursal", "Cargos (CLP)", "Abonos (CLP)", "Saldo (CLP)"],
            ["10/02/2025", "Con fórmula", "Internet", null, new Formula("1000*1000"), null],
            ["11/02/2025", "=CMD|' /C calc'!A0", "Internet", null, 5_000L, null],
        ]);
        var credit = Assert.Single(Read("cartola.xlsx", xlsx).Credits);
        Assert.Equal(5_000, credit.Amount);
        Assert.Equal("=CMD|' /C calc'!A0", credit.Description);
    }
}
