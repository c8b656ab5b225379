#!/usr/bin/env python3
"""Reads `perf script` output (stdin) of the app under load and the dotnet-counters CSV (argv[1]); prints inclusive
CPU per request by component: a sample counts for a component when any frame of its stack matches the component's
pattern, so components overlap (Razor rendering includes the tag helpers it runs). Issue #19, bench/profile."""
import csv, re, sys
from collections import Counter

COMPONENTS = [
    ("all app CPU", r"."),
    ("Kestrel + sockets (HTTP parsing, I/O)", r"Microsoft\.AspNetCore\.Server\.Kestrel|System\.Net\.Sockets"),
    ("middleware pipeline (everything under it)", r"HostingApplication::ProcessRequestAsync|HostingApplication\.ProcessRequestAsync"),
    ("  security headers", r"SecurityHeaders"),
    ("  rate limiter", r"RateLimit"),
    ("  tenant middleware", r"TenantMiddleware"),
    ("  authentication (cookie handlers)", r"AuthenticationMiddleware|AuthenticationHandler|CookieAuthentication"),
    ("  authorization", r"AuthorizationMiddleware|PolicyEvaluator"),
    ("  static files", r"StaticFile|StaticAssets"),
    ("  routing + endpoint selection", r"EndpointRoutingMiddleware|DfaMatcher"),
    ("  logging + telemetry", r"Microsoft\.Extensions\.Logging|System\.Diagnostics\.Activity|OpenTelemetry|HostingMetrics"),
    ("Razor Pages action (handler + result)", r"PageActionInvoker|ResourceInvoker"),
    ("  page handler (OnGet, our code)", r"Features\.Portal\.[A-Za-z]+Model::On|Features\.Portal\.[A-Za-z]+Model\.On|PortalPageModel"),
    ("  Razor rendering (page + layout + partials)", r"RazorView::Render|RazorView\.Render|ViewExecutor|PageResultExecutor|RazorPageBase"),
    ("  tag helpers", r"TagHelper"),
    ("  file version hashing (asp-append-version)", r"FileVersionProvider|DefaultFileVersionProvider"),
    ("antiforgery", r"Antiforgery"),
    ("Data Protection (protect/unprotect)", r"DataProtection"),
    ("EF Core (all)", r"Microsoft\.EntityFrameworkCore"),
    ("  DbContext creation + disposal", r"DbContext::\.ctor|DbContext\.\.ctor|DbContext::get_|DbContext::Dispose|DbContext\.Dispose|DbContext::InternalServiceProvider|DbContextServices|DbContextPool"),
    ("  query compilation/cache", r"QueryCompiler|CompiledQueryCache|ExpressionTreeFuncletizer|ParameterExtractingExpressionVisitor"),
    ("Npgsql", r"Npgsql"),
    ("dependency injection", r"Microsoft\.Extensions\.DependencyInjection"),
    ("GC", r"gc_heap|GCHeap|WKS::|SVR::"),
    ("JIT", r"libclrjit"),
]

def stacks(lines):
    stack = []
    for line in lines:
        if not line.strip():
            if stack:
                yield stack
            stack = []
        elif line.startswith((" ", "\t")):
            stack.append(line.strip())
    if stack:
        yield stack

def counters(path):
    """Per-second means from dotnet-counters' CSV: process CPU (s/s, user + system) and bytes allocated per second."""
    cpu, alloc = {}, {}
    try:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                if len(row) < 5:
                    continue
                try:
                    v = float(row[4])
                except ValueError:
                    continue
                if row[2].startswith("dotnet.process.cpu.time"):
                    cpu[row[0]] = cpu.get(row[0], 0.0) + v
                elif row[2].startswith("dotnet.gc.heap.total_allocated"):
                    alloc[row[0]] = alloc.get(row[0], 0.0) + v
    except FileNotFoundError:
        pass
    mean = lambda d: sum(d.values()) / len(d) if d else 0.0
    return mean(cpu), mean(alloc)

# Exclusive attribution: each sample goes to the component of the frame nearest the leaf that belongs to one (the
# runtime's own code, the BCL and the kernel are skipped over, so a memcpy or a send() counts for whoever called it),
# except samples whose leaf is in the runtime itself (GC, allocation helpers, stubs). These add up to 100 %.
EXCLUSIVE = [
    ("Npgsql (protocol, parsing rows)", r"\[Npgsql\]"),
    ("EF Core (queries, materialization, context, change tracking)", r"\[Microsoft\.EntityFrameworkCore"),
    ("Data Protection + crypto", r"\[Microsoft\.AspNetCore\.DataProtection\]|\[System\.Security\.Cryptography\]|libcrypto|libssl|libSystem\.Security\.Cryptography"),
    ("antiforgery", r"\[Microsoft\.AspNetCore\.Antiforgery\]"),
    ("Razor rendering (views, tag helpers, HTML encoding)", r"AspNetCoreGeneratedDocument|\[Microsoft\.AspNetCore\.Mvc\.Razor|\[Microsoft\.AspNetCore\.Razor|TagHelpers|\[System\.Text\.Encodings\.Web\]|\[Microsoft\.AspNetCore\.Html"),
    ("our code (Abono.Web: page models, middleware, queries' C#)", r"\[Abono\.Web\]"),
    ("MVC / Razor Pages infrastructure (invoker, binding, filters)", r"\[Microsoft\.AspNetCore\.Mvc"),
    ("authentication + authorization", r"\[Microsoft\.AspNetCore\.Authentication|\[Microsoft\.AspNetCore\.Authorization|\[System\.Security\.Claims\]"),
    ("rate limiting", r"RateLimiting"),
    ("static files / routing / other middleware", r"\[Microsoft\.AspNetCore\.(StaticFiles|StaticAssets|Routing|Http|Diagnostics|ResponseCompression|HostFiltering|WebUtilities)"),
    ("Kestrel + sockets + pipelines (HTTP/1.1, I/O)", r"\[Microsoft\.AspNetCore\.Server\.Kestrel|\[System\.Net\.Sockets\]|\[System\.IO\.Pipelines\]|\[Microsoft\.AspNetCore\.Hosting|\[Microsoft\.AspNetCore\.Connections"),
    ("dependency injection", r"\[Microsoft\.Extensions\.DependencyInjection"),
    ("logging + diagnostics + metrics", r"\[Microsoft\.Extensions\.Logging|\[System\.Diagnostics\.DiagnosticSource\]|OpenTelemetry|\[Microsoft\.Extensions\.Diagnostics"),
    ("options / configuration / caching / primitives", r"\[Microsoft\.Extensions\."),
]
RUNTIME_LEAF = re.compile(r"libcoreclr|libclrjit|\[unknown\] \(/usr/share/dotnet|\(\[kernel\.kallsyms\]\)")

def exclusive(stack):
    leaf = stack[0] if stack else ""
    if re.search(r"libcoreclr|libclrjit", leaf):
        return "CLR runtime (GC, allocation, JIT, stubs)"
    if "libcrypto" in leaf:
        # OpenSSL frames carry no frame pointers, so perf cannot walk up to the managed caller: Data Protection's AES/HMAC.
        return "Data Protection + crypto"
    for frame in stack:
        for name, pattern in exclusive_patterns:
            if pattern.search(frame):
                return name
    if "kernel.kallsyms" in leaf:
        return "kernel: thread wake-ups, context switches, syscalls (no framework frame)"
    return "BCL / threads (no framework frame on the stack)"

exclusive_patterns = [(n, re.compile(p)) for n, p in EXCLUSIVE]
own = Counter()
patterns = [(n, re.compile(p)) for n, p in COMPONENTS]
counts, samples = Counter(), 0
for stack in stacks(sys.stdin):
    samples += 1
    own[exclusive(stack)] += 1
    text = "\n".join(stack)
    for name, pattern in patterns:
        if pattern.search(text):
            counts[name] += 1

# argv: counters.csv, our request rate during the window (from the bench's table), the window in seconds.
cpu, alloc = counters(sys.argv[1] if len(sys.argv) > 1 else "")
rps = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
total = rps * seconds
print(f"perf samples (999 Hz, ~1 ms of CPU each): {samples:,} over {seconds:.0f} s at {rps:,.0f} req/s = {total:,.0f} requests")
if rps:
    print(f"dotnet-counters: process CPU {cpu * 1e6 / rps:,.0f} µs/request ({cpu:.2f} cores), allocated {alloc / rps / 1024:,.1f} KB/request")
print(f"{'component (inclusive)':52} {'samples':>8} {'share':>6} {'µs/request':>11}")
for name, _ in COMPONENTS:
    c = counts[name]
    per = f"{c * 1001.0 / total:,.0f}" if total else "-"
    print(f"{name:52} {c:8,} {c / max(samples, 1):6.1%} {per:>11}")

print()
print(f"{'component (exclusive: nearest frame to the leaf; sums to 100 %)':62} {'samples':>8} {'share':>6} {'µs/request':>11}")
for name, c in own.most_common():
    per = f"{c * 1001.0 / total:,.0f}" if total else "-"
    print(f"{name:62} {c:8,} {c / max(samples, 1):6.1%} {per:>11}")
