using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

public static class Accessibility
{
    /// <summary>Runs axe on the page as it is now; serious and critical violations fail the test.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string context)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0,
            $"{context} ({page.Url}) has accessibility violations:\n" + string.Join("\n", blocking.Select(Describe)));
    }

    private static string Describe(AxeResultItem v) =>
        $"- [{v.Impact}] {v.Id}: {v.Help} → {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}";
}
