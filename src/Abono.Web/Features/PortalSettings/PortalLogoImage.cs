using SkiaSharp;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// Turns an uploaded logo into a PNG Abono made itself: only PNG and JPEG are decoded (by their content, not their
/// name or declared type), the picture is scaled down to fit <see cref="MaxWidth"/>×<see cref="MaxHeight"/> and
/// encoded again, so nothing of the uploaded file (metadata, trailing bytes, scripts of an SVG renamed .png) reaches a
/// payer. SVG is refused on purpose: it is a document that can carry script, not a picture.
/// </summary>
public static class PortalLogoImage
{
    public const int MaxUploadBytes = 1024 * 1024;
    public const int MaxWidth = 480;
    public const int MaxHeight = 160;
    /// <summary>A 1 MB PNG can claim a huge picture: 16 MP is 64 MB decoded, the most one upload may cost.</summary>
    private const int MaxDecodedPixels = 16_000_000;

    public sealed record Result(byte[]? Png, int Width, int Height, string? Error);

    public static Result Reencode(Stream upload, long length)
    {
        if (length <= 0)
        {
            return Fail("Elige un archivo de imagen.");
        }
        if (length > MaxUploadBytes)
        {
            return Fail("El logo puede pesar hasta 1 MB.");
        }
        using var buffer = new MemoryStream();
        upload.CopyTo(buffer);
        if (buffer.Length > MaxUploadBytes)
        {
            return Fail("El logo puede pesar hasta 1 MB.");
        }
        buffer.Position = 0;
        using var data = SKData.CreateCopy(buffer.ToArray());
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            return Fail("El logo debe ser una imagen PNG o JPEG.");
        }
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxDecodedPixels)
        {
            return Fail("La imagen es demasiado grande; usa una de menos de 16 megapíxeles (por ejemplo 1200×400).");
        }
        using var decoded = SKBitmap.Decode(codec, info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul));
        if (decoded is null)
        {
            return Fail("No pudimos leer la imagen; prueba con otro archivo PNG o JPEG.");
        }
        var scale = Math.Min(1.0, Math.Min((double)MaxWidth / decoded.Width, (double)MaxHeight / decoded.Height));
        var width = Math.Max(1, (int)Math.Round(decoded.Width * scale));
        var height = Math.Max(1, (int)Math.Round(decoded.Height * scale));
        using var resized = scale < 1.0
            ? decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            : decoded.Copy();
        using var image = SKImage.FromBitmap(resized);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return new Result(png.ToArray(), width, height, null);
    }

    private static Result Fail(string message) => new(null, 0, 0, message);
}
