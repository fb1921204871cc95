"""Peer benchmarks for BENCHMARKS.md: the same workloads as `fashionclip-benchmarks` through PyTorch
(`transformers` CLIPModel) and ONNX Runtime (fp32 and dynamic int8), printing one JSON line per result.

  peers.py export MODEL_DIR            writes MODEL_DIR/onnx/{vision,text}_model{,_quantized}.onnx
                                       (skips a file that already exists and is newer than the weights)
  peers.py run MODEL_DIR PEER WORKLOAD [--seconds S] [--images DIR]
      PEER: torch | ort | ort-int8;  WORKLOAD: image-b1 | image-b32 | jpeg-b32 | text-b1 | text-b32 | load
  peers.py jpegs DIR                   writes 32 seeded 1000×1000 JPEGs (quality 90, 4:2:0) into DIR
  peers.py peak                        the GEMM peak: numpy (OpenBLAS) sgemm 2048², GFLOP/s, as JSON
  peers.py table MODEL_DIR RESULTS     the markdown table of BENCHMARKS.md from the JSON lines

Each `run` is its own process (so peak RSS is per peer and workload); Scripts/bench/run.sh interleaves
them with ours. Threads: 2 intra-op threads everywhere (the machine's cores).
"""
import argparse
import json
import os
import resource
import sys
import time
import warnings

THREADS = int(os.environ.get("BENCH_THREADS", "2"))
# ≈ 8 tokens with <start>/<end>: the short-query workload.
QUERY = "a red floral summer maxi dress"


def vision_cls():
    import torch
    from transformers import CLIPVisionModelWithProjection

    class Vision(CLIPVisionModelWithProjection):
        def forward(self, pixel_values):
            return super().forward(pixel_values=pixel_values).image_embeds
    return Vision


def text_cls():
    from transformers import CLIPTextModelWithProjection

    class Text(CLIPTextModelWithProjection):
        def forward(self, input_ids, attention_mask):
            return super().forward(input_ids=input_ids, attention_mask=attention_mask).text_embeds
    return Text


def load_tower(cls, folder):
    import torch
    import transformers
    transformers.logging.set_verbosity_error()
    config = transformers.CLIPConfig.from_pretrained(folder)
    sub = config.text_config if "Text" in cls.__mro__[1].__name__ else config.vision_config
    sub.projection_dim = config.projection_dim
    return cls.from_pretrained(folder, config=sub, dtype=torch.float32, attn_implementation="eager").eval()


def fresh(path, source):
    return os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(source)


def export(folder):
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    out = os.path.join(folder, "onnx")
    os.makedirs(out, exist_ok=True)
    weights = os.path.join(folder, "model.safetensors")
    torch.set_num_threads(THREADS)
    jobs = [
        ("vision_model.onnx", vision_cls, lambda m: (torch.zeros(1, 3, 224, 224),), ["pixel_values"],
         {"pixel_values": {0: "batch"}}),
        ("text_model.onnx", text_cls, lambda m: (torch.tensor([[49406, 320, 1125, 49407]]),
                                                  torch.ones(1, 4, dtype=torch.int64)),
         ["input_ids", "attention_mask"], {"input_ids": {0: "batch", 1: "sequence"},
                                           "attention_mask": {0: "batch", 1: "sequence"}}),
    ]
    for name, cls, args, inputs, dynamic in jobs:
        path = os.path.join(out, name)
        if not fresh(path, weights):
            model = load_tower(cls(), folder)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.onnx.export(model, args(model), path, dynamo=False, opset_version=18, input_names=inputs,
                                  output_names=["embeds"], dynamic_axes=dynamic, do_constant_folding=True)
            print(f"wrote {path}", file=sys.stderr)
        quantized = path.replace(".onnx", "_quantized.onnx")
        if not fresh(quantized, path):
            # Same settings as Scripts/reference/make_onnx_fixtures.py (7-bit weights: exact on AVX2).
            quantize_dynamic(path, quantized, weight_type=QuantType.QInt8, reduce_range=True)
            print(f"wrote {quantized}", file=sys.stderr)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_high_water():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def high_water_mb():
    """VmHWM: peak RSS since the last reset_high_water() (the peak while embedding, after loading)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None


def measure(step, items, seconds):
    """Items/s of `step` (which embeds `items` items): one warm-up, then repeats for ≥ `seconds`."""
    reset_high_water()
    step()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < 3:
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    return items / times[len(times) // 2]


class Peer:
    def __init__(self, kind, folder):
        self.kind, self.folder = kind, folder
        if kind == "torch":
            import torch
            torch.set_num_threads(THREADS)

    def towers(self, vision):
        if self.kind == "torch":
            return load_tower(vision_cls() if vision else text_cls(), self.folder)
        import onnxruntime
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        name = ("vision_model" if vision else "text_model") + ("_quantized" if self.kind == "ort-int8" else "")
        return onnxruntime.InferenceSession(os.path.join(self.folder, "onnx", name + ".onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def image_step(self, model, pixels):
        if self.kind == "torch":
            import torch
            with torch.inference_mode():
                return model(torch.from_numpy(pixels)).numpy()
        return model.run(None, {"pixel_values": pixels})[0]

    def text_step(self, model, ids, mask):
        if self.kind == "torch":
            import torch
            with torch.inference_mode():
                return model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
        return model.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def run(folder, kind, workload, seconds, images):
    import numpy as np
    peer = Peer(kind, folder)
    result = {"impl": kind, "workload": workload}
    if workload == "load":
        start = time.perf_counter()
        peer.towers(True)
        peer.towers(False)
        result["seconds"] = time.perf_counter() - start
    elif workload.startswith("image") or workload.startswith("jpeg"):
        batch = int(workload.split("-b")[1])
        model = peer.towers(True)
        if workload.startswith("jpeg"):
            from transformers import CLIPImageProcessor
            from PIL import Image
            processor = CLIPImageProcessor.from_pretrained(folder)
            files = sorted(os.path.join(images, f) for f in os.listdir(images) if f.lower().endswith(".jpg"))
            files = (files * (batch // len(files) + 1))[:batch]

            def step():
                decoded = [Image.open(f).convert("RGB") for f in files]
                pixels = processor(images=decoded, return_tensors="np")["pixel_values"].astype(np.float32)
                peer.image_step(model, pixels)
        else:
            pixels = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype(np.float32)

            def step():
                peer.image_step(model, pixels)
        result["items_per_s"] = measure(step, batch, seconds)
    elif workload.startswith("text"):
        batch = int(workload.split("-b")[1])
        from transformers import CLIPTokenizer
        tokenizer = CLIPTokenizer.from_pretrained(folder)
        model = peer.towers(False)
        encoded = tokenizer([QUERY] * batch, return_tensors="np")
        ids, mask = encoded["input_ids"].astype(np.int64), encoded["attention_mask"].astype(np.int64)
        result["tokens"] = int(ids.shape[1])

        def step():
            peer.text_step(model, ids, mask)
        result["items_per_s"] = measure(step, batch, seconds)
    else:
        raise SystemExit(f"unknown workload {workload!r}")
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if "items_per_s" in result:
        result["embed_rss_mb"] = high_water_mb()
    print(json.dumps(result), flush=True)


def jpegs(folder):
    import numpy as np
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:1000, 0:1000]
    for i in range(32):
        # Smooth colour fields plus noise: compresses like a photo (≈ 150–300 kB), not like flat colour.
        base = np.stack([(x * (i + 1) / 7) % 256, (y * (i + 3) / 11) % 256, ((x + y) * (i + 5) / 13) % 256], -1)
        pixels = np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(os.path.join(folder, f"photo-{i:02d}.jpg"), quality=90, subsampling=2)


def peak():
    import numpy as np
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(np.float32)
    a @ a
    best = min(timed(lambda: a @ a) for _ in range(5))
    print(json.dumps({"impl": "numpy-openblas", "workload": "sgemm-2048", "gflops": 2 * 2048 ** 3 / best / 1e9}))
    # DRAM read bandwidth, 1 thread: a 512 MiB sum (≫ L3), the bound on weight streaming at batch 1.
    big = np.ones(128 * 2**20, dtype=np.float32)
    big.sum()
    best = min(timed(big.sum) for _ in range(3))
    print(json.dumps({"impl": "numpy", "workload": "dram-read", "gbytes_per_s": big.nbytes / best / 1e9}))


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("model_dir")
    r = sub.add_parser("run")
    r.add_argument("model_dir")
    r.add_argument("peer", choices=["torch", "ort", "ort-int8"])
    r.add_argument("workload")
    r.add_argument("--seconds", type=float, default=8)
    r.add_argument("--images", default="")
    j = sub.add_parser("jpegs")
    j.add_argument("folder")
    sub.add_parser("peak")
    t = sub.add_parser("table")
    t.add_argument("model_dir")
    t.add_argument("results")
    a = parser.parse_args()
    if a.command == "export":
        export(a.model_dir)
    elif a.command == "jpegs":
        jpegs(a.folder)
    elif a.command == "peak":
        peak()
    elif a.command == "table":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from table import table
        table(a.model_dir, a.results)
    else:
        run(a.model_dir, a.peer, a.workload, a.seconds, a.images)
