using Abono.Web.Features.Documents;

namespace Abono.Tests.Documents;

public class FolioConcurrencyTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Twenty_parallel_issues_get_twenty_distinct_consecutive_folios()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();

        // Each issue runs in its own scope (its own connection and transaction), as separate requests would.
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var scope = factory.ScopeFor(merchant.CompanyId);
            var issuer = scope.Get<DocumentIssuer>();
            await start.WaitAsync();
            var (document, errors) = await issuer.IssueAsync(new IssueDocumentCommand
            {
                Type = (int)DocumentType.Factura,
                CustomerId = customer,
                IssueDate = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System),
                Lines = [new IssueLine { Description = $"Venta {i}", Quantity = 1, UnitPrice = 1_000 + i }],
                SinglePaymentForm = PaymentForm.Credito,
            });
            Assert.False(errors.Any, string.Join("; ", errors.All.SelectMany(e => e.Value)));
            return document!.Folio;
        })).ToList();
        start.Release(20);
        var folios = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), folios.Order());
        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(20, await check.Db.Documents.CountAsync());
        Assert.Equal(20, (await check.Db.FolioCounters.SingleAsync(f => f.DocumentType == DocumentType.Factura)).LastFolio);
    }

    [Fact]
    public async Task Parallel_notas_de_credito_never_take_a_balance_below_zero()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var factura = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Servicio", 1, 10_000)]));  // balance 11.900

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await using var scope = factory.ScopeFor(merchant.CompanyId);
            await start.WaitAsync();
            var (document, _) = await scope.Get<DocumentIssuer>().IssueAsync(new IssueDocumentCommand
            {
                Type = (int)DocumentType.NotaCredito,
                ReferenceDocumentId = factura,
                IssueDate = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System),
                Lines = [new IssueLine { Description = "Descuento", Quantity = 1, UnitPrice = 3_000 }],  // 3.570 each
            });
            return document is not null;
        })).ToList();
        start.Release(10);
        var accepted = (await Task.WhenAll(tasks)).Count(ok => ok);

        Assert.Equal(3, accepted);  // 3 × 3.570 = 10.710 ≤ 11.900 < 4 × 3.570
        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(11_900 - 3 * 3_570, (await check.Db.Documents.SingleAsync(d => d.Id == factura)).Balance);
        var notes = await check.Db.Documents.Where(d => d.Type == DocumentType.NotaCredito).Select(d => d.Folio).OrderBy(f => f).ToListAsync();
        Assert.Equal([1L, 2L, 3L], notes);
    }
}
