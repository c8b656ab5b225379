using System.Text.RegularExpressions;
using ZXing;
using ZXing.Common;
using ZXing.PDF417;
using ZXing.PDF417.Internal;

namespace Abono.Web.Features.Documents;

/// <summary>
/// The Timbre Electrónico (TED) of a DTE as the PDF417 barcode the SII's printed representation carries: error
/// correction level 5, ISO-8859-1 bytes, the TED element with the whitespace between its tags removed (as invoicing
/// systems print it; the barcode reader of the SII reads the element, not its indentation).
/// </summary>
public static partial class SiiTimbre
{
    public static BitMatrix Encode(string tedXml)
    {
        var hints = new Dictionary<EncodeHintType, object>
        {
            [EncodeHintType.ERROR_CORRECTION] = PDF417ErrorCorrectionLevel.L5,
            [EncodeHintType.CHARACTER_SET] = "ISO-8859-1",
            [EncodeHintType.PDF417_COMPACTION] = Compaction.BYTE,
            [EncodeHintType.MARGIN] = 0,
        };
        return new PDF417Writer().encode(Flatten(tedXml), BarcodeFormat.PDF_417, 0, 0, hints);
    }

    /// <summary>The TED without indentation: "&lt;TED version="1.0"&gt;&lt;DD&gt;…".</summary>
    public static string Flatten(string tedXml) => BetweenTags().Replace(tedXml.Trim(), "><");

    [GeneratedRegex(@">\s+<")]
    private static partial Regex BetweenTags();
}
