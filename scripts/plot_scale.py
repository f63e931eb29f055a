#!/usr/bin/env python3
"""Plots end-to-end time and peak memory of `storyclust cluster` against
corpus size, from the rows `scripts/scale.sh` appends to a TSV file.

    scripts/plot_scale.py benches/scale-results.tsv benches/scale.svg

Input columns (tab-separated, header line first): articles, wall_s,
peak_rss_mib, articles_per_s, mb_per_s, load_before, commit. Where a size
was run more than once, the last row counts. Output: one SVG with two
log-log panels (wall time, peak memory), the measured points, a line of
linear growth through the smallest run for comparison, and the issue's
targets where they apply. Standard library only.
"""

import csv
import math
import sys

WIDTH, HEIGHT = 960, 400
PANEL_W, PANEL_H = 360, 280
MARGIN_L, MARGIN_T = 80, 50


def read_rows(path):
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            n = int(row["articles"])
            rows[n] = (float(row["wall_s"]), float(row["peak_rss_mib"]))
    if not rows:
        sys.exit(f"{path}: no measurements")
    return sorted((n, w, m) for n, (w, m) in rows.items())


def log_ticks(lo, hi):
    ticks = []
    exp = math.floor(math.log10(lo))
    while 10**exp <= hi * 1.0001:
        for mult in (1, 2, 5):
            v = mult * 10**exp
            if lo / 1.0001 <= v <= hi * 1.0001:
                ticks.append(v)
        exp += 1
    return ticks


def fmt(v):
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def panel(x0, title, unit, points, targets):
    """One log-log panel. points: [(n, value)]; targets: [(n, value, label)]."""
    ns = [n for n, _ in points] + [n for n, _, _ in targets]
    vs = [v for _, v in points] + [v for _, v, _ in targets]
    linear = [(n, points[0][1] * n / points[0][0]) for n, _ in points]
    vs += [v for _, v in linear]
    x_lo, x_hi = min(ns) / 1.5, max(ns) * 1.5
    y_lo, y_hi = min(vs) / 1.5, max(vs) * 1.5

    def sx(n):
        return x0 + PANEL_W * (math.log(n) - math.log(x_lo)) / (math.log(x_hi) - math.log(x_lo))

    def sy(v):
        return MARGIN_T + PANEL_H * (1 - (math.log(v) - math.log(y_lo)) / (math.log(y_hi) - math.log(y_lo)))

    out = [f'<text x="{x0 + PANEL_W / 2}" y="{MARGIN_T - 20}" text-anchor="middle" font-weight="bold">{title}</text>']
    out.append(f'<rect x="{x0}" y="{MARGIN_T}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#888"/>')
    for t in log_ticks(x_lo, x_hi):
        x = sx(t)
        out.append(f'<line x1="{x:.1f}" y1="{MARGIN_T}" x2="{x:.1f}" y2="{MARGIN_T + PANEL_H}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{MARGIN_T + PANEL_H + 16}" text-anchor="middle" font-size="11">{fmt(t)}</text>')
    for t in log_ticks(y_lo, y_hi):
        y = sy(t)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + PANEL_W}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{fmt(t)}</text>')
    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{MARGIN_T + PANEL_H + 34}" text-anchor="middle" font-size="12">articles</text>')
    out.append(f'<text x="{x0 - 55}" y="{MARGIN_T + PANEL_H / 2}" text-anchor="middle" font-size="12" '
               f'transform="rotate(-90 {x0 - 55} {MARGIN_T + PANEL_H / 2})">{unit}</text>')
    path = " ".join(f"{sx(n):.1f},{sy(v):.1f}" for n, v in linear)
    out.append(f'<polyline points="{path}" fill="none" stroke="#aaa" stroke-dasharray="4 3"/>')
    path = " ".join(f"{sx(n):.1f},{sy(v):.1f}" for n, v in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="#1f5fbf" stroke-width="2"/>')
    for n, v in points:
        out.append(f'<circle cx="{sx(n):.1f}" cy="{sy(v):.1f}" r="4" fill="#1f5fbf"/>')
        out.append(f'<text x="{sx(n) + 6:.1f}" y="{sy(v) - 6:.1f}" font-size="11">{v:,.0f}</text>')
    for n, v, label in targets:
        out.append(f'<path d="M{sx(n) - 6:.1f},{sy(v):.1f} h12 M{sx(n):.1f},{sy(v) - 6:.1f} v12" stroke="#c0392b" stroke-width="2"/>')
        out.append(f'<text x="{sx(n) - 8:.1f}" y="{sy(v) + 16:.1f}" text-anchor="end" font-size="11" fill="#c0392b">{label}</text>')
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_scale.py RESULTS.tsv OUT.svg")
    rows = read_rows(sys.argv[1])
    times = [(n, w) for n, w, _ in rows]
    mems = [(n, m) for n, _, m in rows]
    time_targets = [(100_000, 60, "target 60 s"), (1_000_000, 600, "target 10 min")]
    mem_targets = [(100_000, 2048, "target 2 GiB"), (1_000_000, 4096, "target 4 GiB")]
    max_n = max(n for n, _, _ in rows)
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="13">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    body += panel(MARGIN_L, "storyclust cluster: wall time", "seconds", times,
                  [t for t in time_targets if t[0] <= max_n * 10])
    body += panel(MARGIN_L + PANEL_W + 100, "peak memory (RSS)", "MiB", mems,
                  [t for t in mem_targets if t[0] <= max_n * 10])
    body.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#555">'
                "blue: measured (scripts/scale.sh); dashed: linear growth from the smallest run; red: targets</text>")
    body.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(body) + "\n")


if __name__ == "__main__":
    main()
