#!/usr/bin/env python3
"""Rebuilds the real CLIP tokenizer files offline into Fixtures/tokenizer/.

Source: `bpe_simple_vocab_16e6.txt.gz` shipped inside the `open_clip_torch` wheel (located on disk, never
imported). Output, in the form OpenAI / Hugging Face publish them:
  vocab.json             256 byte characters, the same with `</w>`, each merge joined, the two specials
  merges.txt             `#version: 0.2` header + 48,894 merges (the gz's lines [1 : 49152-256-2+1])
  tokenizer.json,        written by transformers' CLIPTokenizer(Fast) `save_pretrained` from the two
  tokenizer_config.json, files above
  special_tokens_map.json

Usage: python make_vocab.py [--out Fixtures/tokenizer]
"""

import argparse
import gzip
import importlib.util
import json
import os
import sys
import tempfile

FIXTURE_VERSION = 1
MERGE_COUNT = 49152 - 256 - 2  # 48,894: OpenAI's clip/simple_tokenizer.py and HF's CLIPTokenizer


def bytes_to_unicode():
    """GPT-2's reversible byte → printable character table (as in OpenAI's simple_tokenizer.py)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def locate_gz():
    spec = importlib.util.find_spec("open_clip")  # finds the package directory without executing it
    if spec is None or not spec.submodule_search_locations:
        sys.exit("open_clip_torch is not installed in this environment (run Scripts/reference/venv.sh)")
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, "bpe_simple_vocab_16e6.txt.gz")
        if os.path.isfile(path):
            return path
    sys.exit("bpe_simple_vocab_16e6.txt.gz not found inside the open_clip package")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(root, "Fixtures", "tokenizer"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    lines = gzip.open(locate_gz()).read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1 : MERGE_COUNT + 1]]
    assert len(merges) == MERGE_COUNT and all(len(m) == 2 for m in merges)

    byte_chars = list(bytes_to_unicode().values())
    tokens = byte_chars + [c + "</w>" for c in byte_chars] + ["".join(m) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == 49408, len(vocab)

    with tempfile.TemporaryDirectory() as tmp:
        for folder in (tmp, args.out):
            with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
                json.dump(vocab, f, ensure_ascii=False)
            with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
                f.write("#version: 0.2\n")
                f.write("".join(f"{a} {b}\n" for a, b in merges))

        import transformers
        from transformers import AutoTokenizer, CLIPTokenizer

        tok = CLIPTokenizer.from_pretrained(tmp)  # transformers 5 converts vocab.json + merges.txt here
        tok.model_max_length = 77
        tok.save_pretrained(args.out)
        # transformers 5 no longer writes special_tokens_map.json; published CLIP folders have one.
        config_path = os.path.join(args.out, "tokenizer_config.json")
        with open(config_path) as f:
            config = json.load(f)
        for key in ("is_local", "local_files_only"):  # loader state, not configuration
            config.pop(key, None)
        with open(config_path, "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        with open(os.path.join(args.out, "special_tokens_map.json"), "w") as f:
            json.dump({k: config[k] for k in ("bos_token", "eos_token", "pad_token", "unk_token")}, f, indent=2)
            f.write("\n")

        check = AutoTokenizer.from_pretrained(args.out)
        assert len(check) == 49408, len(check)
        assert check.bos_token_id == 49406 and check.eos_token_id == 49407
        ids = check("a photo of a red dress")["input_ids"]
        assert ids[0] == 49406 and ids[-1] == 49407, ids
        print(f"{type(check).__name__} (transformers {transformers.__version__}): {len(check)} ids, "
              f"specials {check.bos_token_id}/{check.eos_token_id}, sample {ids}")
    with open(os.path.join(args.out, "fixture_version.json"), "w") as f:
        json.dump({"fixture_version": FIXTURE_VERSION, "source": "open_clip_torch bpe_simple_vocab_16e6.txt.gz",
                   "transformers": transformers.__version__}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
