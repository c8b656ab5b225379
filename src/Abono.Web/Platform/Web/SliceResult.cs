using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;
using RazorSlices;

namespace Abono.Web.Platform.Web;

/// <summary>
/// A Razor Slice as a page handler's answer: the page keeps its PageModel (binding, session, redirects, handlers) and
/// only its HTML is written by the slice instead of the MVC view engine.
/// The page is rendered into pooled memory first and then sent with its Content-Length in a few large writes (issue
/// #19: the slice's many small writes each went through Kestrel's chunked output and its lock). A page that fails
/// while rendering has sent nothing, so the error page is shown whole instead of after half a page.
/// </summary>
public sealed class SliceResult(RazorSlice slice) : IActionResult
{
    // Never pauses: nobody reads the pipe until the page is complete (a long page must not wait for a reader).
    private static readonly PipeOptions Buffered = new(minimumSegmentSize: 16 * 1024, pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    /// <summary>Sent to the client at most this much at a time, so a slow client holds Kestrel's usual buffer, not the page.</summary>
    private const int FlushEvery = 64 * 1024;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var page = new Pipe(Buffered);
        try
        {
            slice.HttpContext = http;
            await slice.RenderAsync(page.Writer, slice.HtmlEncoder ?? http.RequestServices.GetService<HtmlEncoder>(), ct);
            await page.Writer.CompleteAsync();
            var read = await page.Reader.ReadAsync(ct);
            var body = read.Buffer;
            http.Response.StatusCode = slice.StatusCode;
            http.Response.ContentType = slice.ContentType;
            if (slice.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
            {
                http.Response.ContentLength = body.Length;
                await http.Response.StartAsync(ct);
                long unflushed = 0;
                foreach (var segment in body)
                {
                    http.Response.BodyWriter.Write(segment.Span);
                    unflushed += segment.Length;
                    if (unflushed >= FlushEvery)
                    {
                        await http.Response.BodyWriter.FlushAsync(ct);
                        unflushed = 0;
                    }
                }
            }
            page.Reader.AdvanceTo(body.End);
            await http.Response.BodyWriter.FlushAsync(ct);
        }
        finally
        {
            await page.Reader.CompleteAsync();
            await page.Writer.CompleteAsync();
        }
    }
}
