using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Screenshots for the README: <c>ABONO_SCREENSHOTS=docs/screens</c> (a path from the repository root) refreshes them;
/// otherwise they go to a temporary folder, so every run still takes them.
/// </summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable("ABONO_SCREENSHOTS") is { Length: > 0 } configured
            ? Path.Combine(RepositoryRoot(), configured)
            : Path.Combine(Path.GetTempPath(), "abono-screens");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
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
