"""Byte-reproducible safetensors files (helper of generate_models.py).

`safetensors.torch.save_file` writes `__metadata__` from a Rust HashMap, so its key order changes from
run to run. This rewrites the header with sorted keys (tensor data untouched, offsets relative to the
data section), padded with spaces to a multiple of 8 bytes as the reference writer does.
"""
import json
import struct

from safetensors.torch import save_file


def save_reproducible(tensors, path, metadata):
    save_file(tensors, path, metadata=metadata)
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + raw[8 + length:])
