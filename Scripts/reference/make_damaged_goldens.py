"""Damaged image files and what Pillow 13 makes of each (issue 19, item 19).

From a handful of the image goldens' inputs (PNG, GIF, WebP, JPEG) it derives truncations, broken
checksums, missing or extra end markers, wrong container sizes and seeded byte changes, and records for
each file whether Pillow decodes it (`Image.open(...).convert("RGB")`, as the CLIP processors call it,
with `ImageFile.LOAD_TRUNCATED_IMAGES` off, its default) and, when it does, the size and a checksum of
the RGB pixels (FNV-1a). DamagedFileParityTests holds our decoder to the same verdicts.

Writes Fixtures/images/damaged/*.bin and Fixtures/images/damaged.json. Needs only Pillow and numpy:
    Scripts/reference/.venv/bin/python Scripts/reference/make_damaged_goldens.py
"""
import io
import json
import random
import shutil
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import PIL
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "Fixtures" / "images"
SOURCES = [
    "rgb_37x53.png", "rgba_57x39.png", "palette2_interlaced_52x47.png", "gray16_61x45.png",
    "gif_palette_52x47.gif", "gif_interlaced_transparent_52x47.gif", "gif_animated_40x30.gif",
    "webp_lossy_alpha_57x39.webp", "webp_lossless_rgba_57x39.webp",
    "baseline_77x45_422.jpg", "gray_90x71.jpg",
]
FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9]
FLIPS = 12


def chunks(png):
    """(offset, type, length) of each PNG chunk."""
    out, at = [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        out.append((at, kind, length))
        at += 12 + length
    return out


def png_variants(name, png):
    found = chunks(png)
    out = {}
    for at, kind, length in found:
        bad = bytearray(png)
        bad[at + 8 + length] ^= 0xFF  # the chunk's CRC
        out[f"{name}.badcrc_{kind.decode()}"] = bytes(bad)
    iend = next(at for at, kind, _ in found if kind == b"IEND")
    out[f"{name}.no_iend"] = png[:iend]
    out[f"{name}.garbage_after_iend"] = png + b"\x00garbage after the end\xff" * 3
    text = b"tEXtComment\x00damaged"
    chunk = struct.pack(">I", len(text) - 4) + text + struct.pack(">I", zlib.crc32(text) ^ 1)
    out[f"{name}.badcrc_text_before_idat"] = png[:33] + chunk + png[33:]
    out[f"{name}.badcrc_text_after_idat"] = png[:iend] + chunk + png[iend:]
    idat = [(at, length) for at, kind, length in found if kind == b"IDAT"]
    at, length = idat[-1]
    out[f"{name}.idat_cut_short"] = png[:at + 8 + length // 2] + png[at + 8 + length:]
    return out


def gif_variants(name, gif):
    return {
        f"{name}.no_trailer": gif[:-1],
        f"{name}.garbage_after_trailer": gif + b"garbage" * 4,
    }


def webp_variants(name, webp):
    size = struct.unpack("<I", webp[4:8])[0]
    return {
        f"{name}.riff_size_larger": webp[:4] + struct.pack("<I", size + 100) + webp[8:],
        f"{name}.riff_size_smaller": webp[:4] + struct.pack("<I", size - 10) + webp[8:],
        f"{name}.garbage_after": webp + b"garbage" * 4,
    }


def jpeg_variants(name, jpeg):
    assert jpeg.endswith(b"\xff\xd9")
    return {
        f"{name}.no_eoi": jpeg[:-2],
        f"{name}.garbage_after_eoi": jpeg + b"garbage" * 4,
        f"{name}.cut_in_scan": jpeg[:-40],
    }


def variants(name, data):
    out = {}
    for fraction in FRACTIONS:
        out[f"{name}.cut{int(fraction * 100):02d}"] = data[:int(len(data) * fraction)]
    out[f"{name}.cut_last_byte"] = data[:-1]
    rng = random.Random(f"damaged {name}")
    for i in range(FLIPS):
        bad = bytearray(data)
        at = rng.randrange(12, len(bad))
        bad[at] ^= 1 << rng.randrange(8)
        out[f"{name}.flip{i:02d}_{at}"] = bytes(bad)
    kind = name.rsplit(".", 1)[1]
    out.update({"png": png_variants, "gif": gif_variants, "webp": webp_variants, "jpg": jpeg_variants}[kind](name, data))
    return out


def fnv1a64(data):
    """FNV-1a, 64 bits: a checksum of the pixels that the Swift test computes in three lines."""
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def pillow_verdict(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                rgb = image.convert("RGB")
        pixels = np.asarray(rgb, dtype=np.uint8)
        return {"pillow": "decodes", "width": rgb.width, "height": rgb.height,
                "fnv1a64": fnv1a64(pixels.tobytes())}
    except Exception as error:  # what Pillow raises for a bad file varies: OSError, SyntaxError, ValueError …
        return {"pillow": "refuses", "reason": f"{type(error).__name__}: {error}"[:160]}


def main():
    out = IMAGES / "damaged"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    cases = []
    for name in SOURCES:
        data = (IMAGES / "inputs" / name).read_bytes()
        for case, damaged in sorted(variants(name, data).items()):
            if damaged == data:
                continue
            (out / f"{case}.bin").write_bytes(damaged)
            cases.append({"file": f"damaged/{case}.bin", **pillow_verdict(damaged)})
    manifest = {"pillow": PIL.__version__, "cases": cases}
    (IMAGES / "damaged.json").write_text(json.dumps(manifest, indent=1) + "\n")
    decodes = sum(c["pillow"] == "decodes" for c in cases)
    print(f"{len(cases)} damaged files ({decodes} decoded by Pillow {PIL.__version__}) in {out}")


if __name__ == "__main__":
    main()
