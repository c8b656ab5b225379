using System.Text;
using SpreadCheetah;

namespace Abono.Tests.BankTransfer;

/// <summary>Cartolas as each bank exports them (see README, "Conciliar cartola"), generated for the tests.</summary>
internal static class CartolaFiles
{
    public static byte[] Csv(IEnumerable<string> lines, Encoding? encoding = null) =>
        (encoding ?? new UTF8Encoding(false)).GetBytes(string.Join("\r\n", lines) + "\r\n");

    /// <summary>An .xlsx with the given cells (string, long, DateTime, Formula, or null for an empty cell).</summary>
    public static async Task<byte[]> XlsxAsync(IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream))
        {
            await spreadsheet.StartWorksheetAsync("Cartola");
            foreach (var row in rows)
            {
                await spreadsheet.AddRowAsync(row.Select(v => v switch
                {
                    null => new Cell((string?)null),
                    long n => new Cell(n),
                    int n => new Cell(n),
                    DateTime d => new Cell(d),
                    Formula f => new Cell(f),
                    var other => new Cell(other.ToString()),
                }).ToArray());
            }
            await spreadsheet.FinishAsync();
        }
        return stream.ToArray();
    }

    /// <summary>BancoEstado cuenta corriente, with its account header block above the movements.</summary>
    public static byte[] BancoEstado(params (string Date, string Description, string Credit, string Debit)[] movements) => Csv(
    [
        "Cartola Histórica;;;;;;;;;",
        "Cuenta Corriente;1234567890;;;;;;;;",
        ";;;;;;;;;",
        "Fecha;Sucursal;N° Cuenta Corriente;Alias;N° Cartola;N° Operación;Descripción;Cheques / Cargos;Depósitos / Abonos;Saldo",
        .. movements.Select((m, i) => $"{m.Date};Stgo.principal;1234567890;EMPRESA SPA;99;{8000 + i};{m.Description};{m.Debit};{m.Credit};15.000.000"),
    ]);

    /// <summary>Banco de Chile (Mi Banco): the columns beancount-chile reads.</summary>
    public static byte[] BancoDeChile(params (string Date, string Description, string Credit, string Debit)[] movements) => Csv(
    [
        "Fecha,Descripción,Canal o Sucursal,Cargos (CLP),Abonos (CLP),Saldo (CLP)",
        .. movements.Select(m => $"{m.Date},\"{m.Description}\",Internet,\"{m.Debit}\",\"{m.Credit}\",\"$1.000.000\""),
    ]);

    public static byte[] Bci(params (string Date, string Description, string Credit, string Debit)[] movements) => Csv(
    [
        "Fecha;Sucursal;Descripción;N° Documento;Cheques y otros cargos;Depósitos y Abono;Saldo diario",
        .. movements.Select((m, i) => $"{m.Date};OF VIRT U;{m.Description};{123456 + i};{m.Debit};{m.Credit};3.000.000"),
    ]);

    /// <summary>Santander's Excel: a signed MONTO first and a C/A flag, below 3 rows of account data.</summary>
    public static Task<byte[]> SantanderAsync(params (DateTime Date, string Description, long Amount)[] movements) => XlsxAsync(
    [
        ["Cuenta Corriente N 0-000-1234567-8", null],
        ["Moneda: PESOS DE CHILE", null],
        [null],
        ["MONTO", "DESCRIPCIÓN MOVIMIENTO", null, "FECHA", "N° DOCUMENTO", "SUCURSAL", null, "CARGO/ABONO"],
        .. movements.Select((m, i) => new object?[] { m.Amount, m.Description, null, m.Date.ToString("dd/MM/yyyy"), (long)(5550 + i), "OFICINA", null, m.Amount < 0 ? "C" : "A" }),
    ]);
}
