using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;
using RazorSlices;

namespace Abono.Web.Platform.Web;

/// <summary>
/// A Razor Slice as a page handler's answer: the page keeps its PageModel (binding, session, redirects, handlers) and
/// only its HTML is written by the slice instead of the MVC view engine.
/// The page is rendered into pooled memory first and then sent in one write with its Content-Length (issue #19: the
/// slice's many small writes each went through Kestrel's chunked output and its lock; about 14 µs of Kestrel's time per
/// page more than the raw baseline's single write). A page that fails while rendering has sent nothing, so the error
/// page is shown whole instead of after half a page.
/// </summary>
public sealed class SliceResult(RazorSlice slice) : IActionResult
{
    // Never pauses: nobody reads the pipe until the page is complete (a long page must not wait for a reader).
    private static readonly PipeOptions Buffered = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var page = new Pipe(Buffered);
        try
        {
            slice.HttpContext = http;
            await slice.RenderAsync(page.Writer, slice.HtmlEncoder ?? http.RequestServices.GetService<HtmlEncoder>(), http.RequestAborted);
            await page.Writer.FlushAsync(http.RequestAborted);
            page.Reader.TryRead(out var read);
            var body = read.Buffer;
            http.Response.StatusCode = slice.StatusCode;
            http.Response.ContentType = slice.ContentType;
            http.Response.ContentLength = body.Length;
            foreach (var segment in body)
            {
                http.Response.BodyWriter.Write(segment.Span);
            }
            page.Reader.AdvanceTo(body.End);
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        }
        finally
        {
            await page.Reader.CompleteAsync();
            await page.Writer.CompleteAsync();
        }
    }
}
