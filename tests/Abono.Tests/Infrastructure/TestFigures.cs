using Xunit.Abstractions;

namespace Abono.Tests.Infrastructure;

/// <summary>Measured figures of the heavy tests: to the test's output and, under ./test.sh, to a file it prints at the end.</summary>
public static class TestFigures
{
    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string line)
    {
        var stamped = $"[{AbonoFactory.Provider}] {line}";
        output.WriteLine(stamped);
        if (Environment.GetEnvironmentVariable("ABONO_TEST_FIGURES") is { Length: > 0 } path)
        {
            lock (Gate)
            {
                File.AppendAllLines(path, [stamped]);
            }
        }
    }
}
