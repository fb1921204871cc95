#!/usr/bin/env python3
"""Per-image preprocessing time: ours (image-benchmarks) against Pillow + CLIPImageProcessorPil, same run.

Makes a 1000×1000 4:2:0 JPEG (q90), a 1000×1500 PNG and a 1200×400 WebP with seeded content in a
scratch folder (or takes files from the command line), times on one thread:
  decode      Pillow: Image.open(...).convert("RGB")      ours: ImageDecoder
  resize+crop Pillow: resize(shortest edge 224, BICUBIC) + crop    ours: resizedAndCropped
  total       Pillow: processor(Image.open(path)) incl. decode      ours: decode + preprocess
and prints ms/image (thread CPU time, best round) and the ratio Pillow/ours (above 1: we are faster).
Ours runs before and after Pillow; the better of the two runs counts.

Usage: python image_peer.py [--binary .build/release/image-benchmarks] [--seconds 1] [FILE...]
"""

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from transformers import CLIPImageProcessorPil  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def best_ms(body, seconds):
    """Best of several rounds, in CPU time of this thread (as image-benchmarks measures)."""
    best, deadline, rounds = float("inf"), time.perf_counter() + seconds, 0
    while time.perf_counter() < deadline or rounds < 3:
        start, n = time.thread_time(), 0
        while time.thread_time() - start < 0.02:
            body()
            n += 1
        best = min(best, (time.thread_time() - start) / n * 1e3)
        rounds += 1
    return best


def make_files(folder):
    rng = np.random.default_rng(0)

    def photo(h, w):
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        img = np.stack([128 + 100 * np.sin(x / 37) * np.cos(y / 53), 255 * x / w, 200 - 150 * y / h], -1)
        return np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(np.uint8)

    files = [folder / "photo_1000x1000.jpg", folder / "photo_1000x1500.png", folder / "photo_1200x400.webp"]
    Image.fromarray(photo(1000, 1000)).save(files[0], quality=90)
    Image.fromarray(photo(1500, 1000)).save(files[1])
    Image.fromarray(photo(400, 1200)).save(files[2], quality=85)
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "image-benchmarks"))
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="image-peer-"))
    files = [Path(f) for f in args.files] or make_files(scratch)
    processor = CLIPImageProcessorPil()  # defaults = FashionCLIP's preprocessor_config.json

    def run_ours():
        out = subprocess.run([args.binary, "--seconds", str(args.seconds), *map(str, files)],
                             check=True, capture_output=True, text=True).stdout
        return {row["file"]: row for row in map(json.loads, out.splitlines())}

    before = run_ours()
    peers = {}
    for path in files:
        image = Image.open(path).convert("RGB")
        w, h = image.size
        size = (224, int(224 * h / w)) if w <= h else (int(224 * w / h), 224)

        def decode():
            Image.open(path).convert("RGB")

        def resize_crop():
            resized = image.resize(size, Image.BICUBIC)
            left, top = (size[0] - 224) // 2, (size[1] - 224) // 2
            np.asarray(resized)[top:top + 224, left:left + 224]

        def total():
            processor(Image.open(path), return_tensors="np")

        peers[path.name] = {"decode": best_ms(decode, args.seconds),
                            "resize+crop": best_ms(resize_crop, args.seconds),
                            "total": best_ms(total, args.seconds)}
    after = run_ours()

    keys = {"decode": "decode_ms", "resize+crop": "resize_crop_ms", "total": "total_ms"}
    print(f"{'file':<24}{'step':<13}{'Pillow ms':>10}{'ours ms':>10}{'ratio':>8}")
    for name, peer in peers.items():
        for step, key in keys.items():
            mine = min(before[name][key], after[name][key])
            print(f"{name:<24}{step:<13}{peer[step]:>10.2f}{mine:>10.2f}{peer[step] / mine:>8.2f}")

if __name__ == "__main__":
    main()
