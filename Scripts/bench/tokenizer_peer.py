#!/usr/bin/env python3
"""Peer benchmark: CLIPTokenizer (Swift) vs the `tokenizers` library (Rust) on synthetic product titles.

Runs both in the same invocation on the same seeded titles and prints texts/s and the Swift/Rust ratio.
Rust is measured through transformers' CLIPTokenizer (the fast tokenizer CLIPProcessor uses): the
`tokenizers` backend directly (`encode` / `encode_batch`, no Python-side padding) and the full
transformers call. Python call overhead is part of the "single" Rust figures; batch figures are dominated
by Rust (rayon-parallel over the machine's cores; Swift's encodeBatch runs on one thread).

Usage: FASHIONCLIP_BENCHMARKS=1 swift build -c release --product tokenizer-benchmarks
       python Scripts/bench/tokenizer_peer.py [--count 5000] [--swift .build/release/tokenizer-benchmarks]
"""

import argparse
import json
import os
import random
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def titles(count, seed=1234):
    rng = random.Random(seed)
    brands = ["Nike", "Adidas", "Zara", "H&M", "Levi's", "Gucci", "Prada", "Uniqlo", "Mango", "COS", "Arket", "Puma",
              "Massimo Dutti", "Tommy Hilfiger", "Ralph Lauren", "Hugo Boss", "Diesel", "Carhartt WIP", "Acne Studios",
              "New Balance", "Converse", "Vans", "Patagonia", "The North Face", "Moncler", "Max Mara", "Sézane"]
    colours = ["black", "white", "navy", "beige", "olive", "burgundy", "off-white", "light blue", "charcoal grey",
               "camel", "ecru", "multicolour", "rosé", "crème", "dusty pink", "forest green", "sand", "khaki"]
    items = ["dress", "t-shirt", "hoodie", "jeans", "chinos", "blazer", "trench coat", "sneakers", "loafers",
             "ankle boots", "crossbody bag", "tote", "scarf", "beanie", "cardigan", "polo shirt", "midi skirt",
             "parka", "swim shorts", "bikini top", "sandals", "belt", "sunglasses", "puffer jacket", "joggers",
             "wrap dress", "oxford shirt", "denim jacket", "knit sweater", "leggings", "mules", "backpack"]
    details = ["slim fit", "relaxed fit", "organic cotton", "100% linen", "recycled polyester", "merino wool",
               "with pockets", "double-breasted", "high-waisted", "cropped", "oversized", "water-repellent",
               "limited edition", "—", "(new)", "™", "®", "pack of 3", "v-neck", "crew neck", "long sleeve"]
    out = []
    for _ in range(count):
        words = [rng.choice(brands), rng.choice(colours), rng.choice(items)]
        words += rng.sample(details, rng.randint(0, 3))
        r = rng.random()
        if r < 0.3:
            words.append(f"size {rng.choice(['XS', 'S', 'M', 'L', 'XL', str(rng.randint(34, 48))])}")
        elif r < 0.5:
            words.append(f"SKU {rng.randint(100000, 999999)}-{rng.choice('ABCDEFGH')}")
        if rng.random() < 0.2:
            words = [w.upper() for w in words]
        out.append(" ".join(words))
    return out


def best_rate(n, fn, seconds):
    best, start = 0.0, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        fn()
        best = max(best, n / (time.perf_counter() - t0))
        if time.perf_counter() - start > seconds:
            return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--model", default=os.path.join(ROOT, "Fixtures", "tokenizer"))
    parser.add_argument("--swift", default=os.path.join(ROOT, ".build", "release", "tokenizer-benchmarks"))
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()

    import tokenizers
    import transformers
    from transformers import AutoTokenizer

    texts = titles(args.count)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
        titles_path = f.name

    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(args.model)
    load = time.perf_counter() - t0
    backend = tok.backend_tokenizer
    t0 = time.perf_counter()
    backend.encode_batch(texts)
    cold = len(texts) / (time.perf_counter() - t0)
    rust = {
        "load_s": load,
        "cold_batch_texts_per_s": cold,
        "single_texts_per_s": best_rate(len(texts), lambda: [backend.encode(t) for t in texts], args.seconds),
        "batch_texts_per_s": best_rate(len(texts), lambda: backend.encode_batch(texts), args.seconds),
        "transformers_batch_texts_per_s": best_rate(
            len(texts), lambda: tok(texts, padding=True, truncation=True, max_length=77), args.seconds),
    }
    # Same ids as Swift? (spot check through the Swift CLI is in the tests; here the count must match)
    swift_out = subprocess.run([args.swift, "--model", args.model, "--titles", titles_path,
                                "--seconds", str(args.seconds)], check=True, capture_output=True, text=True)
    os.unlink(titles_path)
    swift = json.loads(swift_out.stdout)
    report = {
        "texts": len(texts), "cpus": os.cpu_count(),
        "versions": {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__},
        "rust": rust, "swift": swift,
        "ratio_swift_over_rust": {
            "single": swift["single_texts_per_s"] / rust["single_texts_per_s"],
            "batch": swift["batch_texts_per_s"] / rust["batch_texts_per_s"],
            "cold": swift["cold_texts_per_s"] / rust["cold_batch_texts_per_s"],
            "load": rust["load_s"] / swift["load_s"],
        },
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
