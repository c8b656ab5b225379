using System.Buffers.Binary;
using System.IO.Compression;
using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

public class DteZipReaderTests
{
    private static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void A_zip_of_several_xml_files_yields_each_one_and_says_what_it_skipped()
    {
        var facturas = Enumerable.Range(1, 3).Select(i => ($"noviembre/factura-{i}.xml", DteXmlBuilder.Dte(new TestDte { Folio = i }))).ToList();
        using var zip = Zip([.. facturas,
            ("noviembre/envio.XML", DteXmlBuilder.Envio([new TestDte { Folio = 10 }, new TestDte { Folio = 11 }])),
            ("noviembre/factura-1.pdf", [0x25, 0x50, 0x44, 0x46]),
            ("__MACOSX/noviembre/._factura-1.xml", [0, 5, 22, 7]),
            ("noviembre/", [])]);

        var entries = new DteZipReader().ReadEntries(zip).ToList();

        Assert.Equal(new[] { "noviembre/factura-1.xml", "noviembre/factura-2.xml", "noviembre/factura-3.xml", "noviembre/envio.XML", "noviembre/factura-1.pdf" },
            entries.Select(e => e.Name));
        var skipped = Assert.Single(entries, e => !e.IsXml);
        Assert.Equal("noviembre/factura-1.pdf: se omitió porque no es un archivo .xml.", skipped.Issue!.Message);
        var reader = new DteFileReader();
        var folios = entries.Where(e => e.IsXml).SelectMany(e => reader.Read(e.Content, e.Name).Documents).Select(d => d.Folio!.Value);
        Assert.Equal(new long[] { 1, 2, 3, 10, 11 }, folios);
        Assert.Equal(facturas[0].Item2, entries[0].Content.ToArray());
    }

    [Theory]
    [InlineData("../../etc/cron.d/factura.xml")]
    [InlineData("facturas/../../secreto.xml")]
    [InlineData("/etc/passwd.xml")]
    [InlineData("C:\\Windows\\factura.xml")]
    [InlineData("..\\factura.xml")]
    public void A_zip_with_a_path_that_climbs_out_is_refused_whole(string name)
    {
        using var zip = Zip(("bien.xml", DteXmlBuilder.Dte(new TestDte())), (name, DteXmlBuilder.Dte(new TestDte())));

        var refused = Assert.Throws<DteZipRefusedException>(() => new DteZipReader().ReadEntries(zip));

        Assert.StartsWith($"El .zip contiene una ruta no permitida («{name}»)", refused.Message);
    }

    [Fact]
    public void A_zip_with_too_many_entries_is_refused_before_reading_any()
    {
        using var zip = Zip(Enumerable.Range(0, 11).Select(i => ($"f{i}.xml", new byte[] { 60 })).ToArray());

        var refused = Assert.Throws<DteZipRefusedException>(() => new DteZipReader(new DteZipLimits { MaxEntries = 10 }).ReadEntries(zip));

        Assert.Equal("El .zip tiene 11 archivos; el máximo es 10.", refused.Message);
    }

    [Fact]
    public void A_compression_bomb_entry_is_not_inflated()
    {
        using var zip = Zip(("bomba.xml", new byte[50 * 1024 * 1024]), ("bien.xml", DteXmlBuilder.Dte(new TestDte())));
        Assert.True(zip.Length < 200_000);

        var entries = new DteZipReader().ReadEntries(zip).ToList();

        var bomb = entries[0];
        Assert.False(bomb.IsXml);
        Assert.True(bomb.Content.IsEmpty);
        Assert.Equal("bomba.xml: pesa 50 MB y el máximo es 5 MB por archivo.", bomb.Issue!.Message);
        Assert.True(entries[1].IsXml);
    }

    [Fact]
    public void A_zip_whose_total_would_be_too_large_is_refused()
    {
        using var zip = Zip(("a.xml", new byte[3 * 1024 * 1024]), ("b.xml", new byte[3 * 1024 * 1024]));

        var refused = Assert.Throws<DteZipRefusedException>(() => new DteZipReader(new DteZipLimits { MaxTotalBytes = 5 * 1024 * 1024 }).ReadEntries(zip));

        Assert.Equal("El .zip descomprimido pesaría 6 MB; el máximo es 5 MB.", refused.Message);
    }

    [Fact]
    public void An_entry_larger_than_it_declares_is_refused_as_a_bomb()
    {
        using var zip = Zip(("mentira.xml", new byte[1024 * 1024]));
        var bytes = zip.ToArray();
        // Declare 100 bytes in both the local header and the central directory; the data still inflates to 1 MB.
        PatchUncompressedSize(bytes, 0x04034b50, 22, 100);
        PatchUncompressedSize(bytes, 0x02014b50, 24, 100);

        var refused = Assert.Throws<DteZipRefusedException>(() => new DteZipReader().ReadEntries(new MemoryStream(bytes)).ToList());

        Assert.Equal("El .zip está dañado o fue manipulado: «mentira.xml» no tiene el tamaño que declara (posible bomba de compresión).", refused.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var refused = Assert.Throws<DteZipRefusedException>(() => new DteZipReader().ReadEntries(new MemoryStream(DteXmlBuilder.Dte(new TestDte()))));

        Assert.Equal("El archivo no es un .zip válido o está dañado.", refused.Message);
    }

    [Fact]
    public void A_zip_from_a_stream_that_cannot_seek_is_read_too()
    {
        using var zip = Zip(("a.xml", DteXmlBuilder.Dte(new TestDte())));

        var entries = new DteZipReader().ReadEntries(new ForwardOnly(zip)).ToList();

        Assert.True(Assert.Single(entries).IsXml);
    }

    private static void PatchUncompressedSize(byte[] zip, uint signature, int offset, uint size)
    {
        for (var i = 0; i <= zip.Length - 4; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == signature)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + offset), size);
                return;
            }
        }
        Assert.Fail("signature not found");
    }

    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
