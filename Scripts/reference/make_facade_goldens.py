"""Reference outputs for the FashionCLIP facade: texts and image files in, embeddings and zero-shot
probabilities out, through transformers' own processor (tokenizer + CLIPImageProcessorPil) and CLIPModel.

Default: for each committed tiny model, the demo catalog's images and a set of product texts, written
to Fixtures/facade/<model>.json. With --model DIR --out FILE: the same for any model folder (the opt-in
full-size check, FASHIONCLIP_MODEL_DIR).
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import PIL
import torch
import transformers
from PIL import Image
from transformers import AutoTokenizer, CLIPImageProcessorPil, CLIPModel, pipeline

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_VERSION = "1"
TEXTS = [
    "a red dress",
    "striped long-sleeve t-shirt",
    "stripes, long sleeves, Armani — 80s style t-shirt",
    "White SNEAKERS   with rubber sole!!",
    "sac à main en cuir",
    "",
    " ".join(["very long product description"] * 20),
]
LABELS = ["t-shirt", "dress", "trousers", "sneakers", "bag"]
TEMPLATES = ["This is a photo of {}.", "a product photo of a {}", "{}"]


def images_of_demo():
    folder = ROOT / "Demo" / "catalog" / "images"
    return sorted(folder.iterdir())[::3]


def goldens(model_dir: Path, image_paths):
    torch.manual_seed(0)
    model = CLIPModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    processor = CLIPImageProcessorPil.from_pretrained(model_dir)
    with torch.no_grad():
        tokens = [tokenizer(t, truncation=True, max_length=77)["input_ids"] for t in TEXTS]
        text_features = [model.get_text_features(input_ids=torch.tensor([ids])) for ids in tokens]
        text_features = torch.cat([getattr(f, "pooler_output", f) for f in text_features])
        pixel_values = processor(images=[Image.open(p) for p in image_paths], return_tensors="pt")["pixel_values"]
        image_features = model.get_image_features(pixel_values=pixel_values)
        image_features = getattr(image_features, "pooler_output", image_features)
    text_embeds = torch.nn.functional.normalize(text_features, dim=-1)
    image_embeds = torch.nn.functional.normalize(image_features, dim=-1)
    scale = model.logit_scale.exp().item()

    classifier = pipeline("zero-shot-image-classification", model=model, tokenizer=tokenizer,
                          image_processor=processor, device="cpu")
    pipeline_scores = []
    for p in image_paths:
        out = classifier(str(p), candidate_labels=LABELS)
        pipeline_scores.append({o["label"]: o["score"] for o in out})

    # Prompt ensembling (CLIP paper): mean of normalised prompt embeddings, renormalised.
    with torch.no_grad():
        per_template = []
        for template in TEMPLATES:
            ids = [tokenizer(template.replace("{}", l), truncation=True, max_length=77)["input_ids"] for l in LABELS]
            feats = torch.cat([getattr(f, "pooler_output", f) for f in
                               (model.get_text_features(input_ids=torch.tensor([i])) for i in ids)])
            per_template.append(torch.nn.functional.normalize(feats.double(), dim=-1))
        ensembled = torch.nn.functional.normalize(torch.stack(per_template).mean(0), dim=-1)
        logits = scale * image_embeds.double() @ ensembled.T
        ensemble_probs = torch.softmax(logits, dim=-1)

    return {
        "fixture_version": FIXTURE_VERSION,
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__, "pillow": PIL.__version__},
        "texts": TEXTS,
        "token_ids": tokens,
        "text_features": text_features.tolist(),
        "text_embeds": text_embeds.tolist(),
        "images": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in image_paths],
        "image_features": image_features.tolist(),
        "image_embeds": image_embeds.tolist(),
        "logit_scale": scale,
        "labels": LABELS,
        "pipeline_probabilities": [[s[l] for l in LABELS] for s in pipeline_scores],
        "templates": TEMPLATES,
        "ensemble_probabilities": ensemble_probs.tolist(),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    images = images_of_demo()
    if args.model:
        out = args.out or args.model / "facade_expected.json"
        out.write_text(json.dumps(goldens(args.model, images)))
        print(f"facade goldens: {out}")
        return
    target = ROOT / "Fixtures" / "facade"
    target.mkdir(parents=True, exist_ok=True)
    for name in ["fashionclip-f32", "laion-f16"]:
        result = goldens(ROOT / "Fixtures" / "models" / name, images)
        (target / f"{name}.json").write_text(json.dumps(result, indent=1))
        print(f"facade goldens: {name}")


if __name__ == "__main__":
    sys.exit(main())
