#!/usr/bin/env python3
"""Dense fp32 matrix-multiply roofline of this machine, and what it allows all-MiniLM-L6-v2 to reach.

Measures single-precision GEMM throughput with NumPy's BLAS (OpenBLAS) at 1 thread and at all cores, on
the shapes all-MiniLM-L6-v2 runs for one chunk (sequence x 384 x 384, sequence x 384 x 1536, sequence x
1536 x 384) and on a large square product, then converts it into the most chunks per second any fp32
implementation of the model could reach on this CPU. docs/BENCHMARKS.md compares the embedders with it.

Usage: python3 scripts/bench-roofline.py [TOKENS_PER_CHUNK]   (default 258: the (b) chunks' average)
Needs NumPy (Debian: apt-get install python3-numpy).
"""
import os
import statistics
import subprocess
import sys
import time

HIDDEN, FFN, LAYERS = 384, 1536, 6


def model_flops(tokens):
    """FLOPs of one forward pass over `tokens` tokens (2 per multiply-add; GEMMs only, which dominate)."""
    linear = LAYERS * tokens * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN) * 2  # Q, K, V, output; two FFN layers
    attention = LAYERS * 2 * tokens * tokens * HIDDEN * 2  # Q.K^T and weights.V over all heads
    return linear + attention


def measure(threads, copies=1):
    """Runs `copies` children at once, each with the BLAS thread count fixed before NumPy loads; returns
    each child's report lines. Independent single-threaded copies are how our embedder uses the cores."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    procs = [subprocess.Popen([sys.executable, __file__, "--child"], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(copies)]
    outs = [p.communicate()[0] for p in procs]
    if any(p.returncode != 0 for p in procs):
        raise SystemExit("a GEMM child failed")
    return outs


def child():
    import numpy as np
    rng = np.random.default_rng(42)
    tokens = int(os.environ.get("ROOFLINE_TOKENS", "258"))
    for m, k, n in [(tokens, HIDDEN, HIDDEN), (tokens, HIDDEN, FFN), (tokens, FFN, HIDDEN), (2048, 2048, 2048)]:
        a = rng.random((m, k), dtype=np.float32)
        b = rng.random((k, n), dtype=np.float32)
        reps = max(20, int(2e10 / (2 * m * k * n)))
        for _ in range(5):
            a @ b
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            a @ b
            times.append(time.perf_counter() - t)
        flops = 2 * m * k * n
        med = flops / statistics.median(times) / 1e9
        best = flops / min(times) / 1e9
        spread = (flops / max(times) / 1e9, best)
        print(f"{m}x{k}x{n} {med:.1f} {spread[0]:.1f} {best:.1f} {reps}")


def main():
    tokens = int(sys.argv[1]) if len(sys.argv) > 1 else 258
    os.environ["ROOFLINE_TOKENS"] = str(tokens)
    flops = model_flops(tokens)
    print(f"# {os.cpu_count()} cores; all-MiniLM-L6-v2 forward pass at {tokens} tokens: {flops / 1e9:.2f} GFLOP")
    print("# setup shape: GFLOP/s median (min..max) over reps")
    cores = os.cpu_count()
    setups = [("1 thread", 1, 1), (f"1 GEMM on {cores} threads", cores, 1),
              (f"{cores} independent 1-thread GEMMs at once (sum)", 1, cores)]
    at_shapes = {}
    square = {}
    for name, threads, copies in setups:
        rows = {}
        for out in measure(threads, copies):
            for line in out.splitlines():
                shape, med, lo, hi, reps = line.split()
                r = rows.setdefault(shape, [0.0, 0.0, 0.0, reps])
                r[0] += float(med); r[1] += float(lo); r[2] += float(hi)
        for shape, (med, lo, hi, reps) in rows.items():
            print(f"{name} {shape}: {med:.1f} ({lo:.1f}..{hi:.1f}) over {reps}")
        at_shapes[name] = statistics.mean(v[0] for k, v in rows.items() if k != "2048x2048x2048")
        square[name] = rows["2048x2048x2048"][2]
    per_chunk = flops / 1e9
    for name, _, _ in setups[1:]:
        print(f"# {name}: model shapes {at_shapes[name]:.1f} GFLOP/s -> at most {at_shapes[name] / per_chunk:.1f} chunks/s "
              f"({at_shapes[name] / per_chunk * tokens:.0f} tokens/s); best square {square[name]:.1f} GFLOP/s -> "
              f"{square[name] / per_chunk:.1f} chunks/s")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
