#!/usr/bin/env python3
"""Where the gateway's CPU time goes, from `perf script -F comm,tid,ip,sym,dso` on stdin.

Each sample is charged to the component of its innermost frame (self time): the kernel's network stack, its
scheduler, the .NET runtime, Kestrel, YARP, HttpClient, the gateway's own code and so on. .NET frames are named by
the perf map the runtime writes (DOTNET_PerfMapEnabled=1, DOTNET_EnableWriteXorExecute=0); frames of ReadyToRun code
that was never rejitted are named by their assembly. BENCH_US_PER_REQUEST, when set, turns shares into microseconds
of CPU per request. Prints the components, then the busiest functions. `--by-assembly` charges .NET frames to their
assembly instead (for any .NET process: `bench/apiserver` uses it).
"""
import collections
import os
import re
import sys

# .NET namespaces to components, first match wins.
MANAGED = [
    ("Platform.Gateway.", "gateway's own code (predicates, filters, lb://, metrics)"),
    ("Yarp.", "YARP (forwarder, transforms, load balancing)"),
    ("Microsoft.AspNetCore.Server.Kestrel", "Kestrel (HTTP/1.1 server, parsing, response writing)"),
    ("Microsoft.AspNetCore.Routing", "ASP.NET Core routing and endpoint matching"),
    ("Microsoft.AspNetCore.", "ASP.NET Core other (hosting, middleware)"),
    ("Microsoft.Extensions.", "Microsoft.Extensions (logging, DI, options)"),
    ("Prometheus.", "prometheus-net (HTTP metrics middleware)"),
    ("System.Net.Http.", "HttpClient (SocketsHttpHandler, connection pool)"),
    ("System.Net.Sockets.", ".NET sockets (async I/O, epoll engine)"),
    ("System.IO.Pipelines.", "System.IO.Pipelines"),
    ("System.Threading.", "thread pool, tasks and locks"),
    ("System.Runtime.CompilerServices.", "async state machines"),
    ("System.Diagnostics.", "diagnostics (Activity, metrics)"),
    ("System.", ".NET base library other (strings, collections, memory)"),
]


BY_ASSEMBLY = "--by-assembly" in sys.argv


def component(sym, dso, stack):
    base = os.path.basename(dso)
    if dso == "[kernel.kallsyms]":
        names = " ".join(s for s, _ in stack)
        if re.search(r"\b(tcp_|ip_|__dev_queue_xmit|net_rx|sock_|__sys_send|__sys_recv|skb)", names):
            return "kernel: loopback TCP (send, receive, softirq)"
        if re.search(r"(epoll|ep_poll)", names):
            return "kernel: epoll"
        if re.search(r"(futex|schedule|__switch_to|finish_task_switch)", names):
            return "kernel: scheduler, futex, context switches"
        return "kernel: other (syscall entry, memory, timers)"
    if base.startswith("libcoreclr"):
        return "CoreCLR runtime (GC, allocation, stubs, type checks)"
    if base.startswith("libclrjit"):
        return "JIT"
    if base.startswith("libc.so") or base.startswith("libpthread"):
        return "libc (syscall wrappers, memcpy, locks)"
    if base.startswith("libSystem.Native"):
        return "System.Native (the runtime's syscall shim)"
    name = sym
    if (not name or name == "[unknown]") and base.endswith(".dll"):
        name = base[:-4] + "."
    # perf map names read "instance void [Assembly] Namespace.Type::Method(...)[OptimizedTier1]"
    m = re.search(r"\[([^\]]+)\]\s+([A-Za-z_][\w.`+<>]*)", name or "")
    if m:
        if BY_ASSEMBLY:
            return "assembly " + m.group(1)
        name = m.group(2)
    elif BY_ASSEMBLY and base.endswith(".dll"):
        return "assembly " + base[:-4] + " (ReadyToRun)"
    for prefix, label in MANAGED:
        if name.startswith(prefix):
            return label
    if name.startswith("stub ") or name.startswith("stub<"):
        return "CoreCLR runtime (GC, allocation, stubs, type checks)"
    return "other / unresolved (" + (base or "?") + ")"


def samples(lines):
    """(thread name, stack) per sample; the thread name is the "comm tid" header line without its tid."""
    stack, thread = [], "?"
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield thread, stack
            stack = []
            continue
        if not line.startswith("\t") and not line.startswith(" "):
            thread = re.sub(r"\s+\d+\s*$", "", line).strip()
            continue
        m = re.match(r"\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$", line)
        if m:
            stack.append((m.group(1).strip(), m.group(2)))
    if stack:
        yield thread, stack


def main():
    by_component = collections.Counter()
    by_symbol = collections.Counter()
    by_thread = collections.Counter()
    total = 0
    for thread, stack in samples(sys.stdin):
        by_thread[thread] += 1
        sym, dso = stack[0]
        by_component[component(sym, dso, stack)] += 1
        label = sym if sym and sym != "[unknown]" else os.path.basename(dso)
        label = re.sub(r"^(instance\s+)?\S+\s+\[[^\]]+\]\s+", "", label)  # drop "instance <type> [Assembly] "
        by_symbol[label[:110]] += 1
        total += 1
    if total == 0:
        print("profile: no samples (is perf allowed to sample this process?)")
        return 1
    us = float(os.environ.get("BENCH_US_PER_REQUEST", "0") or 0)
    print(f"CPU by component (self time, {total} samples)" + (f", of {us:.1f} us per request:" if us else ":"))
    rest = 0
    for name, n in by_component.most_common():
        share = n / total
        if share < 0.005:
            rest += n
            continue
        print(f"  {share * 100:5.1f} %" + (f"  {share * us:6.1f} us" if us else "") + f"  {name}")
    if rest:
        print(f"  {rest / total * 100:5.1f} %" + (f"  {rest / total * us:6.1f} us" if us else "") + "  everything under 0.5 % each")
    print("threads by share of samples:")
    for name, n in by_thread.most_common(6):
        print(f"  {n / total * 100:5.1f} %  {name}")
    print("busiest functions (self time):")
    for name, n in by_symbol.most_common(20):
        print(f"  {n / total * 100:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
