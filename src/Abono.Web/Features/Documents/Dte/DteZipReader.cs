using System.Buffers.Binary;
using System.IO.Compression;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Reads the .xml entries of a .zip one at a time (10,000 files never sit in memory together), within caps on
/// entries, sizes and paths. Nothing is ever written to disk. Refusals of the whole .zip throw
/// <see cref="DteZipRefusedException"/>: before the first entry when the directory shows it, or midway when an entry
/// turns out larger than it declared (a zip bomb lies about its sizes).
/// </summary>
public sealed class DteZipReader(DteZipLimits? limits = null)
{
    private readonly DteZipLimits _limits = limits ?? DteZipLimits.Default;

    public IEnumerable<DteZipEntry> ReadEntries(Stream zip)
    {
        var seekable = Seekable(zip);
        var declaredEntries = DeclaredEntryCount(seekable);
        if (declaredEntries > _limits.MaxEntries)
        {
            throw TooManyEntries(declaredEntries);
        }
        ZipArchive archive;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: false);
            entries = archive.Entries;
        }
        catch (InvalidDataException)
        {
            throw new DteZipRefusedException("El archivo no es un .zip válido o está dañado.");
        }
        try
        {
            // Everything the directory tells is checked before the first entry is handed out.
            if (entries.Count > _limits.MaxEntries)
            {
                throw TooManyEntries(entries.Count);
            }
            foreach (var entry in entries)
            {
                if (!IsSafePath(entry.FullName))
                {
                    throw new DteZipRefusedException(
                        $"El .zip contiene una ruta no permitida («{Shown(entry.FullName)}»): no se acepta «..», rutas absolutas ni unidades.");
                }
            }
            var declaredTotal = entries.Sum(e => e.Length);
            if (declaredTotal > _limits.MaxTotalBytes)
            {
                throw new DteZipRefusedException($"El .zip descomprimido pesaría {Megabytes(declaredTotal)}; el máximo es {Megabytes(_limits.MaxTotalBytes)}.");
            }
        }
        catch
        {
            archive.Dispose();
            throw;
        }
        return Entries(archive, entries);
    }

    // Enumerate to the end (or dispose the enumerator) to release the archive.
    private IEnumerable<DteZipEntry> Entries(ZipArchive archive, IReadOnlyList<ZipArchiveEntry> entries)
    {
        using (archive)
        {
            long total = 0;
            foreach (var entry in entries)
            {
                if (IsDirectoryOrJunk(entry))
                {
                    continue;
                }
                var name = entry.FullName;
                if (!name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                {
                    yield return new DteZipEntry(name, ReadOnlyMemory<byte>.Empty,
                        DteIssue.Warning(DteIssueCodes.ZipNotXml, $"{Shown(name)}: se omitió porque no es un archivo .xml."));
                    continue;
                }
                if (entry.IsEncrypted)
                {
                    yield return new DteZipEntry(name, ReadOnlyMemory<byte>.Empty,
                        DteIssue.Error(DteIssueCodes.ZipEncrypted, $"{Shown(name)}: está protegido con contraseña y no se puede leer."));
                    continue;
                }
                if (entry.Length > _limits.MaxEntryBytes)
                {
                    yield return new DteZipEntry(name, ReadOnlyMemory<byte>.Empty, DteIssue.Error(DteIssueCodes.FileTooLarge,
                        $"{Shown(name)}: pesa {Megabytes(entry.Length)} y el máximo es {Megabytes(_limits.MaxEntryBytes)} por archivo."));
                    continue;
                }
                var content = ReadAtMost(entry, entry.Length);
                total += content.Length;
                if (total > _limits.MaxTotalBytes)
                {
                    throw new DteZipRefusedException($"El .zip descomprimido supera {Megabytes(_limits.MaxTotalBytes)}.");
                }
                yield return new DteZipEntry(name, content);
            }
        }
    }

    // Reads the entry but never more than it declared. .NET stops inflating at the declared size, so a bomb that
    // lies about its size comes out truncated: its CRC then differs from the one the directory declares.
    private static byte[] ReadAtMost(ZipArchiveEntry entry, long declared)
    {
        var buffer = new byte[declared];
        try
        {
            using var stream = entry.Open();
            var read = 0;
            while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
            {
                read += n;
            }
            if (read < buffer.Length || stream.ReadByte() >= 0)
            {
                throw Lying(entry);
            }
        }
        catch (InvalidDataException)
        {
            throw Lying(entry);
        }
        if (ZipCrc32.Compute(buffer) != entry.Crc32)
        {
            throw Lying(entry);
        }
        return buffer;
    }

    private static DteZipRefusedException Lying(ZipArchiveEntry entry) => new(
        $"El .zip está dañado o fue manipulado: «{Shown(entry.FullName)}» no tiene el tamaño que declara (posible bomba de compresión).");

    private Stream Seekable(Stream zip)
    {
        if (zip.CanSeek)
        {
            if (zip.Length - zip.Position > _limits.MaxZipBytes)
            {
                throw new DteZipRefusedException($"El .zip pesa {Megabytes(zip.Length)}; el máximo es {Megabytes(_limits.MaxZipBytes)}.");
            }
            return zip;
        }
        var copy = new MemoryStream();
        var buffer = new byte[81920];
        while (zip.Read(buffer) is var n and > 0)
        {
            copy.Write(buffer, 0, n);
            if (copy.Length > _limits.MaxZipBytes)
            {
                throw new DteZipRefusedException($"El .zip pesa más de {Megabytes(_limits.MaxZipBytes)}, el máximo.");
            }
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>
    /// The entry count of the end-of-central-directory record, read before ZipArchive loads the whole directory
    /// (which a .zip declaring millions of entries would make us hold in memory). -1 when not found or Zip64.
    /// </summary>
    private static long DeclaredEntryCount(Stream zip)
    {
        var start = zip.Position;
        var tailLength = (int)Math.Min(zip.Length - start, 22 + 65535);
        if (tailLength < 22)
        {
            return -1;
        }
        var tail = new byte[tailLength];
        zip.Seek(-tailLength, SeekOrigin.End);
        zip.ReadExactly(tail);
        zip.Position = start;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == 0x06054b50)
            {
                var count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
                return count == 0xFFFF ? -1 : count;
            }
        }
        return -1;
    }

    private DteZipRefusedException TooManyEntries(long count) =>
        new($"El .zip tiene {count.ToString("#,0", ChileFormats.Numbers)} archivos; el máximo es {_limits.MaxEntries.ToString("#,0", ChileFormats.Numbers)}.");

    private static bool IsSafePath(string name)
    {
        if (name.Length == 0 || name.Length > 512 || name[0] is '/' or '\\' || name.Contains(':') || name.Contains('\0'))
        {
            return false;
        }
        return !name.Split('/', '\\').Any(segment => segment == "..");
    }

    // Folders, and the metadata macOS adds to every .zip (__MACOSX/, ._name): never documents.
    private static bool IsDirectoryOrJunk(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)
        || entry.Name.StartsWith("._", StringComparison.Ordinal);

    private static string Shown(string name) => name.Length <= 120 ? name : name[..120] + "…";

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("#,0.#", ChileFormats.Numbers) + " MB";
}
