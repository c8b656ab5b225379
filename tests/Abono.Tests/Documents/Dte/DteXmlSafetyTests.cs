using System.Text;
using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

/// <summary>
/// Hostile files: each is refused with a clear Spanish error, and nothing named in it is read or fetched. Outcomes
/// only: no assertion here depends on timing.
/// </summary>
public class DteXmlSafetyTests
{
    private const string BillionLaughs = """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!DOCTYPE DTE [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <DTE version="1.0"><Documento ID="F1T33"><Encabezado><Receptor><RznSocRecep>&lol9;</RznSocRecep></Receptor></Encabezado></Documento></DTE>
        """;

    private static void AssertRefusedAsDtd(DteFileResult result)
    {
        var error = Assert.Single(result.Issues);
        Assert.True(error.IsError);
        Assert.Equal(DteIssueCodes.Dtd, error.Code);
        Assert.StartsWith("El archivo trae una declaración DOCTYPE (DTD). Por seguridad no se aceptan", error.Message);
        Assert.Empty(result.Documents);
        Assert.Equal(DteFileKind.Unknown, result.Kind);
    }

    [Fact]
    public void A_billion_laughs_file_is_refused_without_expanding_anything()
    {
        AssertRefusedAsDtd(DteAssert.Read(Encoding.Latin1.GetBytes(BillionLaughs)));
    }

    [Fact]
    public void An_external_entity_pointing_at_a_local_file_is_refused_and_the_file_is_not_read()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"abono-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRETO-DEL-SERVIDOR");
        try
        {
            foreach (var target in new[] { "file:///etc/passwd", new Uri(secret).AbsoluteUri })
            {
                var xml = $"""
                    <?xml version="1.0"?>
                    <!DOCTYPE DTE [ <!ENTITY xxe SYSTEM "{target}"> ]>
                    <DTE version="1.0"><Documento ID="F1T33"><Encabezado><Receptor><RznSocRecep>&xxe;</RznSocRecep></Receptor></Encabezado></Documento></DTE>
                    """;

                var result = DteAssert.Read(Encoding.UTF8.GetBytes(xml));

                AssertRefusedAsDtd(result);
                Assert.DoesNotContain("SECRETO-DEL-SERVIDOR", string.Join(" ", result.Issues.Select(i => i.Message)));
                Assert.DoesNotContain("root:", string.Join(" ", result.Issues.Select(i => i.Message)));
            }
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void An_external_entity_or_dtd_over_http_is_refused_and_never_requested()
    {
        using var trap = new LoopbackTrap();
        var files = new[]
        {
            $"<?xml version=\"1.0\"?><!DOCTYPE DTE [ <!ENTITY xxe SYSTEM \"{trap.Url}\"> ]><DTE><Documento>&xxe;</Documento></DTE>",
            $"<?xml version=\"1.0\"?><!DOCTYPE DTE SYSTEM \"{trap.Url}\"><DTE><Documento/></DTE>",
            $"<?xml version=\"1.0\"?><!DOCTYPE DTE [ <!ENTITY % remote SYSTEM \"{trap.Url}\"> %remote; ]><DTE/>",
            // A DOCTYPE after a comment and blank lines is found just the same.
            $"<?xml version=\"1.0\"?>\n<!-- exportado -->\n\n<!DOCTYPE DTE [ <!ENTITY xxe SYSTEM \"{trap.Url}\"> ]><DTE>&xxe;</DTE>",
        };

        foreach (var file in files)
        {
            AssertRefusedAsDtd(DteAssert.Read(Encoding.UTF8.GetBytes(file)));
        }
        Assert.Equal(0, trap.Connections);
    }

    [Fact]
    public void A_schema_location_in_the_file_is_ignored_the_embedded_schemas_are_used_and_nothing_is_fetched()
    {
        using var trap = new LoopbackTrap();
        var text = DteXmlBuilder.DteText(new TestDte()).Replace("<DTE xmlns=\"http://www.sii.cl/SiiDte\"",
            $"<DTE xmlns=\"http://www.sii.cl/SiiDte\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.sii.cl/SiiDte {trap.Url}\"");

        var document = Assert.Single(DteAssert.Read(DteXmlBuilder.File(text, DteXmlBuilder.Latin1)).Documents);

        Assert.Equal(DteSchemaCheck.Valid, document.Schema);
        Assert.Equal(0, trap.Connections);
    }

    [Fact]
    public void A_file_over_the_size_cap_is_refused_before_parsing()
    {
        var reader = new DteFileReader();
        var big = new byte[reader.Options.MaxFileBytes + 1];
        "<DTE>"u8.CopyTo(big);

        var result = reader.Read(big, "enorme.xml");

        var error = Assert.Single(result.Issues);
        Assert.Equal(DteIssueCodes.FileTooLarge, error.Code);
        Assert.Equal("El archivo pesa 5,0 MB y el máximo es 5 MB por archivo.", error.Message);
    }

    [Fact]
    public void A_stream_is_read_only_up_to_the_cap()
    {
        var reader = new DteFileReader(new DteReaderOptions { MaxFileBytes = 64 * 1024 });
        using var endless = new EndlessStream();

        var result = reader.Read(endless, "sin-fin.xml");

        Assert.Equal(DteIssueCodes.FileTooLarge, Assert.Single(result.Issues).Code);
        Assert.Equal(64 * 1024 + 1, endless.Served);
    }

    [Fact]
    public void Absurdly_deep_nesting_is_refused_before_parsing()
    {
        var xml = "<DTE>" + string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</DTE>";

        var error = Assert.Single(DteAssert.Read(Encoding.UTF8.GetBytes(xml)).Issues);

        Assert.Equal(DteIssueCodes.TooDeep, error.Code);
        Assert.Equal("El XML tiene más de 64 niveles de elementos anidados: no es un DTE.", error.Message);
    }

    [Fact]
    public void An_unknown_declared_encoding_is_refused()
    {
        var error = Assert.Single(DteAssert.Read(Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"x-klingon\"?><DTE/>")).Issues);

        Assert.Equal("El archivo declara la codificación «x-klingon», que no reconocemos. Los DTE usan ISO-8859-1 o UTF-8.", error.Message);
    }

    [Fact]
    public void A_dte_in_a_foreign_namespace_is_refused()
    {
        var error = Assert.Single(DteAssert.Read(Encoding.UTF8.GetBytes("<DTE xmlns=\"urn:otra-cosa\"><Documento/></DTE>")).Issues);

        Assert.Equal("El archivo no es un DTE del SII: su elemento principal «DTE» está en el espacio de nombres «urn:otra-cosa».", error.Message);
    }

    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            Served += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
