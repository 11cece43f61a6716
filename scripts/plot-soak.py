#!/usr/bin/env python3
"""Plots the samples of a soak run (SoakTest's soak-samples.csv) as an SVG of four panels over time:
heap after GC, RSS, live threads and open file descriptors. Standard library only.

    python3 scripts/plot-soak.py parallelrag-cli/target/soak/soak-samples.csv docs/soak-10min.svg "title"
"""
import csv
import sys

PANELS = [  # column, label, scale to the unit shown
    ("heap_after_gc_bytes", "heap after GC (MB)", 1e-6),
    ("rss_kb", "RSS (MB)", 1 / 1024),
    ("threads", "live threads", 1),
    ("fds", "open file descriptors", 1),
]
WIDTH, PANEL_H, LEFT, RIGHT, TOP, GAP = 760, 150, 70, 20, 40, 45


def nice_max(v):
    """A round axis maximum at or above v."""
    if v <= 0:
        return 1
    step = 10 ** len(str(int(v))) / 10
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * step:
            return m * step
    return 10 * step


def main(path, out, title):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    t = [float(r["seconds"]) for r in rows]
    t_max = max(t)
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + len(PANELS) * (PANEL_H + GAP) + 10
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
           f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>']
    for i, (column, label, scale) in enumerate(PANELS):
        values = [float(r[column]) * scale for r in rows]
        y_max = nice_max(max(values) * 1.1)
        top = TOP + i * (PANEL_H + GAP)

        def x(s):
            return LEFT + plot_w * s / t_max

        def y(v):
            return top + PANEL_H - PANEL_H * v / y_max

        svg.append(f'<text x="{LEFT}" y="{top - 6}">{label}: min {min(values):.1f}, max {max(values):.1f}</text>')
        svg.append(f'<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL_H}" fill="none" stroke="#999"/>')
        for k in range(5):  # horizontal grid and y labels
            v = y_max * k / 4
            svg.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{LEFT + plot_w}" y2="{y(v):.1f}" stroke="#eee"/>')
            svg.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        # the second half, which the soak judges
        svg.append(f'<rect x="{x(t_max / 2):.1f}" y="{top}" width="{plot_w / 2:.1f}" height="{PANEL_H}" '
                   f'fill="#f3f7ff" opacity="0.6"/>')
        step = 60 if t_max > 180 else 10
        for s in range(0, int(t_max) + 1, step):
            svg.append(f'<text x="{x(s):.1f}" y="{top + PANEL_H + 14}" text-anchor="middle">{s}</text>')
        points = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in zip(t, values))
        svg.append(f'<polyline points="{points}" fill="none" stroke="#1f5fbf" stroke-width="1.5"/>')
    svg.append(f'<text x="{LEFT + plot_w / 2}" y="{height - 4}" text-anchor="middle">seconds '
               f'(shaded: the second half, where growth is judged)</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: plot-soak.py SAMPLES.csv OUT.svg TITLE")
    main(*sys.argv[1:])
