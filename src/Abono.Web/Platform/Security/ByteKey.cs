namespace Abono.Web.Platform.Security;

/// <summary>
/// Bytes as a cache key, compared by content (a base64 string of them cost an allocation of twice their size on every
/// page: issue #19). <see cref="HashCode"/> is seeded per process, so nobody can choose keys that collide. The key
/// holds the array it was given: store only arrays nobody else will change.
/// </summary>
public sealed class ByteKey(byte[] bytes) : IEquatable<ByteKey>
{
    private readonly int _hash = Hash(bytes);

    private byte[] Bytes => bytes;

    public bool Equals(ByteKey? other) => other is not null && bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => Equals(obj as ByteKey);

    public override int GetHashCode() => _hash;

    private static int Hash(byte[] value)
    {
        var hash = new HashCode();
        hash.AddBytes(value);
        return hash.ToHashCode();
    }
}
