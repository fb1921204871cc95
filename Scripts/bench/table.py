"""The tables of BENCHMARKS.md from the JSON lines of Scripts/bench/run.sh (ours and the peers)."""
import json
import os
import statistics
import struct

# GFLOP per item (multiply-adds × 2) of a ViT-B/32: an image (50 tokens) and an 8-token text, as the
# peers compute them (every layer for every token) ...
GFLOP = {"image": 8.82, "jpeg": 8.82, "text": 0.61}
# ... and as ours does: the last layer runs its query, out_proj and MLP for the pooled token only
# (CLIPEncoderLayer.pooledRows), 6.0 % and 5.5 % fewer FLOPs for the same output.
GFLOP_OURS = {"image": 8.29, "jpeg": 8.29, "text": 0.572}
WORKLOADS = ["image-b1", "image-b32", "jpeg-b32", "text-b1", "text-b32"]
IMPLS = ["ours", "ort", "torch", "ours-int8", "ort-int8", "ours-bf16"]
NAMES = {"ours": "ours fp32", "ort": "ORT fp32", "torch": "PyTorch fp32", "ours-int8": "ours int8",
         "ort-int8": "ORT int8", "ours-bf16": "ours bf16"}
# The probes of `kernel-benchmarks peak.*` quoted under the table (name, unit).
PROBES = [("peak.fma-ymm", "fp32 FMA ymm", "GFLOP/s"), ("peak.fma-zmm", "fp32 FMA zmm", "GFLOP/s"),
          ("peak.bf16", "bf16 vdpbf16ps zmm", "GFLOP/s"), ("peak.vnni", "int8 vpdpbusd zmm", "GOP/s")]
# fp32 targets: ours / ORT items/s.
TARGETS = {"image-b32": 1.1, "image-b1": 1.2, "text-b1": 2.0, "text-b32": 1.5, "jpeg-b32": 1.3}


def weight_bytes(folder):
    """fp32 bytes of each tower's tensors in model.safetensors."""
    with open(os.path.join(folder, "model.safetensors"), "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    sizes = {"vision": 0, "text": 0}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        count = 1
        for d in info["shape"]:
            count *= d
        tower = "vision" if key.startswith(("vision_model", "visual_projection")) else "text"
        sizes[tower] += count * 4
    return sizes


def nominal_peak():
    """fp32 FMA peak of the CPUs this process may use: 2 FMA pipes × 8 lanes × 2 FLOP per cycle (AVX2
    on Zen 2/3 and most Intel cores) × the reported clock × CPUs."""
    try:
        mhz = max(float(line.split(":")[1]) for line in open("/proc/cpuinfo") if line.startswith("cpu MHz"))
    except (OSError, ValueError):
        return None
    return 32 * mhz / 1000 * len(os.sched_getaffinity(0))


def table(folder, results):
    rows = [json.loads(line) for line in open(results) if line.startswith("{")]
    measured_peak = max((r["gflops"] for r in rows if r["workload"] == "sgemm-2048"), default=None)
    # The FMA peak is measured (a register-only FMA loop on 2 threads: the cores boost above the
    # clock /proc/cpuinfo reports); the nominal one is the fallback.
    fma_peak = max((r["best_2"] for r in rows if r["workload"] == "peak.fma"), default=None)
    peak = fma_peak or nominal_peak() or measured_peak
    dram = max((r["gbytes_per_s"] for r in rows if r["workload"] == "dram-read"), default=None)
    dram_probe = [r for r in rows if r["workload"] == "peak.dram-read"]
    by = {}
    for r in rows:
        by.setdefault((r["impl"], r["workload"]), []).append(r)

    def value(impl, workload, field="items_per_s"):
        runs = [r[field] for r in by.get((impl, workload), []) if field in r]
        return statistics.median(runs) if runs else None

    def load(impl, workload):
        runs = [r["load"] for r in by.get((impl, workload), []) if "load" in r]
        return max(runs) if runs else None

    fmt = lambda v, d=1: "—" if v is None else f"{v:.{d}f}"

    def round_ratios(a, b, workload):
        """ours / peer of each interleaved round (the k-th run of each), e.g. "1.28× / 1.15×"."""
        pairs = zip([r["items_per_s"] for r in by.get((a, workload), [])], [r["items_per_s"] for r in by.get((b, workload), [])])
        return " / ".join(f"{x / y:.2f}×" for x, y in pairs) or "—"
    out = []
    out.append("| workload | " + " | ".join(NAMES[i] for i in IMPLS)
               + " | ours/ORT fp32 | per round | ours/ORT int8 | per round | ours bf16/fp32 | GFLOP/s ours / ORT fp32 (% of FMA peak) | load (1-min) |")
    out.append("|" + " --- |" * (len(IMPLS) + 8))
    for w in WORKLOADS:
        v = {i: value(i, w) for i in IMPLS}
        ratio = lambda a, b: f"**{v[a] / v[b]:.2f}×**" if v[a] and v[b] else "—"
        gflops = v["ours"] * GFLOP_OURS[w.split("-")[0]] if v["ours"] else None
        theirs = v["ort"] * GFLOP[w.split("-")[0]] if v["ort"] else None
        share = f" ({100 * gflops / peak:.0f} % / {100 * theirs / peak:.0f} %)" if gflops and theirs and peak else ""
        gflops_text = f"{fmt(gflops)} / {fmt(theirs)}"
        loads = [load(i, w) for i in IMPLS if load(i, w) is not None]
        out.append(f"| {w} | " + " | ".join(fmt(v[i]) for i in IMPLS)
                   + f" | {ratio('ours', 'ort')} | {round_ratios('ours', 'ort', w)} | {ratio('ours-int8', 'ort-int8')}"
                   + f" | {round_ratios('ours-int8', 'ort-int8', w)} | {ratio('ours-bf16', 'ours')} | {gflops_text}{share} | "
                   + (f"{min(loads):.1f}–{max(loads):.1f}" if loads else "—") + " |")
    out.append("")
    out.append("Items/s, median of the runs; load = the 1-minute load average read just before each run "
               f"(range over the row). FMA peak: {fmt(peak)} GFLOP/s "
               + ("(measured: a register-only FMA loop on 2 threads, `kernel-benchmarks peak.fma`; "
                  f"1 thread {fmt(max(r['best_1'] for r in rows if r['workload'] == 'peak.fma'))}; "
                  f"nominal at the /proc/cpuinfo clock {fmt(nominal_peak())})" if fma_peak else
                  "(2 × 8-lane FMA per cycle × clock × CPUs)")
               + f"; numpy/OpenBLAS sgemm 2048², 2 threads: {fmt(measured_peak)} GFLOP/s. "
               "GFLOP per item: image 8.82, 8-token text 0.61 (ours: 8.29 and 0.572, the last layer for the pooled token only)."
               + (f" DRAM read (1 thread, numpy sum of 512 MiB): {dram:.1f} GB/s." if dram else "")
               + (f" DRAM read (`kernel-benchmarks peak.dram-read`, AVX2 sum of 512 MiB): "
                  f"{max(r['best_1'] for r in dram_probe):.1f} GB/s on 1 thread, "
                  f"{max(r['best_2'] for r in dram_probe):.1f} GB/s on 2." if dram_probe else ""))
    probes = [(label, unit, [r for r in rows if r["workload"] == name]) for name, label, unit in PROBES]
    probes = [(label, unit, found) for label, unit, found in probes if found]
    if probes:
        out.append("")
        out.append("Peaks of this CPU (`kernel-benchmarks peak.*`, register-only loops, best of 7; 1 thread / 2 threads): "
                   + "; ".join(f"{label} {max(r['best_1'] for r in found):.0f} / {max(r['best_2'] for r in found):.0f} {unit}"
                               for label, unit, found in probes) + ".")
    out.append("")
    out.append("| model load, warm cache (s) | " + " | ".join(NAMES[i] for i in IMPLS) + " |")
    out.append("|" + " --- |" * (len(IMPLS) + 1))
    out.append("| both towers | " + " | ".join(fmt(value(i, "load", "seconds"), 2) for i in IMPLS) + " |")
    out.append("")
    weights = weight_bytes(folder)
    out.append(f"Peak RSS (MB) while embedding, after loading (VmHWM reset after the load; `load`: the "
               f"whole process, both towers loaded 3 times) (fp32 weights: vision {weights['vision'] / 2**20:.0f} MB, "
               f"text {weights['text'] / 2**20:.0f} MB, both {(weights['vision'] + weights['text']) / 2**20:.0f} MB):")
    out.append("")
    out.append("| workload | " + " | ".join(NAMES[i] for i in IMPLS) + " | ours fp32 / its fp32 weights |")
    out.append("|" + " --- |" * (len(IMPLS) + 2))
    for w in WORKLOADS + ["load"]:
        tower = weights["vision"] if w.startswith(("image", "jpeg")) else (
            weights["text"] if w.startswith("text") else weights["vision"] + weights["text"])
        field = "peak_rss_mb" if w == "load" else "embed_rss_mb"
        rss = value("ours", w, field)
        out.append(f"| {w} | " + " | ".join(fmt(value(i, w, field), 0) for i in IMPLS)
                   + f" | {fmt(rss * 2**20 / tower if rss else None, 2)}× |")
    contention = [r for r in rows if r["workload"].startswith("contended")]
    if contention:
        out.append("")
        out.append("Under contention (a busy-looping process pinned nowhere, competing for the 2 cores):")
        out.append("")
        out.append("| run | items/s | load |")
        out.append("| --- | --- | --- |")
        for r in contention:
            out.append(f"| {r['impl']} {r['workload']} (threads: {r.get('threads', '—')}) | "
                       f"{fmt(r.get('items_per_s'))} | {fmt(r.get('load'))} |")
    for precision in ["int8", "bf16"]:
        cosines = [r for r in rows if r["workload"] == f"{precision}-cosine"]
        if cosines:
            r = cosines[-1]
            out.append("")
            zero_shot = r.get("zero_shot_max_difference")
            out.append(f"{precision} vs fp32 on this model (ours): min cosine images {r['image_cosine']:.5f}, "
                       f"texts {r['text_cosine']:.5f}"
                       + (f"; zero-shot probabilities (8 images × 4 queries) differ by at most {zero_shot:.2e}" if zero_shot is not None else "")
                       + ".")
    out.append("")
    out.append("Targets (ratios measured in this run; a target counts as met when every interleaved round meets it):")
    out.append("")

    def verdict(a, b, workload, target):
        rounds = [x / y for x, y in zip([r["items_per_s"] for r in by.get((a, workload), [])],
                                        [r["items_per_s"] for r in by.get((b, workload), [])])]
        met = sum(r >= target for r in rounds)
        state = "met" if met == len(rounds) else ("MISSED" if met == 0 else f"met in {met} of {len(rounds)} rounds")
        return f"{round_ratios(a, b, workload)} (target ≥ {target}×) — {state}"

    for w, t in TARGETS.items():
        if value("ours", w) and value("ort", w):
            out.append(f"- {w}: ours/ORT {verdict('ours', 'ort', w, t)}")
    t = value("ours", "load", "seconds")
    if t:
        out.append(f"- model load (warm): {t:.2f} s (target ≤ 1 s) — {'met' if t <= 1 else 'MISSED'}")
    for w in ["image-b1", "image-b32", "text-b1", "text-b32"]:
        if value("ours-int8", w) and value("ort-int8", w):
            out.append(f"- int8 {w}: ours/ORT-int8 {verdict('ours-int8', 'ort-int8', w, 1.3)}")
    for w in ["image-b1", "image-b32", "jpeg-b32"]:
        if value("ours-bf16", w) and value("ours", w):
            out.append(f"- bf16 {w}: ours bf16/ours fp32 {verdict('ours-bf16', 'ours', w, 1.8)}")
    # The widest FMA's peak, as the best of the fp32 probes (one probe run can come out low on a busy machine).
    zmm = max((r["best_2"] for r in rows if r["workload"] in ("peak.fma", "peak.fma-zmm")), default=None)
    if zmm and value("ours", "image-b32"):
        share = value("ours", "image-b32") * GFLOP_OURS["image"] / zmm
        out.append(f"- fp32 image-b32 at {100 * share:.0f} % of the zmm FMA peak (target ≥ 85 %) — {'met' if share >= 0.85 else 'MISSED'}")
    print("\n".join(out))
