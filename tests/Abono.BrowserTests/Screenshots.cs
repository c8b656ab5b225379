using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// The README's screenshots (docs/screens), taken by the journeys. Run with <c>ABONO_SCREENSHOTS=docs/screens</c> (a path
/// from the repository root) to refresh them; otherwise they go to a temporary folder and only the assertions count.
/// </summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("ABONO_SCREENSHOTS") is { Length: > 0 } configured
            ? Path.Combine(RepositoryRoot(), configured)
            : Path.Combine(Path.GetTempPath(), "abono-screens");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Abono.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
