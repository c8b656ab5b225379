using Abono.Web.Data;
using Abono.Web.Features.Account;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Products;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Demo;

/// <summary>
/// "Comercial Demo SpA" with customers, products and ~100 documents, created on an empty database when
/// Demo:Seed is true (Development). Documents go through the real issuer, so they obey every rule.
/// </summary>
public sealed class DemoSeeder(
    AbonoDbContext db, TenantContext tenant, SignUpHandler signUp, DocumentIssuer issuer, Documents.Import.DteImporter dtes, DocumentCessions cessions,
    TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string AdminEmail = "admin@demo.cl";
    public const string AdminPassword = "Demo1234";
    public const string CompanyName = "Comercial Demo SpA";
    public const int CompanyRutBody = 76_543_210;
    public const string OperatorEmail = "operador@abono.cl";
    public const int PlatformRutBody = 76_000_100;

    private static readonly string[] CustomerNames =
    [
        "Ferretería Los Andes Ltda.", "Panadería La Espiga SpA", "Constructora Cordillera S.A.", "Distribuidora Austral SpA",
        "Almacén Doña Rosa", "Transportes Pacífico Ltda.", "Clínica Dental Sonrisa SpA", "Librería El Quijote",
        "Restaurante El Fogón SpA", "Agrícola Valle Central Ltda.", "Ópticas Visión Clara SpA", "Taller Mecánico Hermanos Soto",
        "Minimarket Las Palmas", "Servicios Informáticos Nube SpA", "Jardín Infantil Pequeños Pasos", "Inmobiliaria Costa Azul S.A.",
        "Farmacia San Pedro Ltda.", "Maderas del Sur SpA", "Estudio Jurídico Pérez y Asociados", "Café Literario Providencia",
    ];

    private static readonly (string Code, string Name, long Price, bool Exempt)[] Catalogue =
    [
        ("P001", "Resma papel carta", 4_990, false), ("P002", "Tóner impresora láser", 45_990, false),
        ("P003", "Silla de oficina", 89_990, false), ("P004", "Escritorio melamina", 129_990, false),
        ("P005", "Cuaderno universitario", 1_990, false), ("S001", "Servicio de instalación", 35_000, false),
        ("S002", "Mantención mensual", 60_000, false), ("L001", "Libro técnico (exento)", 24_500, true),
    ];

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        if (await db.Companies.AnyAsync(ct))
        {
            return false;
        }

        var rut = $"{CompanyRutBody}-{Rut.ComputeCheckDigit(CompanyRutBody)}";
        var (admin, errors) = await signUp.HandleAsync(new SignUpCommand(rut, CompanyName, "Comercio al por mayor de artículos de oficina", "Admin Demo", AdminEmail, AdminPassword), ct);
        if (admin is null)
        {
            throw new InvalidOperationException("Demo company could not be created: " + string.Join("; ", errors.All.SelectMany(e => e.Value)));
        }
        // The platform itself, whose user operates Abono (prices, who contracted); Development grants it Operador.
        var platformRut = $"{PlatformRutBody}-{Rut.ComputeCheckDigit(PlatformRutBody)}";
        await signUp.HandleAsync(new SignUpCommand(platformRut, "Abono SpA", "Servicios de software", "Operación Abono", OperatorEmail, AdminPassword), ct);
        tenant.Set(admin.CompanyId);

        var random = new Random(20261128);
        var now = clock.GetUtcNow().UtcDateTime;
        var customers = new List<Customer>();
        for (var i = 0; i < CustomerNames.Length; i++)
        {
            var body = 76_100_000 + i * 7_919;
            customers.Add(new Customer
            {
                Rut = $"{body}-{Rut.ComputeCheckDigit(body)}",
                Name = CustomerNames[i],
                Email = $"pagos{i + 1}@cliente{i + 1}.cl",
                Phone = $"+5699{random.Next(3_000_000, 9_000_000):D7}",
                Address = $"Av. Libertador Bernardo O'Higgins {100 + i * 37}, Santiago",
                CreditDays = new[] { 0, 15, 30, 30, 45, 60 }[random.Next(6)],
                CreatedAt = now,
            });
        }
        db.Customers.AddRange(customers);
        db.Products.AddRange(Catalogue.Select(p => new Product { Code = p.Code, Name = p.Name, UnitPrice = p.Price, IsExempt = p.Exempt }));
        await db.SaveChangesAsync(ct);
        var products = await db.Products.AsNoTracking().ToListAsync(ct);

        var today = ChileFormats.Today(clock);
        var credit = new List<Document>();
        for (var n = 0; n < 96; n++)
        {
            var customer = customers[random.Next(customers.Count)];
            var onCredit = n % 2 == 0;
            var type = onCredit
                ? (random.Next(5) == 0 ? DocumentType.FacturaExenta : DocumentType.Factura)
                : new[] { DocumentType.Boleta, DocumentType.Factura, DocumentType.BoletaExenta }[random.Next(3)];
            var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            {
                var p = products[random.Next(products.Count)];
                return new IssueLine { ProductId = p.Id, Quantity = random.Next(1, 6) };
            }).ToList();
            var (document, issueErrors) = await issuer.IssueAsync(new IssueDocumentCommand
            {
                Type = (int)type,
                CustomerId = customer.Id,
                IssueDate = today.AddDays(-random.Next(0, 150)),
                Lines = lines,
                SinglePaymentForm = onCredit ? PaymentForm.Credito : new[] { PaymentForm.Efectivo, PaymentForm.Tarjeta, PaymentForm.Transferencia }[random.Next(3)],
                Origin = DocumentOrigin.Demo,
            }, ct);
            if (document is null)
            {
                throw new InvalidOperationException("Demo document rejected: " + string.Join("; ", issueErrors.All.SelectMany(e => e.Value)));
            }
            if (onCredit)
            {
                credit.Add(document);
            }
        }

        // A few notas de crédito so balances show partial reductions.
        foreach (var original in credit.Where(d => d.Type == DocumentType.Factura).Take(4))
        {
            await issuer.IssueAsync(new IssueDocumentCommand
            {
                Type = (int)DocumentType.NotaCredito,
                ReferenceDocumentId = original.Id,
                IssueDate = today,
                ReferenceReason = "Descuento por pronto pago",
                // About a tenth of the document (net price, IVA added on top), always within its balance.
                Lines = [new IssueLine { Description = "Descuento comercial", Quantity = 1, UnitPrice = Math.Max(100, original.Total / 12) }],
                Origin = DocumentOrigin.Demo,
            }, ct);
        }

        // Documents from the company's invoicing system, as DTE XML: three facturas and a nota de crédito applied to one,
        // and the newest factura ceded to a factoring company (shown in the portal, never collected there).
        var imported = await dtes.ImportAsync([new Documents.Import.DteImportFile("demo-envio-dte.xml", DemoDtes.Envio(rut, CompanyName, customers, today))],
            new Documents.Import.DteImportOptions { RecordedBy = AdminEmail }, ct: ct);
        var ceded = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Type == DocumentType.Factura && d.Folio == DemoDtes.FirstFolio + 2, ct);
        if (ceded is not null)
        {
            var factoringBody = 76_998_877;
            await cessions.RecordAsync(db, ceded.Id, null, $"{factoringBody}-{Rut.ComputeCheckDigit(factoringBody)}", "Factoring Demo SpA",
                now.AddDays(-1), ceded.Total, CessionSource.Manual, "Cesión de ejemplo de los datos de demostración", AdminEmail, ct);
        }
        else
        {
            logger.LogWarning("Demo DTEs were not imported: {Summary}", imported.Summary);
        }

        // The Pasarela de prueba configured but not yet offered: the help article's step 2 (switch it on) is left to do.
        db.PaymentMethods.Add(new PaymentMethods.PaymentMethod
        {
            Kind = Gateways.GatewayKind.Sandbox, IsActive = true, EnabledInPortal = false, CreatedAt = now, UpdatedAt = now,
        });
        await db.SaveChangesAsync(ct);

        logger.LogInformation("Demo data created: {Company} with {Customers} customers and {Documents} documents.",
            CompanyName, customers.Count, await db.Documents.CountAsync(ct));
        return true;
    }
}
