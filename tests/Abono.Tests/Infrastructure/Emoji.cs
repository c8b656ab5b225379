using System.Text.RegularExpressions;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// Emoji and the symbol blocks they come from (technical, miscellaneous symbols, dingbats such as ✓ ✔ ✕ ✉ ✏, arrows
/// block B, pictographs, the emoji variation selector). Arrows, dots and dashes in running text (Configuración → Portal
/// de pagos · 1–30 días) are typography and do not match.
/// </summary>
public static partial class Emoji
{
    [GeneratedRegex(@"[\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]|\uD83C[\uDC00-\uDFFF]|\uD83D[\uDC00-\uDFFF]|\uD83E[\uDC00-\uDEFF]")]
    public static partial Regex Pattern();
}
