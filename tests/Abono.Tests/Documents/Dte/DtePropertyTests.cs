using System.Text;
using Abono.Web.Features.Documents.Dte;
using Abono.Web.Platform.Chile;
using CsCheck;

namespace Abono.Tests.Documents.Dte;

/// <summary>
/// Properties over generated documents: whatever the builder writes following the SII's schema (any type, encoding,
/// namespace, envelope, signature, names with accents and XML's special characters) is read back field for field,
/// validates, keeps its exact bytes; and no damage to a file makes the reader throw.
/// A failure prints CsCheck's seed; replay it with ABONO_PROPERTY_SEED=seed.
/// </summary>
public class DtePropertyTests
{
    private static readonly string? Seed = Environment.GetEnvironmentVariable("ABONO_PROPERTY_SEED");
    private static readonly int[] Types = [33, 34, 39, 56, 61];
    private static readonly Encoding[] Encodings = [DteXmlBuilder.Latin1, DteXmlBuilder.Utf8, CodePages.Windows1252];

    private static Gen<string> Name(int max) =>
        Gen.Char["abcdefghijklmnopqrstuvwxyzñáéíóúüABCDEFGHIJKLMNÑÁÉÍÓÚÜ0123456789 .,&'<>\"-"].Array[1, max]
            .Select(chars => new string(chars).Trim()).Where(s => s.Length > 0);

    private static readonly Gen<string> Rut = Gen.Int[1_000_000, 99_999_999].Select(body => $"{body}-{Web.Platform.Chile.Rut.ComputeCheckDigit(body)}");

    private static readonly Gen<TestLine> Line =
        Gen.Select(Name(80), Gen.Int[1, 50_000], Gen.Long[1, 2_000_000], Gen.Bool, (name, hundredths, price, exempt) => new TestLine(name, hundredths / 100m, price, exempt));

    private static readonly Gen<TestDte> Document =
        Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Long[1, 9_999_999_999], Gen.Int[0, 18_000], Gen.Int[0, 3], Gen.Int[-1, 120], Rut, Name(100), Line.Array[1, 6])
            .SelectMany(t => Gen.Select(Name(90), Gen.Int[1, 3], Gen.Bool), (t, extra) =>
            {
                var (type, folio, day, form, dueIn, rut, name, lines) = t;
                var (reason, codRef, schedule) = extra;
                var issued = new DateOnly(2000, 1, 1).AddDays(day);
                var dte = new TestDte
                {
                    Tipo = Types[type],
                    Folio = folio,
                    FchEmis = issued,
                    FmaPago = form == 0 ? null : form,
                    FchVenc = dueIn < 0 ? null : issued.AddDays(dueIn),
                    RutRecep = rut,
                    RznSocRecep = name,
                    Lines = lines,
                    References = Types[type] is 56 or 61 ? [new("33", (folio + 1).ToString(), issued, codRef, reason)] : [],
                };
                return schedule ? Scheduled(dte) : dte;
            });

    private static readonly Gen<(TestDte[] Documents, int Encoding, bool Ns, bool Envelope, bool Signed)> Files =
        Gen.Select(Document.Array[1, 3], Gen.Int[0, Encodings.Length - 1], Gen.Bool, Gen.Bool, Gen.Bool);

    [Fact]
    public void Any_generated_document_round_trips_validates_and_keeps_its_exact_bytes()
    {
        Files.Sample(file =>
        {
            var (documents, encodingIndex, ns, envelope, signed) = file;
            // An envelope holds distinct documents; boletas travel in an EnvioBOLETA of their own, never mixed with facturas.
            documents = envelope ? documents.Select((d, i) => d with { Folio = d.Folio / 10 * 10 + i }).ToArray() : documents[..1];
            if (envelope && documents.Any(d => d.Tipo == 39) && !documents.All(d => d.Tipo == 39))
            {
                documents = documents.Select(d => d.Tipo != 39 ? d : d.Pagos.Count > 0 ? Scheduled(d with { Tipo = 33 }) : d with { Tipo = 33 }).ToArray();
            }
            var signer = signed ? DteTestSigner.Shared : null;
            var encoding = Encodings[encodingIndex];
            var bytes = envelope ? DteXmlBuilder.Envio(documents, encoding, ns, signer) : DteXmlBuilder.Dte(documents[0], encoding, ns, signer);

            var result = DteAssert.Read(bytes);

            DteAssert.Spotless(result);
            Assert.Equal(documents.Length, result.Documents.Count);
            foreach (var (expected, actual) in documents.Zip(result.Documents))
            {
                AssertSame(expected, actual);
                Assert.Equal(signed ? DteSignatureState.Valid : DteSignatureState.Unsigned, actual.Signature.State);
                Assert.Equal(expected.Tipo == 39 ? DteSchemaCheck.NotCovered : DteSchemaCheck.Valid, actual.Schema);
                Assert.Equal(bytes.AsSpan(actual.ByteOffset, actual.OriginalXml.Length).ToArray(), actual.OriginalXml.ToArray());
                Assert.Equal(actual.OriginalText, encoding.GetString(actual.OriginalXml.Span));
            }
        }, seed: Seed, iter: 60, threads: 1, print: f => string.Join(" | ", f.Documents.Select(d => d.ToString())));
    }

    [Fact]
    public void No_damage_to_a_file_makes_the_reader_throw()
    {
        var original = DteXmlBuilder.Envio([new TestDte { Folio = 1 }, new TestDte { Folio = 2, Tipo = 61, References = [new("33", "1", new DateOnly(2026, 11, 2), 1)] }],
            signer: DteTestSigner.Shared, signEnvelope: true);
        string[] snippets = ["<", ">", "&", "\"", "<!--", "]]>", "<![CDATA[", "<!DOCTYPE x>", "&#0;", "&#xD800;", "\0", "</DTE>", "<DTE>", "=", "xmlns:a=\"\"", "\u00ff"];
        var damage = Gen.Select(Gen.Int[0, original.Length - 1], Gen.Int[0, 2], Gen.Int[0, snippets.Length - 1], Gen.Byte).Array[1, 4];

        damage.Sample(edits =>
        {
            var bytes = original.ToList();
            foreach (var (position, kind, snippet, value) in edits)
            {
                var at = Math.Min(position, bytes.Count - 1);
                switch (kind)
                {
                    case 0:
                        bytes[at] = value;
                        break;
                    case 1:
                        bytes.InsertRange(at, Encoding.Latin1.GetBytes(snippets[snippet]));
                        break;
                    default:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, value));
                        break;
                }
            }

            var result = DteAssert.Read(bytes.ToArray());

            Assert.True(result.HasErrors || result.Documents.Count > 0);
            Assert.All(result.Issues.Concat(result.Documents.SelectMany(d => d.Issues)), i => Assert.False(string.IsNullOrWhiteSpace(i.Message)));
        }, seed: Seed, iter: 400, threads: 1);
    }

    [Fact]
    public void Random_bytes_are_refused_with_an_issue_never_an_exception()
    {
        Gen.Byte.Array[0, 2_000].Sample(bytes =>
        {
            var result = DteAssert.Read(bytes);

            Assert.True(result.HasErrors);
            Assert.Empty(result.Documents);
        }, seed: Seed, iter: 300, threads: 1);
    }

    // Two payments, 30 and 60 days after issue, that add up to the total.
    private static TestDte Scheduled(TestDte d) =>
        d with { Pagos = [(d.FchEmis.AddDays(30), d.Total / 2), (d.FchEmis.AddDays(60), d.Total - d.Total / 2)] };

    private static void AssertSame(TestDte expected, DteDocument actual)
    {
        Assert.Equal(expected.Tipo, actual.TipoDte);
        Assert.Equal(expected.Folio, actual.Folio);
        Assert.Equal(expected.FchEmis, actual.FchEmis);
        Assert.Equal(expected.FmaPago, (int?)actual.FmaPago);
        Assert.Equal(expected.FchVenc, actual.FchVenc);
        Assert.Equal(expected.RutEmisor, actual.Emisor.Rut?.Normalized);
        Assert.Equal(expected.RutRecep, actual.Receptor.Rut?.Normalized);
        Assert.Equal(expected.RznSocRecep, actual.Receptor.RznSocRecep);
        Assert.Equal(expected.HasTaxable ? expected.Neto : null, actual.Totales.MntNeto);
        Assert.Equal(expected.Exento > 0 ? expected.Exento : null, actual.Totales.MntExe);
        Assert.Equal(expected.HasTaxable ? expected.Iva : null, actual.Totales.IVA);
        Assert.Equal(expected.Total, actual.Totales.MntTotal);
        Assert.Equal(expected.Lines.Select(l => (l.Name, (decimal?)l.Qty, (decimal?)l.Price, (long?)l.Amount)),
            actual.Detalle.Select(l => (l.NmbItem!, l.QtyItem, l.PrcItem, l.MontoItem)));
        Assert.Equal(expected.References.Select(r => (r.TpoDocRef, r.FolioRef, (DateOnly?)r.FchRef, r.CodRef, r.RazonRef)),
            actual.Referencias.Select(r => (r.TpoDocRef!, r.FolioRef!, r.FchRef, r.CodRef, r.RazonRef)));
        Assert.Equal(expected.Pagos.Select(p => ((DateOnly?)p.Date, (long?)p.Amount)), actual.MntPagos.Select(p => (p.FchPago, p.MntPago)));
    }
}
