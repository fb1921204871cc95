#!/usr/bin/env python3
"""Writes the image-preprocessing goldens into Fixtures/images/.

Reference: transformers' `CLIPImageProcessorPil` (the Pillow backend). transformers 5's
`AutoImageProcessor` and `CLIPImageProcessor` pick the torchvision backend instead; that one is NOT
the reference. Inputs are made here (seeded numpy + Pillow encoders + a small PNG writer for variants
Pillow cannot write: 2/4-bit grey, tRNS colours, 16-bit, Adam7 interlace), decoded by Pillow and run
through the processor. Outputs per case: the uint8 image after resize + centre crop (`[H, W, 3]`,
`|u1`) and, for most cases, `pixel_values` (`[3, H, W]`, `<f4`).

Usage: python make_image_goldens.py [--out Fixtures/images]
"""

import argparse
import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import PIL
import transformers
from PIL import Image, ImageOps
from transformers import CLIPImageProcessorPil

FIXTURE_VERSION = 1
ROOT = Path(__file__).resolve().parents[2]

CONFIGS = {
    # FashionCLIP's own preprocessor_config.json (legacy integer forms).
    "clip224": {
        "crop_size": 224, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3, "size": 224,
    },
    # The dict forms, small so that the goldens stay small.
    "small48": {
        "crop_size": {"height": 48, "width": 48}, "do_center_crop": True, "do_normalize": True,
        "do_rescale": True, "rescale_factor": 0.00392156862745098, "do_resize": True,
        "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
        "size": {"shortest_edge": 48}, "image_processor_type": "CLIPImageProcessor",
    },
    # Exact size, bilinear, a crop wider than the resize on one axis (zero padding), other stats.
    "exact_bilinear": {
        "crop_size": {"height": 24, "width": 40}, "do_center_crop": True, "do_normalize": True,
        "do_resize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "resample": 2,
        "size": {"height": 30, "width": 33},
    },
    # Shortest edge smaller than the crop: transformers pads with zeros.
    "pad": {"crop_size": 40, "size": 27, "resample": 3},
    # No resize, no crop: the normalisation table for every sample value.
    "values": {"do_resize": False, "do_center_crop": False},
}


def photo(h, w, seed):
    """Smooth gradients, stripes, noise and hard-edged blocks (overshoot exercises the clipping)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.stack([
        128 + 100 * np.sin(x / max(w, 1) * 7 + seed) * np.cos(y / max(h, 1) * 5),
        255 * x / max(w - 1, 1),
        255 * (1 - y / max(h - 1, 1)) * 0.7 + 40 * np.sin((x + y) / 3.0),
    ], axis=-1)
    img += rng.normal(0, 18, img.shape)
    for _ in range(6):
        y0, x0 = rng.integers(0, max(h, 1)), rng.integers(0, max(w, 1))
        img[y0:y0 + max(h // 5, 1), x0:x0 + max(w // 6, 1)] = rng.integers(0, 256, 3)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png_bytes(samples, depth, color_type, palette=None, trns=None, interlace=False, exif=None):
    """A PNG of `samples` ([H, W, C] unsigned ints, already in range for `depth`), filter 0."""
    h, w, _ = samples.shape

    def pack_rows(block):
        rows = []
        for row in block:
            flat = row.reshape(-1).astype(np.uint32)
            if depth == 16:
                data = flat.astype(">u2").tobytes()
            elif depth == 8:
                data = flat.astype(np.uint8).tobytes()
            else:
                per = 8 // depth
                padded = np.zeros(((len(flat) + per - 1) // per) * per, np.uint32)
                padded[:len(flat)] = flat
                groups = padded.reshape(-1, per)
                shifts = np.array([8 - depth * (i + 1) for i in range(per)], np.uint32)
                data = (groups << shifts).sum(axis=1).astype(np.uint8).tobytes()
            rows.append(b"\x00" + data)
        return b"".join(rows)

    if interlace:
        raw = b"".join(pack_rows(samples[ys::yst, xs::xst]) for xs, ys, xst, yst in ADAM7
                       if samples[ys::yst, xs::xst].size)
    else:
        raw = pack_rows(samples)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(np.asarray(palette, np.uint8).reshape(-1)))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    if exif is not None:
        out += png_chunk(b"eXIf", exif)
    out += png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    return out


def gif_descriptor_offset(data):
    """Offset of the first image descriptor (0x2C) of a GIF."""
    offset = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    while data[offset] == 0x21:
        offset += 2
        while data[offset]:
            offset += data[offset] + 1
        offset += 1
    assert data[offset] == 0x2C
    return offset


def pil_bytes(image, fmt, **kw):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def make_inputs():
    """name → encoded bytes. Names carry the format, mode and size they test."""
    inputs = {}
    p = photo
    inputs["rgb_37x53.png"] = pil_bytes(Image.fromarray(p(53, 37, 1)), "PNG")
    inputs["rgb_300x60.png"] = pil_bytes(Image.fromarray(p(60, 300, 2)), "PNG")  # 5:1
    inputs["rgb_1x1.png"] = pil_bytes(Image.fromarray(p(1, 1, 3)), "PNG")
    inputs["rgb_224x224.png"] = pil_bytes(Image.fromarray(p(224, 224, 4)), "PNG")
    inputs["rgb_20x31_upscale.png"] = pil_bytes(Image.fromarray(p(31, 20, 5)), "PNG")
    inputs["baseline_500x333.jpg"] = pil_bytes(Image.fromarray(p(333, 500, 6)), "JPEG", quality=90)
    inputs["baseline_60x300_444.jpg"] = pil_bytes(Image.fromarray(p(300, 60, 7)), "JPEG", quality=85, subsampling=0)
    inputs["baseline_77x45_422.jpg"] = pil_bytes(Image.fromarray(p(45, 77, 17)), "JPEG", quality=75, subsampling=1)
    inputs["progressive_321x241.jpg"] = pil_bytes(Image.fromarray(p(241, 321, 8)), "JPEG", quality=80, progressive=True)
    inputs["gray_90x71.jpg"] = pil_bytes(Image.fromarray(p(71, 90, 9)).convert("L"), "JPEG", quality=88)
    inputs["cmyk_64x49.jpg"] = pil_bytes(Image.fromarray(p(49, 64, 10)).convert("CMYK"), "JPEG", quality=90)
    exif = Image.Exif()
    exif[0x0112] = 6
    inputs["exif_rotate6_48x30.jpg"] = pil_bytes(Image.fromarray(p(30, 48, 11)), "JPEG", quality=90, exif=exif.tobytes())
    exif[0x0112] = 5
    inputs["exif_transpose5_40x26.png"] = pil_bytes(Image.fromarray(p(26, 40, 12)), "PNG", exif=exif.tobytes())
    for orientation in (2, 4, 7, 8):
        exif[0x0112] = orientation
        inputs[f"exif_orientation{orientation}_9x6.png"] = pil_bytes(Image.fromarray(p(6, 9, 14 + orientation)), "PNG", exif=exif.tobytes())
    exif[0x0112] = 3
    inputs["exif_rotate3_33x21.webp"] = pil_bytes(Image.fromarray(p(21, 33, 13)), "WEBP", lossless=True, exif=exif.tobytes())

    gray = p(45, 61, 20)[..., 1]
    inputs["gray8_61x45.png"] = pil_bytes(Image.fromarray(gray, "L"), "PNG")
    inputs["gray1_50x37.png"] = png_bytes((gray[:37, :50, None] > 120).astype(np.uint8), 1, 0)
    inputs["gray2_43x29.png"] = png_bytes((gray[:29, :43, None] >> 6), 2, 0)
    inputs["gray4_43x29_interlaced.png"] = png_bytes((gray[:29, :43, None] >> 4), 4, 0, interlace=True)
    wide = (gray.astype(np.uint16)[..., None] * 3)  # 0…765: the clip at 255 shows
    inputs["gray16_61x45.png"] = png_bytes(wide, 16, 0)
    inputs["gray8_trns_61x45.png"] = png_bytes(gray[..., None], 8, 0, trns=struct.pack(">H", int(gray[10, 10])))
    # Pillow compares a tRNS colour with the low byte of the stored samples (its quirks, matched).
    inputs["gray16_trns_61x45.png"] = png_bytes(wide, 16, 0, trns=struct.pack(">H", int(wide[3, 3, 0]) % 256 + 256))
    inputs["gray2_trns_43x29.png"] = png_bytes((gray[:29, :43, None] >> 6), 2, 0, trns=struct.pack(">H", 170))
    rgb = p(39, 57, 21)
    inputs["rgb16_trns_57x39.png"] = png_bytes(rgb.astype(np.uint16) * 256 + 9, 16, 2,
                                               trns=struct.pack(">HHH", *(int(v) * 256 + 9 for v in rgb[5, 5])))
    inputs["rgb_trns_57x39.png"] = png_bytes(rgb, 8, 2, trns=struct.pack(">HHH", *map(int, rgb[5, 5])))
    inputs["rgb16_57x39_interlaced.png"] = png_bytes(rgb.astype(np.uint16) * 257 + 3, 16, 2, interlace=True)
    alpha = np.clip(np.linspace(-60, 320, 57)[None, :] + np.zeros((39, 1)), 0, 255).astype(np.uint8)
    rgba = np.concatenate([rgb, alpha[..., None]], axis=-1)
    inputs["rgba_57x39.png"] = pil_bytes(Image.fromarray(rgba, "RGBA"), "PNG")
    inputs["rgba16_57x39.png"] = png_bytes(rgba.astype(np.uint16) * 257 + 1, 16, 6)
    hidden = rgba.copy()
    hidden[:, :20, :3] = (255, 0, 0)  # bright red under full transparency
    hidden[:, :20, 3] = 0
    inputs["rgba_hidden_colour_57x39.png"] = pil_bytes(Image.fromarray(hidden, "RGBA"), "PNG")
    la = np.stack([gray, np.clip(np.arange(61)[None, :] * 5 + np.zeros((45, 1)), 0, 255).astype(np.uint8)], -1)
    inputs["la_61x45.png"] = pil_bytes(Image.fromarray(la, "LA"), "PNG")
    inputs["la16_61x45.png"] = png_bytes(la.astype(np.uint16) * 256 + 200, 16, 4)
    pal_img = Image.fromarray(p(47, 52, 22)).quantize(colors=200, method=Image.Quantize.MEDIANCUT)
    inputs["palette8_52x47.png"] = pil_bytes(pal_img, "PNG")
    indices = np.array(pal_img)[..., None]
    palette = np.array(pal_img.getpalette()[:200 * 3], np.uint8).reshape(-1, 3)
    trns = bytes(np.clip(np.arange(150) * 2, 0, 255).astype(np.uint8))  # partial alphas, 150 < 200 entries
    inputs["palette8_trns_52x47.png"] = png_bytes(indices, 8, 3, palette=palette, trns=trns)
    simple = b"\xff" * 7 + b"\x00"  # one fully transparent entry: Pillow stores an int
    inputs["palette4_simple_trns_52x47.png"] = png_bytes(indices % 16, 4, 3, palette=palette[:16], trns=simple)
    inputs["palette2_interlaced_52x47.png"] = png_bytes(indices % 4, 2, 3, palette=palette[:4], interlace=True)

    quantized = Image.fromarray(p(47, 52, 23)).quantize(colors=180, method=Image.Quantize.MEDIANCUT)
    inputs["gif_palette_52x47.gif"] = pil_bytes(quantized, "GIF", interlace=False)
    inputs["gif_interlaced_transparent_52x47.gif"] = pil_bytes(quantized, "GIF", interlace=True, transparency=7)
    inputs["gif_gray_61x45.gif"] = pil_bytes(Image.fromarray(gray, "L"), "GIF")
    # The frame smaller than the logical screen and offset in it: outside pixels take the transparent index.
    partial = bytearray(inputs["gif_interlaced_transparent_52x47.gif"])
    partial[6:10] = struct.pack("<HH", 70, 60)
    descriptor = gif_descriptor_offset(bytes(partial))
    partial[descriptor + 1:descriptor + 5] = struct.pack("<HH", 9, 6)
    inputs["gif_partial_frame_70x60.gif"] = bytes(partial)
    frames = [Image.fromarray(p(30, 40, 24 + i)).quantize(colors=64) for i in range(2)]
    inputs["gif_animated_40x30.gif"] = pil_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    inputs["webp_lossy_150x97.webp"] = pil_bytes(Image.fromarray(p(97, 150, 30)), "WEBP", quality=80)
    inputs["webp_lossless_rgba_57x39.webp"] = pil_bytes(Image.fromarray(rgba, "RGBA"), "WEBP", lossless=True)
    inputs["webp_lossy_alpha_57x39.webp"] = pil_bytes(Image.fromarray(rgba, "RGBA"), "WEBP", quality=70)
    return inputs


def make_broken(inputs):
    """name → (bytes, expected error case of ImageProcessingError)."""
    jpeg = inputs["baseline_77x45_422.jpg"]
    png = inputs["rgb_37x53.png"]
    webp = inputs["webp_lossy_150x97.webp"]
    progressive = inputs["progressive_321x241.jpg"]
    bad_idat = bytearray(png)
    start = bad_idat.find(b"IDAT") + 4 + 20
    bad_idat[start:start + 64] = bytes(range(64))  # breaks the zlib stream (and its CRC)
    corrupt_jpeg = bytearray(jpeg)
    sos = corrupt_jpeg.find(b"\xff\xc0")
    corrupt_jpeg[sos + 5:sos + 9] = b"\xff\xff\xff\xff"  # nonsense SOF: components/sizes
    zero_jpeg = bytearray(jpeg)
    sof = zero_jpeg.find(b"\xff\xc0")
    zero_jpeg[sof + 5:sof + 7] = b"\x00\x00"  # height 0
    zero = png_bytes(np.zeros((1, 1, 3), np.uint8), 8, 2)
    zero = zero[:16] + struct.pack(">II", 0, 1) + zero[24:]
    zero = zero[:29] + struct.pack(">I", zlib.crc32(zero[12:29]) & 0xFFFFFFFF) + zero[33:]
    bomb = png_bytes(np.zeros((1, 1, 3), np.uint8), 8, 2)
    bomb = bomb[:16] + struct.pack(">II", 100_000, 100_000) + bomb[24:]
    bomb = bomb[:29] + struct.pack(">I", zlib.crc32(bomb[12:29]) & 0xFFFFFFFF) + bomb[33:]
    gif = inputs["gif_palette_52x47.gif"]
    twelve_bit = bytearray(jpeg)
    twelve_bit[twelve_bit.find(b"\xff\xc0") + 4] = 12  # sample precision 12
    return {
        "empty.jpg": (b"", "emptyData"),
        "not_an_image.txt": (b"sku,title\n123,red dress\n", "notAnImage"),
        "truncated_baseline.jpg": (jpeg[: len(jpeg) // 2], "truncated"),
        "truncated_progressive.jpg": (progressive[: len(progressive) * 2 // 3], "truncated"),
        "truncated_header.jpg": (jpeg[:40], "truncated"),
        "truncated.png": (png[: len(png) // 2], "truncated"),
        "truncated_signature.png": (png[:5], "truncated"),
        "truncated.webp": (webp[: len(webp) // 2], "truncated"),
        "corrupt_idat.png": (bytes(bad_idat), "corrupt"),
        "corrupt_sof.jpg": (bytes(corrupt_jpeg), "corrupt"),
        "zero_width.png": (zero, "zeroSize"),
        "zero_height.jpg": (bytes(zero_jpeg), "zeroSize"),
        "bomb_100000x100000.png": (bomb, "tooManyPixels"),
        "truncated.gif": (gif[: len(gif) // 2], "truncated"),
        "precision12.jpg": (bytes(twelve_bit), "unsupportedImage"),
    }


def cases(names):
    """(case name, input, config, options) with options alpha ∈ {composite, drop}, exif ∈ {False, True}."""
    out = []
    for name in names:
        out.append((f"{name}@small48", name, "small48", "composite", False))
    for name in ["baseline_500x333.jpg", "rgb_300x60.png", "rgba_hidden_colour_57x39.png", "rgb_224x224.png"]:
        out.append((f"{name}@clip224", name, "clip224", "composite", False))
    for name in ["rgba_hidden_colour_57x39.png", "palette8_trns_52x47.png", "la_61x45.png", "rgb_trns_57x39.png"]:
        out.append((f"{name}@small48+drop", name, "small48", "drop", False))
    for name in ["exif_rotate6_48x30.jpg", "exif_transpose5_40x26.png", "exif_rotate3_33x21.webp"] + [
            f"exif_orientation{o}_9x6.png" for o in (2, 4, 7, 8)]:
        out.append((f"{name}@small48+exif", name, "small48", "composite", True))
    for name in ["rgb_37x53.png", "baseline_77x45_422.jpg", "rgb_1x1.png"]:
        out.append((f"{name}@exact_bilinear", name, "exact_bilinear", "composite", False))
        out.append((f"{name}@pad", name, "pad", "composite", False))
    return out


def value_image():
    """16 × 16 RGB holding every sample value once per channel (in a different order each)."""
    v = np.arange(256, dtype=np.uint8)
    return np.stack([v, v[::-1], np.roll(v, 77)], -1).reshape(16, 16, 3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "Fixtures" / "images"))
    out = Path(parser.parse_args().out)
    if out.exists():
        shutil.rmtree(out)
    for sub in ("inputs", "broken", "configs", "expected"):
        (out / sub).mkdir(parents=True)
    inputs = make_inputs()
    for name, data in inputs.items():
        (out / "inputs" / name).write_bytes(data)
    broken = make_broken(inputs)
    for name, (data, _) in broken.items():
        (out / "broken" / name).write_bytes(data)
    processors = {}
    for name, config in CONFIGS.items():
        (out / "configs" / f"{name}.json").write_text(json.dumps(config, indent=2) + "\n")
        processors[name] = CLIPImageProcessorPil(**config)
    Image.fromarray(value_image()).save(out / "inputs" / "values_16x16.png")

    manifest_cases = []
    all_cases = cases(sorted(inputs)) + [("values_16x16.png@values", "values_16x16.png", "values", "composite", False)]
    for case, name, config, alpha, exif in all_cases:
        image = Image.open(out / "inputs" / name)
        image.load()
        mode = image.mode
        if exif:
            image = ImageOps.exif_transpose(image)
        if alpha == "drop":
            image = image.convert("RGB")  # transformers 4.x convert_to_rgb
        processor = processors[config]
        # The uint8 tensor after resize + crop: the processor's own steps without rescale/normalise.
        resized = processor(image, do_rescale=False, do_normalize=False, return_tensors="np")["pixel_values"][0]
        resized = np.ascontiguousarray(resized.transpose(1, 2, 0))
        assert resized.dtype == np.uint8, resized.dtype
        pixel_values = processor(image, return_tensors="np")["pixel_values"][0].astype(np.float32)
        stem = case.replace("@", "__").replace("+", "_")
        np.save(out / "expected" / f"{stem}.resized.npy", resized)
        entry = {"name": case, "input": f"inputs/{name}", "config": f"configs/{config}.json", "alpha": alpha,
                 "exif_orientation": exif, "pillow_mode": mode, "resized": f"expected/{stem}.resized.npy"}
        # pixel_values of the 224 configuration are 600 KB each: keep one (the "values" case checks
        # the same normalisation for every sample value).
        # Conversion-only cases keep the uint8 tensor alone (the float step is covered by the others).
        if (config != "clip224" and "_trns_" not in name or name in ("rgb_trns_57x39.png", "gray8_trns_61x45.png")) \
                and (config != "clip224" or name == "baseline_500x333.jpg"):
            np.save(out / "expected" / f"{stem}.pixel_values.npy", pixel_values)
            entry["pixel_values"] = f"expected/{stem}.pixel_values.npy"
        manifest_cases.append(entry)
    manifest = {
        "fixture_version": FIXTURE_VERSION,
        "generator": "Scripts/reference/make_image_goldens.py",
        "reference": "transformers CLIPImageProcessorPil (Pillow backend); not the torchvision CLIPImageProcessor "
                     "that transformers 5 picks by default",
        "versions": {"transformers": transformers.__version__, "pillow": PIL.__version__, "numpy": np.__version__,
                     "pillow_libjpeg_turbo": PIL.features.version("libjpeg_turbo"),
                     "pillow_webp": PIL.features.version("webp")},
        "cases": manifest_cases,
        "broken": [{"input": f"broken/{name}", "error": kind} for name, (_, kind) in broken.items()],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{len(manifest_cases)} cases, {len(broken)} broken files, {total / 1e6:.2f} MB in {out}")


if __name__ == "__main__":
    import PIL.features  # noqa: F401  (for the versions above)
    main()
