#!/usr/bin/env python3
"""Makes the bundled script fonts in this folder from Debian's Noto packages.

Each font is cut down to its own script's code points, so no two bundled fonts share
a character (which font draws a character never depends on the order they load in),
and the CJK font to the Han characters of the common national sets, kana and hangul.

    apt-get download fonts-noto-core fonts-noto-cjk
    for d in fonts-noto-*.deb; do dpkg-deb -x "$d" x; done
    python3 -m venv venv && venv/bin/pip install 'fonttools==4.*'
    venv/bin/python subset.py x/usr/share/fonts
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent

# Blocks of each script (the Unicode block chart), and nothing Inter already has.
SCRIPTS = {
    "Hebrew": [(0x0590, 0x05FF), (0xFB1D, 0xFB4F)],
    "Arabic": [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF),
               (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)],
    "Devanagari": [(0x0900, 0x097F), (0xA8E0, 0xA8FF)],
    "Thai": [(0x0E00, 0x0E7F)],
}

CJK_BLOCKS = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0xFF00, 0xFFEF),  # Halfwidth and fullwidth forms
]


def double_byte_chars(codec, leads, trails=range(0xA1, 0xFF)):
    """Every character of a double-byte national character set, via Python's codec."""
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                found.update(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return found


def is_han(c):
    return 0x3400 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF


def cjk_code_points():
    """The frequent Han of three national sets: GB 2312 level 1 (3,755 simplified),
    JIS X 0208 level 1 (2,965 kanji), Big5 level 1 (5,401 traditional), 7,174 in all;
    the 2,350 hangul syllables of KS X 1001; and the kana and punctuation blocks."""
    han = double_byte_chars("gb2312", range(0xB0, 0xD8))
    han |= double_byte_chars("euc_jp", range(0xB0, 0xD0))
    han |= double_byte_chars("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    hangul = {c for c in double_byte_chars("euc_kr", range(0xB0, 0xC9)) if 0xAC00 <= ord(c) <= 0xD7A3}
    points = {ord(c) for c in han if is_han(c)} | {ord(c) for c in hangul}
    for low, high in CJK_BLOCKS:
        points.update(range(low, high + 1))
    return points


def write_subset(font, points, out):
    options = subset.Options()
    options.layout_features = ["*"]  # keep every shaping feature (joining, conjuncts, marks)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    font.save(out)
    print(f"{out.name}: {len(font.getBestCmap())} characters, {out.stat().st_size} bytes")


def main(fonts):
    noto = Path(fonts) / "truetype" / "noto"
    for script, blocks in SCRIPTS.items():
        points = {p for low, high in blocks for p in range(low, high + 1)}
        for weight in ["Regular", "Bold"]:
            font = TTFont(noto / f"NotoSans{script}-{weight}.ttf")
            write_subset(font, points, HERE / f"NotoSans{script}-{weight}.ttf")
    points = cjk_code_points()
    for weight in ["Regular", "Bold"]:
        collection = TTCollection(Path(fonts) / "opentype" / "noto" / f"NotoSansCJK-{weight}.ttc")
        japanese = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK JP")
        write_subset(japanese, points, HERE / f"NotoSansCJKjp-{weight}-subset.otf")


if __name__ == "__main__":
    main(sys.argv[1])
