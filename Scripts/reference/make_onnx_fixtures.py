#!/usr/bin/env python3
"""Exports the tiny CLIP models of Fixtures/models/ to ONNX and records onnxruntime's outputs.

Writes Fixtures/onnx/ (see its README.md), shaped like the `onnx/` folders of model zoos:

- fashionclip-f32/onnx/model.onnx            combined CLIPModel (TorchScript exporter, opset 18, the
                                              graph optimum exports), inputs input_ids / pixel_values /
                                              attention_mask, outputs logits_per_image, logits_per_text,
                                              text_embeds, image_embeds (normalised);
  fashionclip-f32/onnx/model_quantized.onnx  the same after onnxruntime.quantization.quantize_dynamic
                                              (int8 weights with reduce_range, DynamicQuantizeLinear +
                                              MatMulInteger / ConvInteger, uint8 Gather + DequantizeLinear);
- openai-bf16/onnx/{text,vision}_model.onnx  transformers.js-style split exports
                                              (CLIPTextModelWithProjection / CLIPVisionModelWithProjection:
                                              unnormalised text_embeds / image_embeds, last_hidden_state);
                                              the text file keeps its tensors in external data
                                              (text_model.onnx_data), as exports over 2 GB must;
- laion-f16/onnx/{text,vision}_model_fp16.onnx  the split exports with float16 weights, each
                                              followed by a Cast to float;
  laion-f16/onnx-fp16-compute/vision_model_fp16.onnx  the vision half as onnxconverter_common 1.16
                                              converts it (float16 compute; no onnxruntime output).

Each folder also gets config.json and preprocessor_config.json (copies) and expected.safetensors with
onnxruntime's outputs for the inputs of Fixtures/models/<name>/expected.safetensors (each text alone,
unpadded; all images as one batch). Deterministic; stamped with fixture_version and versions.

  make_onnx_fixtures.py [--out Fixtures/onnx]
  make_onnx_fixtures.py --full-size MODEL_DIR OUT_DIR   exports a full-size safetensors folder
                                                         (fp32 combined, split, int8) for the opt-in check.
"""
import argparse
import json
import os
import shutil
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime
import safetensors
import safetensors.numpy
import torch
import transformers
from transformers import CLIPModel, CLIPTextModelWithProjection, CLIPVisionModelWithProjection

from models_safetensors import save_reproducible

FIXTURE_VERSION = "1"
transformers.logging.set_verbosity_error()
OPSET = 18
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def versions():
    return {
        "fixture_version": FIXTURE_VERSION,
        "generator": "Scripts/reference/make_onnx_fixtures.py",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "safetensors": safetensors.__version__,
        "opset": str(OPSET),
        "onnxconverter_common": __import__("onnxconverter_common").__version__,
    }


class CombinedCLIP(CLIPModel):
    """CLIPModel whose forward returns optimum's four outputs (module scopes stay `/text_model/…`)."""

    def forward(self, input_ids, pixel_values, attention_mask):
        out = super().forward(input_ids=input_ids, pixel_values=pixel_values, attention_mask=attention_mask)
        return out.logits_per_image, out.logits_per_text, out.text_embeds, out.image_embeds


class TextWithProjection(CLIPTextModelWithProjection):
    def forward(self, input_ids, attention_mask):
        out = super().forward(input_ids=input_ids, attention_mask=attention_mask)
        return out.text_embeds, out.last_hidden_state


class VisionWithProjection(CLIPVisionModelWithProjection):
    def forward(self, pixel_values):
        out = super().forward(pixel_values=pixel_values)
        return out.image_embeds, out.last_hidden_state


def load(cls, folder):
    # float32 compute on the stored (possibly rounded f16/bf16) weights, eager attention (optimum's graph).
    kwargs = {}
    if cls is not CombinedCLIP:
        # A one-tower class reads its sub-config, whose projection_dim is the default 512: use the model's.
        config = transformers.CLIPConfig.from_pretrained(folder)
        sub = config.text_config if cls is TextWithProjection else config.vision_config
        sub.projection_dim = config.projection_dim
        kwargs["config"] = sub
    return cls.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", **kwargs).eval()


def export(model, args, path, inputs, outputs, dynamic, external=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, args, path, dynamo=False, opset_version=OPSET, input_names=inputs,
                          output_names=outputs, dynamic_axes=dynamic, do_constant_folding=True)
    if external:
        proto = onnx.load(path)
        data = os.path.basename(path) + "_data"
        onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data, size_threshold=1024)


def export_combined(folder, path):
    model = load(CombinedCLIP, folder)
    ids = torch.tensor([[49406, 320, 1125, 49407]])
    pixels = torch.zeros(1, 3, model.config.vision_config.image_size, model.config.vision_config.image_size)
    export(model, (ids, pixels, torch.ones_like(ids)), path,
           ["input_ids", "pixel_values", "attention_mask"],
           ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
           {"input_ids": {0: "text_batch_size", 1: "sequence_length"},
            "attention_mask": {0: "text_batch_size", 1: "sequence_length"},
            "pixel_values": {0: "image_batch_size"}})


def export_split(folder, out, suffix="", external_text=False):
    text = load(TextWithProjection, folder)
    ids = torch.tensor([[49406, 320, 1125, 49407]])
    export(text, (ids, torch.ones_like(ids)), os.path.join(out, f"text_model{suffix}.onnx"),
           ["input_ids", "attention_mask"], ["text_embeds", "last_hidden_state"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "sequence_length"}},
           external=external_text)
    vision = load(VisionWithProjection, folder)
    size = vision.config.image_size
    export(vision, (torch.zeros(1, 3, size, size),), os.path.join(out, f"vision_model{suffix}.onnx"),
           ["pixel_values"], ["image_embeds", "last_hidden_state"], {"pixel_values": {0: "batch_size"}})


def to_fp16_weights(path, target):
    """float16 storage, float32 compute: each float initializer becomes float16 followed by a Cast."""
    model = onnx.load(path)
    graph = model.graph
    casts = []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        values = onnx.numpy_helper.to_array(init).astype(np.float16)
        original = init.name
        init.CopyFrom(onnx.numpy_helper.from_array(values, original + "_fp16"))
        casts.append(onnx.helper.make_node("Cast", [original + "_fp16"], [original], name=original + "_Cast",
                                           to=onnx.TensorProto.FLOAT))
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    onnx.save(model, target)


def to_fp16_compute(path, target):
    from onnxconverter_common import float16
    converted = float16.convert_float_to_float16(onnx.load(path), keep_io_types=True)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    onnx.save(converted, target)


def quantize(path, target):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    # reduce_range: 7-bit weights. Without it, onnxruntime's u8s8 GEMM on CPUs without VNNI (AVX2,
    # plain AVX-512) saturates pairs of products to int16 (VPMADDUBSW), so its int8 output depends on
    # the machine (cosine ~0.996 to the exact int8 math on these tiny models); with it, every CPU
    # computes the exact int8 products and the fixture is reproducible.
    quantize_dynamic(path, target, weight_type=QuantType.QInt8, reduce_range=True)


def session(path):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def inputs_of(name):
    expected = safetensors.numpy.load_file(os.path.join(ROOT, "Fixtures", "models", name, "expected.safetensors"))
    count = len([k for k in expected if k.startswith("input_ids.")])
    return [expected[f"input_ids.{k}"].astype(np.int64) for k in range(count)], expected["pixel_values"].astype(np.float32)


def run_combined(path, sequences, pixels):
    s = session(path)
    out = {}
    for k, ids in enumerate(sequences):
        ids2 = ids[None, :]
        lpi, lpt, te, ie = s.run(None, {"input_ids": ids2, "attention_mask": np.ones_like(ids2), "pixel_values": pixels})
        out[f"seq{k}/text_embeds"] = te[0]
        out[f"seq{k}/logits_per_image"] = lpi[:, 0]
        out["image_embeds"] = ie
    return out


def run_split(text_path, vision_path, sequences, pixels):
    t, v = session(text_path), session(vision_path)
    out = {}
    for k, ids in enumerate(sequences):
        ids2 = ids[None, :]
        te, lhs = t.run(None, {"input_ids": ids2, "attention_mask": np.ones_like(ids2)})
        out[f"seq{k}/text_embeds"] = te[0].astype(np.float32)
        out[f"seq{k}/last_hidden_state"] = lhs[0].astype(np.float32)
    ie, lhs = v.run(None, {"pixel_values": pixels})
    out["image_embeds"] = ie.astype(np.float32)
    out["last_hidden_state"] = lhs.astype(np.float32)
    return out


def save(out, folder, variant, sequences):
    meta = dict(versions(), variant=variant, sequences=str(len(sequences)))
    tensors = {k: np.ascontiguousarray(v) for k, v in out.items()}
    for k, ids in enumerate(sequences):
        tensors[f"input_ids.{k}"] = ids
    save_reproducible({k: torch.from_numpy(v) for k, v in tensors.items()},
                      os.path.join(folder, f"expected_{variant}.safetensors"), meta)


def copy_configs(source, folder):
    os.makedirs(folder, exist_ok=True)
    for f in ("config.json", "preprocessor_config.json"):
        shutil.copyfile(os.path.join(source, f), os.path.join(folder, f))


def tiny(out_root):
    torch.manual_seed(0)
    models = os.path.join(ROOT, "Fixtures", "models")
    for name in ("fashionclip-f32", "openai-bf16", "laion-f16"):  # README.md stays
        shutil.rmtree(os.path.join(out_root, name), ignore_errors=True)

    # Combined fp32 + dynamic int8.
    name = "fashionclip-f32"
    folder = os.path.join(out_root, name)
    copy_configs(os.path.join(models, name), folder)
    onnx_dir = os.path.join(folder, "onnx")
    export_combined(os.path.join(models, name), os.path.join(onnx_dir, "model.onnx"))
    quantize(os.path.join(onnx_dir, "model.onnx"), os.path.join(onnx_dir, "model_quantized.onnx"))
    sequences, pixels = inputs_of(name)
    save(run_combined(os.path.join(onnx_dir, "model.onnx"), sequences, pixels), folder, "fp32", sequences)
    save(run_combined(os.path.join(onnx_dir, "model_quantized.onnx"), sequences, pixels), folder, "int8", sequences)

    # Split fp32, the text half with external data.
    name = "openai-bf16"
    folder = os.path.join(out_root, name)
    copy_configs(os.path.join(models, name), folder)
    onnx_dir = os.path.join(folder, "onnx")
    export_split(os.path.join(models, name), onnx_dir, external_text=True)
    sequences, pixels = inputs_of(name)
    save(run_split(os.path.join(onnx_dir, "text_model.onnx"), os.path.join(onnx_dir, "vision_model.onnx"), sequences, pixels),
         folder, "fp32", sequences)

    # Split fp16.
    name = "laion-f16"
    folder = os.path.join(out_root, name)
    copy_configs(os.path.join(models, name), folder)
    onnx_dir = os.path.join(folder, "onnx")
    scratch = os.path.join(out_root, ".scratch")
    export_split(os.path.join(models, name), scratch)
    # fp16 weights behind Cast nodes. (onnxconverter_common 1.16's full-fp16 conversion of these
    # TorchScript exports does not load in onnxruntime 1.31: Cast/value_info and Conv input mismatches.)
    for half in ("text_model", "vision_model"):
        to_fp16_weights(os.path.join(scratch, f"{half}.onnx"), os.path.join(onnx_dir, f"{half}_fp16.onnx"))
    # The vision half as onnxconverter_common converts it (float16 compute, initializers consumed
    # directly). onnxruntime rejects it (Conv input type), so there is no output to record: the test
    # compares with Fixtures/models/laion-f16/expected.safetensors (fp32 on the same rounded weights).
    to_fp16_compute(os.path.join(scratch, "vision_model.onnx"),
                    os.path.join(folder, "onnx-fp16-compute", "vision_model_fp16.onnx"))
    shutil.rmtree(scratch)
    sequences, pixels = inputs_of(name)
    save(run_split(os.path.join(onnx_dir, "text_model_fp16.onnx"), os.path.join(onnx_dir, "vision_model_fp16.onnx"),
                   sequences, pixels), folder, "fp16", sequences)


def full_size(model_dir, out_dir):
    onnx_dir = os.path.join(out_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    for f in os.listdir(model_dir):
        if f.endswith(".json") or f.endswith(".txt"):
            shutil.copyfile(os.path.join(model_dir, f), os.path.join(out_dir, f))
    export_combined(model_dir, os.path.join(onnx_dir, "model.onnx"))
    quantize(os.path.join(onnx_dir, "model.onnx"), os.path.join(onnx_dir, "model_quantized.onnx"))
    export_split(model_dir, onnx_dir)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "Fixtures", "onnx"))
    parser.add_argument("--full-size", nargs=2, metavar=("MODEL_DIR", "OUT_DIR"))
    a = parser.parse_args()
    if a.full_size:
        full_size(*a.full_size)
    else:
        tiny(a.out)
