#!/usr/bin/env python3
"""Writes the tiny CLIP model folders of Fixtures/models/ and their expected activations.

Each variant is a random transformers CLIPModel with the real vocabulary size (49408) and small,
deliberately different text / vision / projection widths, saved as a model folder (config.json,
model.safetensors, preprocessor_config.json) plus expected.safetensors holding the inputs and every
named activation (see models_trace.py). Deterministic: seeded, fixed inputs.

  generate_models.py [--out Fixtures/models]      tiny fixtures (committed, < 8 MB)
  generate_models.py --full-size OUTDIR           a random ViT-B/32 CLIPModel (CLIPConfig()) and a
                                                  small expected.safetensors and the tokenizer files, for the opt-in test
                                                  driven by FASHIONCLIP_MODEL_DIR.
"""
import argparse
import json
import os
import shutil

import safetensors
import torch
import transformers
from transformers import CLIPConfig, CLIPModel
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

from models_safetensors import save_reproducible
from models_trace import logits_per_image, trace_text, trace_vision

FIXTURE_VERSION = "1"
BOS, EOS = 49406, 49407

TEXT = dict(hidden_size=16, num_attention_heads=4, num_hidden_layers=2, intermediate_size=40, max_position_embeddings=77)
VISION = dict(hidden_size=40, num_attention_heads=5, num_hidden_layers=2, intermediate_size=56, image_size=32, patch_size=8)
PROJECTION = 24

# name → (storage dtype, hidden_act or None to omit it like FashionCLIP, text eos_token_id, seed)
VARIANTS = {
    "fashionclip-f32": (torch.float32, None, 2, 1),
    "laion-f16": (torch.float16, "gelu", EOS, 2),
    "openai-bf16": (torch.bfloat16, "quick_gelu", EOS, 3),
}


def versions():
    return {
        "fixture_version": FIXTURE_VERSION,
        "generator": "Scripts/reference/generate_models.py",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "safetensors": safetensors.__version__,
    }


def token_sequences(generator):
    """Real-looking id sequences: BOS … EOS, of lengths 1, 2, 7, 7, 77, plus odd cases."""
    def words(n):
        return torch.randint(256, 49406, (n,), generator=generator).tolist()

    return [
        [BOS],                                  # length 1, no EOS: both rules pool position 0
        [BOS, EOS],                             # the empty text
        [BOS] + words(5) + [EOS],               # two texts of equal length (batched together)
        [BOS] + words(5) + [EOS],
        [BOS] + words(75) + [EOS],              # the maximum length, 77
        [BOS] + words(3) + [EOS] + words(2) + [EOS],  # a literal EOS before the end
        [BOS] + words(2) + [EOS, EOS, EOS],     # padded with EOS (pad == eos)
        words(4),                               # no BOS, no EOS: argmax and first-EOS rules differ
    ]


def randomize(model, generator):
    """Replaces the tiny init (std 0.02) by O(1)-scale values so every nonlinearity matters."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if name == "logit_scale":
                p.fill_(2.6592)
            elif "layer_norm" in name or "layrnorm" in name or "layernorm" in name:
                p.copy_(1 + 0.2 * noise if name.endswith("weight") else 0.2 * noise)
            elif name.endswith("bias"):
                p.copy_(0.1 * noise)
            elif "embedding" in name:
                p.copy_(0.5 * noise)
            else:  # linear / conv weights [out, in, ...]
                fan_in = p[0].numel()
                p.copy_(noise * fan_in ** -0.5)


def make_config(hidden_act, eos):
    text = dict(TEXT, eos_token_id=eos)
    vision = dict(VISION)
    if hidden_act is not None:
        text["hidden_act"] = vision["hidden_act"] = hidden_act
    if eos == 2:  # the legacy token ids of configs written before transformers PR #24773
        text.update(bos_token_id=0, pad_token_id=1)
    return CLIPConfig(text_config=text, vision_config=vision, projection_dim=PROJECTION)


def write_preprocessor(folder, image_size):
    # The Pillow backend is the reference (and needs no torchvision); it saves as "CLIPImageProcessor".
    processor = CLIPImageProcessorPil(size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size})
    processor.save_pretrained(folder)


def write_config(folder, config, omit_hidden_act):
    config.save_pretrained(folder)
    path = os.path.join(folder, "config.json")
    if omit_hidden_act:  # FashionCLIP's config.json has no hidden_act: transformers defaults to quick_gelu
        with open(path) as f:
            data = json.load(f)
        for sub in ("text_config", "vision_config"):
            data[sub].pop("hidden_act", None)
        with open(path, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")


def generate_variant(out, name, dtype, hidden_act, eos, seed):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    config = make_config(hidden_act, eos)
    config._attn_implementation = "eager"
    model = CLIPModel(config).eval()
    randomize(model, generator)
    with torch.no_grad():  # store in `dtype`, run the fp32 reference on exactly those values
        for p in model.parameters():
            p.copy_(p.to(dtype).float())
    write_config(folder, config, omit_hidden_act=hidden_act is None)
    write_preprocessor(folder, VISION["image_size"])
    tensors = {k: v.to(dtype).contiguous() for k, v in model.state_dict().items()}
    if name.startswith("fashionclip"):
        # Checkpoints saved before transformers 4.31 carry this non-persistent buffer; loaders ignore it.
        tensors["text_model.embeddings.position_ids"] = torch.arange(77, dtype=torch.long)[None]
    save_reproducible(tensors, os.path.join(folder, "model.safetensors"), dict(versions(), variant=name, format="pt"))

    sequences = token_sequences(generator)
    pixel_values = torch.randn((3, 3, VISION["image_size"], VISION["image_size"]), generator=generator)
    expected = {"pixel_values": pixel_values}
    for k, ids in enumerate(sequences):
        expected[f"input_ids.{k}"] = torch.tensor(ids, dtype=torch.long)
        for key, value in trace_text(model, ids).items():
            expected[f"seq{k}/{key}"] = value
    expected.update(trace_vision(model, pixel_values))
    expected["logits_per_image"] = logits_per_image(model, sequences, pixel_values)
    meta = dict(versions(), variant=name, sequences=str(len(sequences)))
    save_reproducible(expected, os.path.join(folder, "expected.safetensors"), meta)
    print(f"{name}: {sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder)) / 1e6:.2f} MB")


def generate_full_size(out):
    """A random ViT-B/32 CLIPModel with transformers' defaults and its final embeddings."""
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    config = CLIPConfig()
    config._attn_implementation = "eager"
    model = CLIPModel(config).eval()
    model.save_pretrained(out, safe_serialization=True)
    write_preprocessor(out, config.vision_config.image_size)
    # The real CLIP vocabulary (Fixtures/tokenizer, from make_vocab.py), so text workloads can tokenize.
    tokenizer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "tokenizer")
    for name in ("vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copyfile(os.path.join(tokenizer, name), os.path.join(out, name))
    words = lambda n: torch.randint(256, 49406, (n,), generator=generator).tolist()  # noqa: E731
    sequences = [[BOS, EOS], [BOS] + words(6) + [EOS], [BOS] + words(75) + [EOS]]
    size = config.vision_config.image_size
    pixel_values = torch.randn((2, 3, size, size), generator=generator)
    expected = {"pixel_values": pixel_values}
    with torch.no_grad():
        for k, ids in enumerate(sequences):
            input_ids = torch.tensor([ids], dtype=torch.long)
            expected[f"input_ids.{k}"] = input_ids[0]
            expected[f"seq{k}/text.embeds"] = model.get_text_features(input_ids=input_ids).pooler_output[0].contiguous()
        expected["vision.embeds"] = model.get_image_features(pixel_values=pixel_values).pooler_output.contiguous()
    save_reproducible(expected, os.path.join(out, "expected.safetensors"), dict(versions(), variant="full-size", sequences=str(len(sequences))))
    print(f"full-size model written to {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--out", default=os.path.join(root, "Fixtures", "models"))
    parser.add_argument("--full-size", metavar="OUTDIR")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.full_size:
        generate_full_size(args.full_size)
        return
    for name, (dtype, hidden_act, eos, seed) in VARIANTS.items():
        generate_variant(args.out, name, dtype, hidden_act, eos, seed)


if __name__ == "__main__":
    main()
