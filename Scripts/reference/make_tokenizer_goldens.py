#!/usr/bin/env python3
"""Writes Fixtures/tokenizer/goldens.json: token ids from the reference tokenizer for a few hundred strings.

Reference: `AutoTokenizer.from_pretrained(Fixtures/tokenizer)` — transformers 5's `CLIPTokenizer`, backed by
the `tokenizers` library (what `CLIPProcessor` uses). Run Scripts/reference/make_vocab.py first.

Contents (deterministic, seeded):
  cases      text → ids (BOS … EOS, no truncation) and ids77 (truncated to 77, EOS kept)
  batches    padded batches (longest / max_length 77 / none) with input_ids and attention_mask
  decodes    ids → text (skip_special_tokens=True)
  variants   other tokenizer_config.json / special_tokens_map.json forms published CLIP folders use
             (special tokens `normalized: true`, legacy `__type: AddedToken` dicts) → ids where it matters

Also regenerates Sources/CLIPTokenization/ReferenceUnicodeData.swift: the character classes `\p{L}`,
`\p{N}`, `\s` of the Oniguruma build inside `tokenizers`, and Rust's `char::to_lowercase` as `tokenizers`'
Lowercase normaliser applies it, for every scalar ≥ U+0080 — so the Swift tokenizer follows the
reference's Unicode versions, not the Swift runtime's. And Fixtures/tokenizer/nfc.json: every scalar
whose NFC (per `tokenizers`) is not itself, for a test of Foundation's NFC.
"""

import argparse
import json
import os
import random
import shutil
import tempfile

FIXTURE_VERSION = 2
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HANDWRITTEN = [
    # empty, whitespace
    "", " ", "   ", "\t\n\r", "\u00a0", "\u3000", "\u2003\u2009", " \u0085 ", "a\u2028b\u2029c", "\u200b",
    "  leading and trailing  ", "multiple   spaces\tand\ttabs\nand\nnewlines",
    # product titles and descriptions
    "a photo of a red dress", "This is a photo of a T-shirt.", "Nike Air Max 90 – White/Black (Men's, Size 10.5)",
    "Levi's 501® Original Fit Jeans", "100% cotton crew-neck tee, slim fit", "Women's V-Neck Sweater — Navy",
    "Adidas Ultraboost 22 Running Shoes, Core Black, UK 8½", "Gucci GG Marmont small shoulder bag",
    "Ray-Ban RB2140 Original Wayfarer Sunglasses 50mm", "Zara oversized blazer w/ shoulder pads (beige)",
    "Price: $49.99 (was $79.99) — save 37%!", "H&M Slim Fit Chinos", "Calvin Klein Underwear 3-Pack Boxer Briefs",
    "Dr. Martens 1460 Smooth Leather Lace Up Boots", "UNIQLO Ultra Light Down Jacket",
    "Size: XS/S/M/L/XL/XXL", "Length 72cm, chest 104cm; model is 1.85m tall",
    "Made in Italy. Dry clean only. 80% wool, 20% polyamide.",
    # punctuation runs, digits
    "!!!???...", "hello!!!world", "a--b__c", "...", "(((nested)))", "[[tag]]{x}<y>", "@#$%^&*", "~`|\\/",
    "1234567890", "3.14159", "1,000,000", "2024-01-31", "12:30pm", "0x1F600", "v1.2.3-beta+build.5",
    "call 555-0199", "١٢٣ ٤٥٦", "①②③", "Ⅻ Ⅳ", "½ ¾ ⅞", "²³", "৩৪", "𝟘𝟙𝟚",
    # apostrophes
    "it's", "It's", "IT'S", "don't", "we're", "they've", "I'm", "you'll", "he'd", "o'clock",
    "it’s", "don’t", "rock 'n' roll", "'s", "''s", "'salt", "goin'", "`quoted`", "‘single’ “double”",
    "the 90's", "Levi’s®", "'S 'T 'RE 'VE 'M 'LL 'D",
    # accents NFC and NFD
    "café", "cafe\u0301", "Crème Brûlée", "Cre\u0300me Bru\u0302le\u0301e", "naïve", "nai\u0308ve",
    "Ångström", "A\u030angstro\u0308m", "Zoë Saldaña", "piñata", "señor", "ÉLÉGANT", "E\u0301LE\u0301GANT",
    "Øresund", "Łódź", "Straße", "STRASSE", "ẞ", "ǅ ǆ Ǆ", "a\u0323\u0301", "a\u0301\u0323", "q\u0307\u0323",
    "\u0301", "\u0301\u0301\u0301", "e\u0301\u0301",
    # emoji
    "👗", "👠👜💄", "I ❤️ fashion", "❤", "❤\ufe0f", "👩‍❤️‍👨", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇫🇷🇮🇹",
    "#️⃣", "1️⃣", "✨new arrival✨", "dress👗shoes👠", "😀😃😄😁😆😅😂🤣", "🧥🧣🧤🧦",
    # CJK, Arabic, Hebrew, Greek, Cyrillic, Thai, Devanagari, Korean
    "连衣裙", "红色连衣裙女夏季", "ユニクロ ウルトラライトダウン", "ﾕﾆｸﾛ", "원피스 여름", "한국어",
    "فستان أحمر", "فُسْتَان", "שמלה אדומה", "Φόρεμα", "ΦΌΡΕΜΑ", "ΟΔΟΣ", "Σ", "ΣΣ", "ΑΣ ΣΑ ΑΣΑ",
    "σς", "Платье красное", "ПЛАТЬЕ", "ชุดเดรส", "पोशाक", "ক্ষ", "ಕನ್ನಡ",
    # Turkish dotted and dotless i
    "İstanbul", "ISTANBUL", "ıi İI", "I\u0307", "KIZ ÇOCUK ELBİSE",
    # full-width forms, ligatures, compatibility characters
    "ＮＩＫＥ", "ｆｕｌｌ－ｗｉｄｔｈ", "１２３", "！？", "ﬁﬂ", "ﬀ ﬃ ﬄ ﬅ", "ﬆyle", "Ǳ", "™ ® ©", "℃ ℉",
    "Ⓐⓑ", "ℌ𝔢𝔩𝔩𝔬", "𝐁𝐎𝐋𝐃", "Å", "Ω", "K", "µm", "ſ", "ŉ", "ǰ", "ΐ",
    # HTML entities (not unescaped by the fast tokenizer)
    "&amp;", "Tom &amp; Jerry", "&lt;b&gt;bold&lt;/b&gt;", "&#39;quoted&#39;", "&quot;hi&quot;", "&nbsp;x",
    "<b>bold</b> <br/>", "&amp;amp;",
    # control characters
    "a\x00b", "\x01\x02\x03", "tab\there", "a\x1cb\x1dc\x1ed\x1ff", "x\x7fy", "bell\x07", "\x0b\x0c",
    "\x85", "a\u200db", "a\u200cb", "soft\u00adhyphen", "rtl\u202eoverride", "\ufeffbom", "\ufffd",
    # literal special tokens
    "<|startoftext|>", "<|endoftext|>", "<|startoftext|>hello<|endoftext|>", "a<|endoftext|>b",
    "<|endoftext|>!", "!<|endoftext|>", "x <|ENDOFTEXT|> y", "<|StartOfText|>", "<|startoftext|>>",
    "<<|endoftext|>", "<|endoftext|<|endoftext|>", "<|endoftext|><|endoftext|>", "<|endoftext|>s",
    "<|endoftext|>'s", "it<|endoftext|>'s", "<|unk|>", "</w>", "red</w>", "<|endof text|>",
    "<|startoftext|>!", "(<|startoftext|>)",
    # odd scripts and planes
    "𐍈𐌰𐌹", "𓀀", "ꙮ", "\U000e0041", "\U0010ffff", "\ue000", "각", "가",
]


def product_titles(rng, n):
    brands = ["Nike", "Adidas", "Zara", "H&M", "Levi's", "Gucci", "Prada", "Uniqlo", "Mango", "COS", "Arket",
              "Massimo Dutti", "Tommy Hilfiger", "Ralph Lauren", "Hugo Boss", "Diesel", "Carhartt WIP", "Acne Studios"]
    colours = ["black", "white", "navy", "beige", "olive", "burgundy", "off-white", "light blue", "charcoal grey",
               "camel", "ecru", "multicolour", "rosé", "crème"]
    items = ["dress", "t-shirt", "hoodie", "jeans", "chinos", "blazer", "trench coat", "sneakers", "loafers",
             "ankle boots", "crossbody bag", "tote", "scarf", "beanie", "cardigan", "polo shirt", "midi skirt",
             "parka", "swim shorts", "bikini top", "sandals", "belt", "sunglasses"]
    details = ["slim fit", "relaxed fit", "organic cotton", "100% linen", "recycled polyester", "merino wool",
               "with pockets", "double-breasted", "high-waisted", "cropped", "oversized", "water-repellent",
               "size M", "EU 42", "UK 10", "W32/L34", "pack of 3", "limited edition", "—", "(new)", "™", "®"]
    out = []
    for _ in range(n):
        words = [rng.choice(brands), rng.choice(colours), rng.choice(items)]
        words += rng.sample(details, rng.randint(0, 3))
        if rng.random() < 0.3:
            words = [w.upper() if rng.random() < 0.5 else w.title() for w in words]
        out.append(" ".join(words))
    return out


def descriptions(rng, n):
    sentences = ["This dress is made from soft, breathable cotton.", "Machine wash at 30°C.",
                 "The model is 180 cm tall and wears size S.", "Features a concealed zip fastening at the back.",
                 "Pair it with sneakers for a casual look — or heels for the evening!",
                 "It's the perfect piece for summer: light, airy & easy to style.",
                 "Composition: 55% linen, 45% viscose. Lining: 100% polyester.",
                 "Don't tumble dry; iron on low heat.", "Ships in 2–3 business days.",
                 "Limited stock available!!!", "Designed in Stockholm, made in Portugal."]
    return [" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 12))) for _ in range(n)]


def random_unicode(rng, n):
    pools = [(0x20, 0x7e), (0xa0, 0x17f), (0x300, 0x36f), (0x370, 0x3ff), (0x400, 0x4ff), (0x600, 0x6ff),
             (0x900, 0x97f), (0x3040, 0x30ff), (0x4e00, 0x4fff), (0xac00, 0xacff), (0xff00, 0xffef),
             (0x1f300, 0x1f6ff), (0x2000, 0x206f), (0x1d400, 0x1d4ff)]
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 40)):
            lo, hi = rng.choice(pools)
            c = rng.randint(lo, hi)
            if 0xd800 <= c <= 0xdfff:
                continue
            chars.append(chr(c))
        out.append("".join(chars))
    return out


def ranges(members):
    out, start, prev = [], None, None
    for c in sorted(members):
        if start is None:
            start = prev = c
        elif c == prev + 1:
            prev = c
        else:
            out.append((start, prev))
            start = prev = c
    if start is not None:
        out.append((start, prev))
    return out


def unicode_tables(swift_path, nfc_path, versions):
    """Dumps the reference's Unicode behaviour for all non-ASCII scalars (takes ~30 s)."""
    from tokenizers import Regex, normalizers, pre_tokenizers

    scalars = [c for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(map(chr, scalars))

    def members(pattern):
        split = pre_tokenizers.Split(Regex(pattern), behavior="removed", invert=True)
        return {ord(piece) for piece, _ in split.pre_tokenize_str(text)}

    letters, numbers, spaces = members(r"\p{L}"), members(r"\p{N}"), members(r"\s")
    assert not (letters & numbers) and not (letters & spaces) and not (numbers & spaces)
    lower = normalizers.Lowercase()
    single, multi = [], []
    for c in scalars:
        mapped = lower.normalize_str(chr(c))
        if mapped != chr(c):
            (single if len(mapped) == 1 else multi).append((c, [ord(m) for m in mapped]))
    # NFC as the reference's normaliser crate sees it (an older Unicode than Python's or Swift's):
    # full canonical decompositions (Hangul syllables are algorithmic), combining classes of the marks
    # it knows (probed by reordering against U+0334 / U+093C), and the primary composites it forms.
    import unicodedata

    nfd = normalizers.NFD()
    nfc = normalizers.NFC()
    decompositions = []
    for c in scalars:
        if 0xAC00 <= c <= 0xD7A3:
            continue
        mapped = nfd.normalize_str(chr(c))
        if mapped != chr(c):
            decompositions.append((c, [ord(m) for m in mapped]))
    decomposable = {c for c, _ in decompositions}
    classes = []
    for c in scalars:
        k = unicodedata.combining(chr(c))
        if k == 0 or c in decomposable:
            continue
        if k > 1:
            known = nfd.normalize_str(chr(c) + "\u0334") == "\u0334" + chr(c)
        else:
            known = nfd.normalize_str("\u093c" + chr(c)) == chr(c) + "\u093c"
        if known:
            classes.append((c, k))
    compositions = []
    for c in scalars:
        d = unicodedata.decomposition(chr(c))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        if len(parts) == 2 and nfc.normalize_str(chr(parts[0]) + chr(parts[1])) == chr(c):
            compositions.append((parts[0], parts[1], c))
    nfc_changes = {}
    for c in scalars:
        mapped = nfc.normalize_str(chr(c))
        if mapped != chr(c):
            nfc_changes[f"{c:X}"] = [ord(m) for m in mapped]

    def rows(items, per_line):
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "\n".join("        " + line + "," for line in lines)

    def flat(pairs, per_line=8):
        items = [f"0x{a:X}, 0x{b:X}" for a, b in pairs]
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "\n".join("        " + line + "," for line in lines)

    swift = f"""// Generated by Scripts/reference/make_tokenizer_goldens.py ({versions}); do not edit.
// The reference's Unicode behaviour for scalars >= U+0080, as `tokenizers` runs it: Oniguruma's
// \\p{{L}}, \\p{{N}} and \\s, and Rust's `char::to_lowercase`. These follow older Unicode versions than
// the Swift runtime (e.g. letters added in Unicode 16/17 are "other" here), so we use them, not
// `Unicode.Scalar.Properties`.

/// Range tables (inclusive `[first, last]` pairs, sorted) and lowercase mappings of the reference.
enum ReferenceUnicodeData {{
    /// `\\p{{L}}`: {len(letters)} scalars.
    static let letterRanges: [UInt32] = [
{flat(ranges(letters))}
    ]

    /// `\\p{{N}}`: {len(numbers)} scalars.
    static let numberRanges: [UInt32] = [
{flat(ranges(numbers))}
    ]

    /// `\\s` (`White_Space`): {len(spaces)} scalars.
    static let spaceRanges: [UInt32] = [
{flat(ranges(spaces))}
    ]

    /// One-scalar lowercase mappings `[from, to]`, sorted by `from`: {len(single)} scalars.
    static let lowercasePairs: [UInt32] = [
{flat([(a, b[0]) for a, b in single])}
    ]

    /// Canonical combining classes `[scalar, class]` of the marks the reference's NFC knows: {len(classes)}.
    static let combiningClasses: [UInt32] = [
{flat(classes)}
    ]

    /// Full canonical decompositions (Hangul syllables excluded): `[scalar, count, c1, …]`, sorted: {len(decompositions)}.
    static let decompositions: [UInt32] = [
{rows([", ".join(f"0x{v:X}" for v in [a, len(d)] + d) for a, d in decompositions], 5)}
    ]

    /// Primary composites `[first, second, composite]` the reference forms: {len(compositions)}.
    static let compositions: [UInt32] = [
{rows([", ".join(f"0x{v:X}" for v in t) for t in compositions], 5)}
    ]

    /// Multi-scalar lowercase mappings.
    static let lowercaseExpansions: [UInt32: [UInt32]] = [
{chr(10).join(f"        0x{a:X}: [{', '.join(f'0x{m:X}' for m in b)}]," for a, b in multi)}
    ]
}}
"""
    with open(swift_path, "w", encoding="utf-8") as f:
        f.write(swift)
    with open(nfc_path, "w", encoding="utf-8") as f:
        json.dump({"fixture_version": FIXTURE_VERSION, "versions": versions, "nfc": nfc_changes}, f,
                  separators=(",", ":"))
        f.write("\n")
    print(f"{swift_path}: {len(ranges(letters))} letter ranges, {len(single)}+{len(multi)} lowercase mappings; "
          f"{nfc_path}: {len(nfc_changes)} NFC changes")


def combining_heavy(rng, n):
    """Marks (old and post-Unicode 9), composable letters and Hangul jamo: exercises NFC order and composition."""
    pool = [0x300, 0x301, 0x308, 0x323, 0x327, 0x334, 0x345, 0x1DF9, 0x1AC0, 0x1ACB, 0x898, 0x89F, 0x7FD, 0x41, 0x61,
            0x4F, 0x6F, 0x3B1, 0x3C9, 0x1100, 0x1112, 0x1161, 0x1175, 0x11A8, 0x11C2, 0xAC00, 0xD788, 0xF71, 0xF72,
            0xF80, 0x5B0, 0x5BC, 0xE38, 0xE48, 0x3099, 0x309A, 0x304B, 0x306F, 0xCC6, 0xCC2, 0xCD5, 0xB47, 0xB3E,
            0xB57, 0x1025, 0x102E, 0x11131, 0x11127, 0x1D15E, 0x1D165, 0x1D16E, 0x344, 0x340, 0xF73, 0x2ADC, 0x338,
            0x3D, 0x20, 0x212B, 0x2126, 0xF900, 0x130, 0x3A3]
    return ["".join(chr(rng.choice(pool)) for _ in range(rng.randint(1, 12))) for _ in range(n)]


def fuzz(tok, count, cli, folder, seed=99):
    """Compares the Swift CLI with the reference on `count` random strings (nothing is written)."""
    import subprocess

    rng = random.Random(seed)
    texts = random_unicode(rng, count // 2) + combining_heavy(rng, count - count // 2)
    texts = [t.replace("\n", " ").replace("\r", " ") for t in texts]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    result = subprocess.run([cli, "tokenize", "--model", folder, "--json", "--max-length", "1000000", "-"],
                            stdin=open(f.name, "rb"), capture_output=True, text=True, check=True)
    os.unlink(f.name)
    got = json.loads(result.stdout)
    bad = [(t, r, g) for t, r, g in zip(texts, tok(texts)["input_ids"], got) if r != g]
    for text, ref, ids in bad[:5]:
        print(f"MISMATCH {text!r}\n  reference {ref}\n  swift     {ids}")
    print(f"fuzz: {len(texts)} strings, {len(bad)} mismatches")
    return not bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", default=os.path.join(ROOT, "Fixtures", "tokenizer"))
    parser.add_argument("--skip-unicode-tables", action="store_true")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N",
                        help="only compare N random strings with the Swift CLI (--cli), write nothing")
    parser.add_argument("--cli", default=os.path.join(ROOT, ".build", "debug", "fashionclip"))
    args = parser.parse_args()
    rng = random.Random(20240611)

    import tokenizers
    import transformers
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(args.folder)
    if args.fuzz:
        raise SystemExit(0 if fuzz(tok, args.fuzz, args.cli, args.folder) else 1)
    long_texts = [
        " ".join(["very long product description with many words"] * 30),
        "a" * 2000,
        "👗" * 200,
        "1" * 300,
        "!?" * 300,
        "Straße café naïve İstanbul 连衣裙 " * 40,
        "<|endoftext|>" * 100,
        "supercalifragilisticexpialidocious" * 20,
    ]
    texts = HANDWRITTEN + product_titles(rng, 120) + descriptions(rng, 25) + random_unicode(rng, 60) + combining_heavy(rng, 80) + long_texts

    cases = []
    for text in texts:
        ids = tok(text, add_special_tokens=True)["input_ids"]
        ids77 = tok(text, truncation=True, max_length=77)["input_ids"]
        cases.append({"text": text, "ids": ids, "ids77": ids77})

    batches = []
    batch_texts = [HANDWRITTEN[12:16], ["", "a", long_texts[0], "Nike Air Max 90"], product_titles(rng, 6)]
    for group in batch_texts:
        for padding, kwargs in (("longest", {"padding": "longest"}), ("max_length", {"padding": "max_length"}),
                                ("none", {})):
            enc = tok(group, truncation=True, max_length=77, **kwargs)
            batches.append({"texts": group, "padding": padding, "max_length": 77,
                            "input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]})
    enc = tok(batch_texts[1], truncation=True, max_length=16, padding="max_length")
    batches.append({"texts": batch_texts[1], "padding": "max_length", "max_length": 16,
                    "input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]})

    decodes = []
    for text in HANDWRITTEN[12:40] + ["café", "👩‍❤️‍👨", "连衣裙", "it's", "<|endoftext|>x", "\x1chello\x1d", "\x1f", "x\u2028"]:
        ids = tok(text)["input_ids"]
        decodes.append({"ids": ids, "text": tok.decode(ids, skip_special_tokens=True),
                        "text_with_specials": tok.decode(ids)})

    # Variants: other ways published CLIP folders declare their special tokens. Each is vocab.json +
    # merges.txt + the listed files; the Swift test rebuilds the folder and compares ids.
    base_config = json.load(open(os.path.join(args.folder, "tokenizer_config.json")))
    base_config.pop("is_local", None)
    base_config.pop("local_files_only", None)

    def added_token(content, normalized, legacy=False):
        token = {"content": content, "lstrip": False, "normalized": normalized, "rstrip": False, "single_word": False}
        if legacy:
            token["__type"] = "AddedToken"
        else:
            token["special"] = True
        return token

    decoder_config = dict(base_config, added_tokens_decoder={
        str(i): added_token(c, True) for i, c in ((49406, "<|startoftext|>"), (49407, "<|endoftext|>"))})
    legacy_specials = {"bos_token": added_token("<|startoftext|>", True, True),
                       "eos_token": added_token("<|endoftext|>", True, True),
                       "unk_token": added_token("<|endoftext|>", True, True), "pad_token": "<|endoftext|>"}
    variant_files = {
        "added_tokens_decoder normalized": {"tokenizer_config.json": decoder_config},
        "legacy dicts in tokenizer_config": {"tokenizer_config.json": dict(base_config, **legacy_specials)},
        "legacy dicts in special_tokens_map": {"tokenizer_config.json": base_config,
                                               "special_tokens_map.json": legacy_specials},
    }
    vtexts = [t for t in HANDWRITTEN if "|" in t] + ["x\u00a0<|endoftext|>", "<|ENDOFTEXT|>", "<|STARTOFTEXT|>"]
    variants = []
    for name, files in variant_files.items():
        with tempfile.TemporaryDirectory() as tmp:
            for file in ("vocab.json", "merges.txt"):
                shutil.copy(os.path.join(args.folder, file), tmp)
            for file, content in files.items():
                with open(os.path.join(tmp, file), "w") as f:
                    json.dump(content, f, indent=2)
            vtok = AutoTokenizer.from_pretrained(tmp)
            variants.append({"name": name, "files": files,
                             "cases": [{"text": t, "ids": vtok(t)["input_ids"]} for t in vtexts]})

    golden = {
        "fixture_version": FIXTURE_VERSION,
        "generator": "Scripts/reference/make_tokenizer_goldens.py",
        "reference": f"AutoTokenizer → {type(tok).__name__}",
        "versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__},
        "cases": cases,
        "batches": batches,
        "decodes": decodes,
        "variants": variants,
    }
    if not args.skip_unicode_tables:
        unicode_tables(os.path.join(ROOT, "Sources", "CLIPTokenization", "ReferenceUnicodeData.swift"),
                       os.path.join(args.folder, "nfc.json"),
                       f"tokenizers {tokenizers.__version__}, transformers {transformers.__version__}")
    path = os.path.join(args.folder, "goldens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(cases)} cases, {len(batches)} batches, {len(decodes)} decodes, {len(variants)} variants")


if __name__ == "__main__":
    main()
