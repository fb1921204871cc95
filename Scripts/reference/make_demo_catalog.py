"""Draws the demo catalog: a few dozen product-like images (flat garment silhouettes in catalog colours)
with a CSV of ids, texts and metadata. Deterministic. Writes Demo/catalog/.

These are drawings, not photographs: with the committed tiny random model they only demonstrate the
path from files to vectors to results; with a real FashionCLIP checkpoint they classify sensibly.
"""
import csv
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Demo" / "catalog"
FIXTURE_VERSION = "1"

COLOURS = {
    "red": (190, 30, 45), "navy": (25, 40, 90), "white": (245, 245, 240), "black": (20, 20, 22),
    "green": (40, 120, 60), "beige": (220, 200, 160), "pink": (235, 150, 180), "yellow": (240, 200, 40),
}
BRANDS = ["Armani", "Levi's", "Zara", "Nike", "Gucci", "Uniqlo"]


def tshirt(d, c):
    d.polygon([(70, 60), (110, 40), (146, 40), (186, 60), (226, 110), (196, 135), (176, 115), (176, 280),
               (80, 280), (80, 115), (60, 135), (30, 110)], fill=c)


def dress(d, c):
    d.polygon([(105, 40), (151, 40), (160, 120), (215, 290), (41, 290), (96, 120)], fill=c)
    d.rectangle([108, 20, 116, 45], fill=c)
    d.rectangle([140, 20, 148, 45], fill=c)


def trousers(d, c):
    d.polygon([(80, 30), (176, 30), (190, 290), (140, 290), (128, 120), (116, 290), (66, 290)], fill=c)


def sneaker(d, c):
    d.polygon([(30, 200), (60, 140), (120, 130), (170, 170), (226, 185), (230, 230), (30, 230)], fill=c)
    d.rectangle([30, 230, 230, 248], fill=(250, 250, 250))


def bag(d, c):
    d.rectangle([50, 120, 206, 270], fill=c)
    d.arc([80, 50, 176, 170], 180, 360, fill=c, width=10)


SHAPES = {"t-shirt": tshirt, "dress": dress, "trousers": trousers, "sneakers": sneaker, "bag": bag}
DETAILS = {
    "t-shirt": ["crew neck", "short sleeves", "cotton jersey", "striped"],
    "dress": ["midi length", "sleeveless", "flowy", "floral print"],
    "trousers": ["wide leg", "high waist", "pleated", "slim fit"],
    "sneakers": ["low top", "rubber sole", "lace-up", "leather upper"],
    "bag": ["tote", "top handle", "leather", "gold hardware"],
}


def main():
    rng = random.Random(20261129)
    images = OUT / "images"
    images.mkdir(parents=True, exist_ok=True)
    rows = []
    n = 0
    for category, draw in SHAPES.items():
        for colour in rng.sample(sorted(COLOURS), 6):
            n += 1
            background = (250, 250, 250) if colour not in ("white", "beige") else (200, 205, 210)
            image = Image.new("RGB", (256, 320), background)
            draw(ImageDraw.Draw(image), COLOURS[colour])
            ext = "png" if n % 4 == 0 else "jpg"
            name = f"{category}-{colour}.{ext}"
            if ext == "jpg":
                image.save(images / name, quality=90)
            else:
                image.save(images / name)
            brand = rng.choice(BRANDS)
            details = ", ".join(rng.sample(DETAILS[category], 2))
            rows.append({
                "id": f"p{n:03d}", "image": f"images/{name}",
                "text": f"{details}, {brand} — {colour} {category}",
                "brand": brand, "category": category, "colour": colour,
                "price": f"{rng.randrange(15, 400)}.00",
            })
    with open(OUT / "catalog.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (OUT / "labels.txt").write_text("\n".join(SHAPES) + "\n", encoding="utf-8")
    with open(OUT / "labelled.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["image", "label"])
        for row in rows:
            writer.writerow([row["image"], row["category"]])
    (OUT / "README.md").write_text(
        "# Demo catalog\n\nDrawn by `Scripts/reference/make_demo_catalog.py` (fixture_version "
        f"{FIXTURE_VERSION}): {len(rows)} flat garment silhouettes, `catalog.csv` (id, image, text, brand, "
        "category, colour, price), `labels.txt` and `labelled.csv` (image, label) for `evaluate`.\n"
        "They are drawings: the committed tiny model is random and only demonstrates the path.\n",
        encoding="utf-8")
    print(f"demo catalog: {len(rows)} items in {OUT}")


if __name__ == "__main__":
    main()
