namespace Abono.Tests.Documents.Dte;

/// <summary>A Detalle line for <see cref="TestDte"/>.</summary>
public sealed record TestLine(string Name, decimal Qty, long Price, bool Exempt = false)
{
    public long Amount => (long)Math.Round(Qty * Price, MidpointRounding.AwayFromZero);
}

public sealed record TestReference(string TpoDocRef, string FolioRef, DateOnly FchRef, int? CodRef = null, string? RazonRef = null);

/// <summary>
/// A DTE as a test describes it; <see cref="DteXmlBuilder"/> writes it following DTE_v10.xsd. Totals are computed
/// from the lines the way an invoicing system does (IVA 19 % on the net; boletas price with IVA included) unless a
/// test overrides them to break a rule.
/// </summary>
public sealed record TestDte
{
    public int Tipo { get; init; } = 33;
    public long Folio { get; init; } = 1234;
    public DateOnly FchEmis { get; init; } = new(2026, 11, 2);
    public int? FmaPago { get; init; } = 2;
    public DateOnly? FchVenc { get; init; }
    public IReadOnlyList<(DateOnly Date, long Amount)> Pagos { get; init; } = [];
    public int? TermPagoDias { get; init; }
    public string RutEmisor { get; init; } = "76086428-5";
    public string RznSoc { get; init; } = "Comercial Demo SpA";
    public string GiroEmis { get; init; } = "Venta al por mayor de alimentos";
    public string RutRecep { get; init; } = "77123456-9";
    public string RznSocRecep { get; init; } = "Almacén Doña Rosa";
    public string? CorreoRecep { get; init; } = "compras@donarosa.cl";
    public string? Contacto { get; init; } = "Rosa Muñoz +56 9 8765 4321";
    public IReadOnlyList<TestLine> Lines { get; init; } = [new("Harina tostada 25 kg", 10, 18_500)];
    public IReadOnlyList<TestReference> References { get; init; } = [];
    public bool Ted { get; init; } = true;

    /// <summary>Written inside the Documento, as some invoicing systems do.</summary>
    public string? Comment { get; init; }

    public long? MntNetoOverride { get; init; }
    public long? IvaOverride { get; init; }
    public long? MntTotalOverride { get; init; }

    public string Id => $"F{Folio}T{Tipo}";
    public bool AllExempt => Tipo is 34 or 41;
    private long Taxable => Lines.Where(l => !l.Exempt && !AllExempt).Sum(l => l.Amount);
    public long Exento => Lines.Where(l => l.Exempt || AllExempt).Sum(l => l.Amount);

    // Boletas state prices with IVA included: the net is backed out of the total.
    public long Neto => MntNetoOverride ?? (Tipo == 39 ? (long)Math.Round(Taxable / 1.19m, MidpointRounding.AwayFromZero) : Taxable);
    public long Iva => IvaOverride ?? (Tipo == 39 ? Taxable - Neto : (long)Math.Round(Neto * 0.19m, MidpointRounding.AwayFromZero));
    public long Total => MntTotalOverride ?? Neto + Exento + Iva;
    public bool HasTaxable => !AllExempt && Lines.Any(l => !l.Exempt);
}

/// <summary>A Cesion of an AEC for <see cref="DteXmlBuilder.Aec"/>.</summary>
public sealed record TestCesion(int Seq, string CedenteRut, string CedenteNombre, string CesionarioRut, string CesionarioNombre, long Monto)
{
    public DateOnly UltimoVencimiento { get; init; } = new(2026, 12, 2);
    public DateTime TmstCesion { get; init; } = new(2026, 11, 5, 9, 30, 0);

    /// <summary>Set to make the cesión name another document than the one ceded.</summary>
    public long? FolioOverride { get; init; }
}
