using System.Diagnostics;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.BankTransfer.Cartola;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Xunit.Abstractions;

namespace Abono.Tests.BankTransfer;

/// <summary>
/// A cartola of 5,000 credits against 2,000 open documents of 400 customers and 100 declared transfers. Each
/// customer's balances are base × 1, 2, 4, 8, 16, so every amount has exactly one set of documents (binary) and the
/// expected matches are known. The elapsed times go to TestFigures for the note; nothing asserts on them.
/// </summary>
public class CartolaScaleTests(AbonoFactory factory, ITestOutputHelper output) : IClassFixture<AbonoFactory>
{
    private const int Customers = 400;
    private const int Declared = 100;

    [Fact]
    public async Task Five_thousand_credits_against_two_thousand_documents_give_the_expected_matches_and_a_reupload_records_nothing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var (ruts, checkouts) = await ArrangeAsync(merchant);
        var file = Cartola(ruts, checkouts);

        var clock = Stopwatch.StartNew();
        var uploaded = await CartolaTests.UploadAsync(merchant.Client, "cartola-grande.csv", file);
        var upload = clock.Elapsed;
        Assert.Contains("5000 abonos, 5000 nuevos", uploaded.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var lines = await scope.Db.BankStatementLines.AsNoTracking().ToListAsync();
        clock.Restart();
        var proposals = await scope.Get<CartolaMatcher>().ProposeAsync(lines, default);
        var matching = clock.Elapsed;

        // TR codes: 100. Documents: 200 customers × 3 sets + 200 × 4, less the 100 whose 4×base credit appears twice.
        var exact = proposals.Where(p => p.Exact).ToList();
        Assert.Equal(Declared, exact.Count(p => p.Options[0].Kind == ProposalKind.DeclaredTransfer));
        Assert.Equal(200 * 3 + 200 * 4 - 100, exact.Count(p => p.Options[0].Kind == ProposalKind.Documents));
        Assert.Equal(200, proposals.Count(p => !p.Exact && p.Options.Count > 0));
        Assert.Equal(5_000 - Declared - 1_400 - 100, proposals.Count(p => p.Options.Count == 0));
        Assert.Contains(exact, p => p.Options[0].Documents.Count == 2 && p.Options[0].Why.Contains("suma"));

        clock.Restart();
        var again = await CartolaTests.UploadAsync(merchant.Client, "cartola-grande-otra-vez.csv", file);
        var reupload = clock.Elapsed;
        Assert.Contains("5000 abonos, 0 nuevos, 5000 ya estaban registrados", again.Text);
        Assert.Equal(5_000, await scope.Db.BankStatementLines.CountAsync());

        var selected = exact.Where(p => p.Options[0].Kind == ProposalKind.Documents).Take(25)
            .Concat(exact.Where(p => p.Options[0].Kind == ProposalKind.DeclaredTransfer).Take(25)).Select(p => p.Line.Id).ToList();
        clock.Restart();
        var (confirmed, skipped) = await scope.Get<CartolaConfirmations>().ConfirmExactAsync(selected, "test", default);
        var bulk = clock.Elapsed;
        Assert.Equal((50, 0), (confirmed, skipped));
        Assert.Equal(50, await scope.Db.Payments.CountAsync());

        TestFigures.Report(output, $"Cartola 5,000 credits × 2,000 documents: upload (read, fingerprint, insert, page with proposals) {upload.TotalSeconds:F2} s; " +
            $"proposals alone {matching.TotalSeconds:F2} s; re-upload (0 new) {reupload.TotalSeconds:F2} s; 50 bulk confirmations {bulk.TotalSeconds:F2} s");
    }

    private async Task<(List<(string Rut, long Base)> Ruts, List<(Guid Id, long Amount)> Checkouts)> ArrangeAsync(Merchant merchant)
    {
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var db = scope.Db;
        var now = DateTime.UtcNow;
        var today = ChileFormats.Today(TimeProvider.System);
        var customers = Enumerable.Range(0, Customers).Select(c => new Customer
        {
            Rut = Merchant.NewRut(50_000_000 + c * 7), Name = $"Cliente {c}", CreatedAt = now, CreditDays = 30,
        }).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        var folio = 0;
        foreach (var (customer, c) in customers.Select((x, i) => (x, i)))
        {
            for (var k = 0; k < 5; k++)
            {
                var total = (10_000L + c) * (1L << k);
                db.Documents.Add(new Document
                {
                    Type = DocumentType.Factura, Folio = ++folio, CustomerId = customer.Id, IssueDate = today.AddDays(-40), DueDate = today.AddDays(k - 10),
                    Net = total, Total = total, Balance = total, Origin = DocumentOrigin.Importacion, CreatedAt = now,
                });
            }
        }
        var checkouts = new List<(Guid, long)>();
        for (var i = 0; i < Declared; i++)
        {
            var checkout = new Checkout
            {
                Purpose = CheckoutPurpose.DocumentPayment, CustomerId = customers[i].Id, Amount = 500_000 + i, Gateway = GatewayKind.Transfer, Description = "Transferencia",
                State = CheckoutState.Pending, CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(30),
            };
            db.Checkouts.Add(checkout);
            db.TransferDeclarations.Add(new TransferDeclaration { CheckoutId = checkout.Id, DeclaredAmount = checkout.Amount, TransferDate = today, DeclaredAt = now });
            checkouts.Add((checkout.Id, checkout.Amount));
        }
        await db.SaveChangesAsync();
        return (customers.Select((x, i) => (x.Rut, 10_000L + i)).ToList(), checkouts);
    }

    /// <summary>Credits in BancoEstado's layout: TR codes, exact document sets, duplicated ones, then noise up to 5,000.</summary>
    private static byte[] Cartola(List<(string Rut, long Base)> customers, List<(Guid Id, long Amount)> checkouts)
    {
        var credits = new List<(string Description, long Amount)>();
        credits.AddRange(checkouts.Select(c => ($"TRANSFERENCIA RECIBIDA {TransferGateway.ReferenceCode(c.Id)}", c.Amount)));
        for (var c = 0; c < Customers; c++)
        {
            var (rut, b) = customers[c];
            var from = $"TRANSF DE {Rut.Parse(rut).Formatted} CLIENTE {c}";
            // Disjoint sets of the customer's documents: an oldest-first run, a single one, a pair…
            long[] multiples = c < 200 ? [3, 4, 24] : [1, 6, 8, 16];
            credits.AddRange(multiples.Select(m => (from, b * m)));
            if (c < 100)
            {
                credits.Add((from + " (2)", b * 4));   // the same document twice: both become suggestions
            }
        }
        var random = new Random(17);
        for (var i = 0; credits.Count < 5_000; i++)
        {
            credits.Add(i % 2 == 0 ? ($"DEPOSITO EN EFECTIVO {i}", random.Next(1_000, 900_000)) : ($"TRANSF DE {Merchant.NewRut(30_000_000)} DESCONOCIDO {i}", random.Next(1_000, 900_000)));
        }
        var day = new DateTime(2025, 1, 1);
        return CartolaFiles.BancoEstado(credits.Select((c, i) => (day.AddDays(i % 28).ToString("dd/MM/yyyy"), c.Description, c.Amount.ToString("#,0", ChileFormats.Numbers), "")).ToArray());
    }
}
