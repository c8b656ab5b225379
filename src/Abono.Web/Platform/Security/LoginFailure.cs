using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Platform.Security;

/// <summary>
/// A failed portal identification or back-office sign-in, per (source, RUT or email) or per source (hashed keys, see
/// LoginThrottle), kept in the database so the throttle holds across instances.
/// </summary>
public sealed class LoginFailure
{
    public long Id { get; set; }
    public required string KeyHash { get; set; }
    public DateTime At { get; set; }
}

internal sealed class LoginFailureConfiguration : IEntityTypeConfiguration<LoginFailure>
{
    public void Configure(EntityTypeBuilder<LoginFailure> b)
    {
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => new { x.KeyHash, x.At });
    }
}
