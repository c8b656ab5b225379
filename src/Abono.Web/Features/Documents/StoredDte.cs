using Abono.Web.Data;
using Abono.Web.Features.Documents.Dte;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>The DTE XML Abono holds for a document, read back for its printed representation and its download.</summary>
public static class StoredDte
{
    /// <summary>Re-reading only needs the fields: the signature and schema were checked (and recorded) at import.</summary>
    private static readonly DteFileReader Reader = new(new DteReaderOptions { SchemaValidation = DteSchemaValidation.Off, VerifySignatures = false });

    public static Task<DocumentXml?> FindAsync(AbonoDbContext db, long documentId, CancellationToken ct) =>
        db.DocumentXmls.AsNoTracking().SingleOrDefaultAsync(x => x.DocumentId == documentId, ct);

    public static Task<bool> ExistsAsync(AbonoDbContext db, long documentId, CancellationToken ct) =>
        db.DocumentXmls.AnyAsync(x => x.DocumentId == documentId, ct);

    /// <summary>The document as its XML states it; null when the stored bytes no longer read as one DTE.</summary>
    public static DteDocument? Read(DocumentXml xml) =>
        Reader.Read(xml.Content, xml.FileName).Documents is [var only] ? only : null;

    /// <summary>"factura-electronica-123.xml".</summary>
    public static string FileName(Document document) => Path.ChangeExtension(DocumentPdf.FileName(document), ".xml");

    /// <summary>The bytes are served as they came, so the charset must be the one they are written in.</summary>
    public static string ContentType(DocumentXml xml) => $"application/xml; charset={Import.DteXmlCharset.Of(xml.Content).ToLowerInvariant()}";
}
