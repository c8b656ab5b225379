using System.Linq.Expressions;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.Account;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Companies;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Portal;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Features.Products;
using Abono.Web.Features.Sandbox;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Data;

/// <summary>
/// The one database of Abono. Every <see cref="ITenantOwned"/> row is filtered to the scope's company
/// by a global query filter, and SaveChanges refuses to write a row of another company, so isolation
/// holds by construction rather than by every handler remembering a Where clause.
/// <para>
/// Contexts are pooled (creating one cost ~150 µs of the portal's hot page, most of it DI rebuilding EF's services):
/// each lease is given its scope's <see cref="TenantContext"/> by <see cref="DataExtensions"/>, and a context going
/// back to the pool forgets it, so a pooled instance never answers for the company of an earlier request.
/// </para>
/// </summary>
public abstract class AbonoDbContext : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>, IDataProtectionKeyContext
{
    private TenantContext tenant = new();

    /// <summary>The pool's constructor (it allows only this one): no company until <see cref="Lease"/> gives it one.</summary>
    protected AbonoDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>Binds a pooled instance to the scope that leased it.</summary>
    internal void Lease(TenantContext scopeTenant) => tenant = scopeTenant;

    public override void Dispose()
    {
        tenant = new TenantContext();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        tenant = new TenantContext();
        return base.DisposeAsync();
    }

    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<DocumentLine> DocumentLines => Set<DocumentLine>();
    public DbSet<DocumentPayment> DocumentPayments => Set<DocumentPayment>();
    public DbSet<FolioCounter> FolioCounters => Set<FolioCounter>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Checkout> Checkouts => Set<Checkout>();
    public DbSet<CheckoutApproval> CheckoutApprovals => Set<CheckoutApproval>();
    public DbSet<SandboxPayment> SandboxPayments => Set<SandboxPayment>();
    public DbSet<AddOn> AddOns => Set<AddOn>();
    public DbSet<ServiceSubscription> Subscriptions => Set<ServiceSubscription>();
    public DbSet<PlatformInvoice> PlatformInvoices => Set<PlatformInvoice>();
    public DbSet<PortalConfiguration> PortalConfigurations => Set<PortalConfiguration>();
    public DbSet<PortalLogo> PortalLogos => Set<PortalLogo>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<PaymentMethod> PaymentMethods => Set<PaymentMethod>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentAllocation> PaymentAllocations => Set<PaymentAllocation>();
    public DbSet<PaymentRefund> PaymentRefunds => Set<PaymentRefund>();
    public DbSet<Features.Payments.Inbox.InboxEvent> InboxEvents => Set<Features.Payments.Inbox.InboxEvent>();
    public DbSet<CheckoutDocument> CheckoutDocuments => Set<CheckoutDocument>();
    public DbSet<DocumentPaymentLock> DocumentPaymentLocks => Set<DocumentPaymentLock>();
    public DbSet<CustomerPortalLink> CustomerPortalLinks => Set<CustomerPortalLink>();
    // The table keeps its first name; back-office sign-in shares it with the portal.
    public DbSet<LoginFailure> PortalLoginFailures => Set<LoginFailure>();
    public DbSet<PortalVerificationCode> PortalVerificationCodes => Set<PortalVerificationCode>();
    public DbSet<Features.Api.ApiKey> ApiKeys => Set<Features.Api.ApiKey>();
    public DbSet<Features.Api.IdempotencyRecord> IdempotencyRecords => Set<Features.Api.IdempotencyRecord>();
    public DbSet<Features.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Features.Webhooks.WebhookEndpoint>();
    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();
    public DbSet<Features.Reminders.ReminderSettings> ReminderSettings => Set<Features.Reminders.ReminderSettings>();
    public DbSet<Features.Reminders.ReminderLog> ReminderLogs => Set<Features.Reminders.ReminderLog>();
    public DbSet<TransferDeclaration> TransferDeclarations => Set<TransferDeclaration>();
    public DbSet<DocumentXml> DocumentXmls => Set<DocumentXml>();
    public DbSet<DocumentReference> DocumentReferences => Set<DocumentReference>();
    public DbSet<DocumentCession> DocumentCessions => Set<DocumentCession>();
    public DbSet<BankStatement> BankStatements => Set<BankStatement>();
    public DbSet<BankStatementLine> BankStatementLines => Set<BankStatementLine>();

    /// <summary>Read by the query filters on every query; EF parameterizes it per context instance.</summary>
    public Guid CurrentCompanyId => tenant.CompanyId;

    public TenantContext Tenant => tenant;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AbonoDbContext).Assembly);

        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType) && entity.BaseType is null)
            {
                var parameter = Expression.Parameter(entity.ClrType, "e");
                var body = Expression.Equal(
                    Expression.Property(parameter, nameof(ITenantOwned.CompanyId)),
                    Expression.Property(Expression.Constant(this), nameof(CurrentCompanyId)));
                entity.SetQueryFilter(Expression.Lambda(body, parameter));
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        try
        {
            GuardTenant(detect);
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        try
        {
            GuardTenant(detect);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Checks every row about to be written against the scope's company (and gives new rows its id). Changes are
    /// detected once here and the save that follows does not detect them again (the confirmation path's profile showed
    /// it done twice per save, issue #19); the id is set through the change tracker, so nothing is missed.
    /// </summary>
    private void GuardTenant(bool detect)
    {
        if (detect)
        {
            ChangeTracker.DetectChanges();
        }
        ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.CompanyId == Guid.Empty)
            {
                entry.Property(nameof(ITenantOwned.CompanyId)).CurrentValue = tenant.CompanyId;
            }
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                if (entry.Entity.CompanyId == Guid.Empty
                    || (tenant.HasCompany && entry.Entity.CompanyId != tenant.CompanyId))
                {
                    throw new InvalidOperationException(
                        $"Refusing to write a {entry.Metadata.ClrType.Name} outside the current company.");
                }
                if (entry.State == EntityState.Modified && entry.Property(nameof(ITenantOwned.CompanyId)).IsModified)
                {
                    throw new InvalidOperationException("A row cannot move to another company.");
                }
            }
        }
    }
}
