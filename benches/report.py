#!/usr/bin/env python3
"""Turns the raw data of benches/run.sh into bench-results/results.md and spawn-latency.svg.

    report.py DATA_DIR RESULTS_DIR ELAPSED_SECONDS

DATA_DIR holds instructions.tsv (callgrind totals), spawn.json, sizes.tsv and size-flags.txt;
criterion's estimates are read from target/criterion/getppid. The goals are the ones of
benches/README.md; each is reported as met or missed, never asserted.
"""

import datetime
import json
import math
import os
import platform
import sys

data_dir, results_dir, elapsed = sys.argv[1], sys.argv[2], int(sys.argv[3])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SYSCALL_METHODS = [
    # (name on the command line, name in the table, user-space instructions added before rawsys)
    ("asm-baseline", "bare `syscall` (inline asm)", "0"),
    ("rawsys-raw", "rawsys `raw::syscall0(..).value()`", "-"),
    ("rawsys-decoded", "rawsys `syscall0` (`Result`)", "-"),
    ("sc", "`sc::syscall!`", "+0"),
    ("syscalls", "`syscalls::syscall0`", "+3"),
    ("rustix", "`rustix::process::getppid`", "+4"),
    ("libc-getppid", "`libc::getppid`", "+3"),
    ("libc-syscall", "`libc::syscall`", "+12"),
]
VFORK_EXEC = "rawsys vfork_exec"
RAWSYS_SPAWN = "rawsys spawn"
RAWSYS_SPAWN_DISCOVERY = "rawsys spawn, discovery"
ASM_CLONE = "asm clone(VM, VFORK)"
POSIX_SPAWN = "posix_spawn"

goals = []  # (goal, measured, met: True/False/None)


def median(values):
    return values[len(values) // 2] if values else None


def microseconds(nanoseconds):
    if nanoseconds is None:
        return "-"
    value = nanoseconds / 1000
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def ratio(value, reference):
    if not value or not reference:
        return "-"
    return f"{value / reference:.2f}x"


# 1. System call cost.
counts = {}
with open(os.path.join(data_dir, "instructions.tsv")) as table:
    for line in table:
        method, calls, once, twice = line.split("\t")
        counts[method] = (int(twice) - int(once)) / int(calls)
baseline = counts["asm-baseline"]


def criterion_ns(method):
    path = os.path.join(root, "target", "criterion", "getppid", method, "new", "estimates.json")
    try:
        with open(path) as estimates:
            return json.load(estimates)["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


syscall_rows = []
for method, label, before in SYSCALL_METHODS:
    per_call = counts[method]
    added = per_call - baseline
    nanoseconds = criterion_ns(method)
    syscall_rows.append(
        f"| {label} | {per_call:g} | {added:+g} | {before} | "
        + (f"{nanoseconds:.1f}" if nanoseconds is not None else "-")
        + " |"
    )
raw_added = counts["rawsys-raw"] - baseline
decoded_added = counts["rawsys-decoded"] - baseline
goals.append(("rawsys raw form adds +0 instructions to the bare trap", f"{raw_added:+g}",
              raw_added <= 0))
goals.append(("rawsys decoded form adds at most +2", f"{decoded_added:+g}", decoded_added <= 2))

# 2. Spawn latency.
with open(os.path.join(data_dir, "spawn.json")) as spawn_file:
    spawn = json.load(spawn_file)
sizes = spawn["sizes"]
measured_sizes = [size for size in sizes if not size["skipped"]]
method_names = []
for size in measured_sizes:
    for entry in size["methods"]:
        if entry["name"] not in method_names:
            method_names.append(entry["name"])


def entry_of(size, name):
    return next((entry for entry in size.get("methods", []) if entry["name"] == name), None)


def median_of(size, name):
    entry = entry_of(size, name)
    return median(entry["samples_ns"]) if entry and not entry["error"] else None


def cell(size, name):
    entry = entry_of(size, name)
    if entry is None:
        return "-"
    if entry["error"]:
        return "failed: " + entry["error"]
    return microseconds(median(entry["samples_ns"]))


header = "| method | " + " | ".join(size["label"] for size in measured_sizes) + " |"
rule = "|---|" + "---:|" * len(measured_sizes)
latency_rows = [header, rule]
ratio_rows = [header, rule]
range_rows = [header, rule]
commit_rows = [header, rule]
for name in method_names:
    latency_rows.append(f"| {name} | " + " | ".join(cell(s, name) for s in measured_sizes) + " |")
    ratio_rows.append(
        f"| {name} | "
        + " | ".join(ratio(median_of(s, name), median_of(s, VFORK_EXEC)) for s in measured_sizes)
        + " |"
    )
    ranges = []
    for size in measured_sizes:
        entry = entry_of(size, name)
        samples = entry["samples_ns"] if entry else []
        if samples:
            ranges.append(f"{microseconds(samples[0])} – {microseconds(samples[-1])} "
                          f"({len(samples)})")
        else:
            ranges.append("-")
    range_rows.append(f"| {name} | " + " | ".join(ranges) + " |")
    commits = []
    for size in measured_sizes:
        entry = entry_of(size, name)
        kib = entry["commit_kib"] if entry else None
        if name == "fork+execve":
            kib = size.get("fork_before_exec_commit_kib")
        commits.append("-" if kib is None else f"{kib / 1024:+,.1f}")
    commit_rows.append(f"| {name} | " + " | ".join(commits) + " |")
skipped_lines = [f"- {size['label']}: {size['skipped']}" for size in sizes if size["skipped"]]

# rawsys spawn against the three baselines of its goals, and what it adds to vfork_exec.
spawn_rows = ["| method | size | added to vfork_exec (µs) | ÷ vfork_exec | ÷ asm clone | "
              "÷ posix_spawn |", "|---|---|---:|---:|---:|---:|"]
for name in (RAWSYS_SPAWN, RAWSYS_SPAWN_DISCOVERY):
    for size in measured_sizes:
        value = median_of(size, name)
        vfork_exec = median_of(size, VFORK_EXEC)
        if value is None or vfork_exec is None:
            continue
        spawn_rows.append(
            f"| {name} | {size['label']} | {(value - vfork_exec) / 1000:+.1f} | "
            f"{ratio(value, vfork_exec)} | {ratio(value, median_of(size, ASM_CLONE))} | "
            f"{ratio(value, median_of(size, POSIX_SPAWN))} |")
signal_names = {1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                7: "SIGBUS", 8: "SIGFPE", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2",
                13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD"}
handled = spawn.get("handled_signals", [])
handled_text = ", ".join(f"{signal_names.get(number, number)} ({number})" for number in handled)
handled_text = handled_text or "none"

for size in measured_sizes:
    reference = median_of(size, ASM_CLONE)
    vfork_exec = median_of(size, VFORK_EXEC)
    if reference and vfork_exec:
        # "Within 1.0x" is read to the goal's own precision: the ratio rounds to 1.0.
        goals.append((f"vfork_exec within 1.0x (at most 1.05x) of the asm clone at "
                      f"{size['label']}", ratio(vfork_exec, reference),
                      vfork_exec <= 1.05 * reference))
    posix = median_of(size, POSIX_SPAWN)
    for name in (RAWSYS_SPAWN, RAWSYS_SPAWN_DISCOVERY):
        spawn_median = median_of(size, name)
        if spawn_median is None:
            goals.append((f"{name} at most 1.1x the asm clone and 0.75x posix_spawn at "
                          f"{size['label']}", "not measured", None))
            continue
        goals.append((f"{name} at most 1.1x the asm clone at {size['label']}",
                      ratio(spawn_median, reference), spawn_median <= 1.1 * reference))
        goals.append((f"{name} at most 0.75x posix_spawn at {size['label']}",
                      ratio(spawn_median, posix), spawn_median <= 0.75 * posix))
for name in (VFORK_EXEC, RAWSYS_SPAWN, RAWSYS_SPAWN_DISCOVERY):
    medians = [median_of(size, name) for size in measured_sizes]
    medians = [value for value in medians if value]
    if len(medians) >= 2 and name in method_names:
        first = medians[0]
        spread = max(abs(value / first - 1) for value in medians)
        goals.append((f"{name} flat within ±20% from {measured_sizes[0]['label']} to "
                      f"{measured_sizes[-1]['label']}", f"±{spread * 100:.0f}%", spread <= 0.2))

# 3. Sizes.
with open(os.path.join(data_dir, "size-flags.txt")) as flags_file:
    size_flags = flags_file.read().strip()
size_rows = ["| architecture | hello | hello, size flags | demo |", "|---|---:|---:|---:|"]
hello_sizes = {}
link_flag_arches = {}
with open(os.path.join(data_dir, "sizes.tsv")) as table:
    next(table)
    for line in table:
        arch, hello, tuned, demo, link_flags = line.rstrip("\n").split("\t")
        hello_sizes[arch] = (hello, tuned)
        marker = ""
        if link_flags != "-":
            link_flag_arches.setdefault(link_flags, []).append(arch)
            marker = " *"
        size_rows.append(f"| {arch}{marker} | {hello} | {tuned} | {demo} |")
link_flag_notes = [
    f"\\* {', '.join(arches)}: every build of the row also has `{flags}` in "
    "`RAWSYS_EXTRA_RUSTFLAGS`. GNU ld, the linker of these rows, otherwise pads the file so that "
    "the RELRO segment ends on a page (64 KiB on powerpc64: about 66 000 bytes for `hello`); a "
    "static program without libc has nothing that would apply RELRO."
    for flags, arches in link_flag_arches.items()]
for column, description in ((0, "as qemu-tests/build.sh builds it"),
                            (1, f"with the size flags `{size_flags}`")):
    measured = hello_sizes.get("x86_64", ("-", "-"))[column]
    goals.append((f"hello at most 1 KiB on x86_64, {description}", f"{measured} B",
                  None if measured == "-" else int(measured) <= 1024))


# The plot: median latency against parent memory, both axes logarithmic.
def svg_plot():
    width, height = 760, 460
    left, right, top, bottom = 80, 210, 40, 60
    plot_width, plot_height = width - left - right, height - top - bottom
    points = {name: [(size["mib"], median_of(size, name)) for size in measured_sizes
                     if median_of(size, name)] for name in method_names}
    all_values = [value for series in points.values() for _, value in series]
    if not all_values or not measured_sizes:
        return None
    low = 10 ** math.floor(math.log10(min(all_values) / 1000))
    high = 10 ** math.ceil(math.log10(max(all_values) / 1000))
    if high <= low:
        high = low * 10
    mib_low = math.log2(measured_sizes[0]["mib"])
    mib_high = math.log2(measured_sizes[-1]["mib"])
    mib_span = (mib_high - mib_low) or 1

    def x_of(mib):
        return left + (math.log2(mib) - mib_low) / mib_span * plot_width

    def y_of(nanoseconds):
        fraction = (math.log10(nanoseconds / 1000) - math.log10(low)) / (
            math.log10(high) - math.log10(low))
        return top + plot_height - fraction * plot_height

    # Several vfork-style methods lie on top of each other: dashes keep each one visible.
    dashes = ["", "", "7 4", "2 3", "", "9 3 2 3", "4 4", "1 2"]
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
               "#17becf"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left + plot_width / 2}" y="22" text-anchor="middle" font-size="15">'
        "Spawn and wait for a tiny static child, median latency</text>",
    ]
    decade = low
    while decade <= high * 1.0001:
        y = y_of(decade * 1000)
        label = f"{decade:g} µs" if decade < 1000 else f"{decade / 1000:g} ms"
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        decade *= 10
    for size in measured_sizes:
        x = x_of(size["mib"])
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" '
                     'stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_height + 18}" '
                     f'text-anchor="middle">{size["label"]}</text>')
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_width}" height="{plot_height}" '
                 'fill="none" stroke="#333"/>')
    parts.append(f'<text x="{left + plot_width / 2}" y="{height - 16}" text-anchor="middle">'
                 "memory the parent has written (log scale)</text>")
    parts.append(f'<text transform="translate(18 {top + plot_height / 2}) rotate(-90)" '
                 'text-anchor="middle">median latency (log scale)</text>')
    for index, name in enumerate(method_names):
        colour = colours[index % len(colours)]
        series = points[name]
        path = " ".join(f"{x_of(mib):.1f},{y_of(value):.1f}" for mib, value in series)
        dash = dashes[index % len(dashes)]
        dash = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>')
        for mib, value in series:
            parts.append(f'<circle cx="{x_of(mib):.1f}" cy="{y_of(value):.1f}" r="3" '
                         f'fill="{colour}"/>')
        legend_y = top + 10 + index * 20
        legend_x = left + plot_width + 16
        parts.append(f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 22}" '
                     f'y2="{legend_y}" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{legend_x + 28}" y="{legend_y + 4}">'
                     f'{name.replace("&", "&amp;")}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def machine():
    model = "unknown processor"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Linux {platform.release()}"


def verdict(met):
    return {True: "met", False: "**missed**", None: "not measured"}[met]


today = datetime.date.today().isoformat()
lines = [
    "# rawsys benchmark results",
    "",
    f"Written by `make bench` on {today} ({machine()}); the whole run took {elapsed} s.",
    "How each figure is measured: [benches/README.md](../benches/README.md).",
    "",
    "## Goals",
    "",
    "| goal | measured | |",
    "|---|---|---|",
    *[f"| {goal} | {measured} | {verdict(met)} |" for goal, measured, met in goals],
    "",
    "## System call cost: `getppid`",
    "",
    "Instructions are callgrind's count of user-space instructions per call, loop included "
    "(deterministic); *added* is that count less the bare trap's. *Before* is the figure "
    "measured for the other crates before rawsys existed. Time is criterion's median per call "
    "on a shared machine: noisy, and dominated by the kernel.",
    "",
    "| method | instructions per call | added | before | ns per call |",
    "|---|---:|---:|---:|---:|",
    *syscall_rows,
    "",
    "## Spawn latency against parent memory",
    "",
    "Median time to start the freestanding `exit0` example and wait for it, in µs, from a "
    "parent that has written every page of the given memory.",
    "",
    *latency_rows,
    "",
    "Ratio of each median to `rawsys vfork_exec`'s at the same size:",
    "",
    *ratio_rows,
    "",
    "Fastest – slowest spawn in µs (number of spawns measured):",
    "",
    *range_rows,
    "",
    "Commit charge added while the child exists (`Committed_AS`, MiB; median of three). For "
    "`fork+execve` it is taken between `fork` and `execve`, while the child holds its copy of "
    "the parent; every other child has already exec'd when its spawn returns.",
    "",
    *commit_rows,
    "",
    "`rawsys spawn` is `rawsys::spawn::Spawn::new(path, &argv, &envp)` with "
    "`.handled_signals(set)`, where `set` holds the signals this process has handlers for, as "
    f"`rawsys::spawn::handled_signals()` read them once at start-up: {handled_text}, Rust's "
    "runtime's. Its child resets those to `SIG_DFL` before it restores the mask and execs. "
    "`rawsys spawn, discovery` leaves out `.handled_signals`, so every start first reads each "
    "signal's disposition in the parent, one `rt_sigaction` per signal. Both start with `.spawn()`"
    " (the child stack in the call's frame). Against the baselines of its goals:",
    "",
    *spawn_rows,
    *([""] + skipped_lines if skipped_lines else []),
    "",
    "![spawn latency](spawn-latency.svg)",
    "",
    "## Size of freestanding programs",
    "",
    "Stripped (`llvm-strip`) size in bytes of `examples/hello.rs` (write a line, "
    "exit) and `examples/demo.rs`, each built by `qemu-tests/build.sh ARCH --example NAME`.",
    "",
    *size_rows,
    "",
    f"The size flags are `RAWSYS_EXTRA_RUSTFLAGS=\"{size_flags}\"`: no unwind tables and no "
    "`.eh_frame_hdr` (with its program header), which a `panic = \"abort\"` program never reads.",
    *([""] + link_flag_notes if link_flag_notes else []),
    "",
]
os.makedirs(results_dir, exist_ok=True)
with open(os.path.join(results_dir, "results.md"), "w") as output:
    output.write("\n".join(lines))
plot = svg_plot()
if plot:
    with open(os.path.join(results_dir, "spawn-latency.svg"), "w") as output:
        output.write(plot)
for goal, measured, met in goals:
    print(f"   goal {verdict(met)}: {goal}: {measured}")
