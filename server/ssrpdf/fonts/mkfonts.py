#!/usr/bin/python3
"""Regenerate the font subsets that package ssrpdf embeds.

Run through regen.sh. Reads the Debian font packages fonts-noto-core and fonts-noto-cjk and
writes, next to this file:

  NotoSans-Regular.ttf, NotoSans-Bold.ttf          Latin, Latin-1, Latin Extended-A and
                                                   Vietnamese, plus every character of the
                                                   Latin-script label tables
  NotoSansCJKtc-Regular.ttf, NotoSansCJKtc-Bold.ttf  the Traditional Chinese face, limited to
                                                   ASCII and the characters of lang_zh.go
  NotoSansCJKkr-Regular.ttf, NotoSansCJKkr-Bold.ttf  the Korean face, limited to ASCII and the
                                                   characters of lang_ko.go

The CJK faces are CFF-flavoured OpenType; gopdf embeds only glyf TrueType, so their outlines
are converted to quadratic curves (cu2qu). Hinting and layout tables are dropped: the reports
are laid out left to right without shaping.
"""
import glob
import os
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto"

ASCII = set(range(0x20, 0x7F))
LATIN = (ASCII | set(range(0xA0, 0x180)) | {0x1A0, 0x1A1, 0x1AF, 0x1B0}
         | set(range(0x1EA0, 0x1EFA)) | set(range(0x2010, 0x2027)) | {0x2030, 0x2039, 0x203A, 0x20AC})


def chars_of(path):
    with open(path, encoding="utf-8") as f:
        return {ord(c) for c in f.read()}


def is_cjk(cp):
    return cp >= 0x2E80


def subset_font(font, codepoints):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.name_languages = [0x409]
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.drop_tables += ["DSIG", "GDEF", "GPOS", "GSUB", "BASE", "VORG", "vhea", "vmtx", "gasp"]
    s = subset.Subsetter(opts)
    s.populate(unicodes=sorted(codepoints))
    s.subset(font)


def cff_to_glyf(font):
    """Replace CFF outlines with quadratic TrueType outlines (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"


def save(font, name):
    out = os.path.join(HERE, name)
    # Keep the source font's dates so that the same packages give the same bytes.
    font.recalcTimestamp = False
    font.save(out, reorderTables=True)
    print("%s: %d glyphs, %d bytes" % (name, len(font.getGlyphOrder()), os.path.getsize(out)))


def face(ttc, family):
    for f in TTCollection(ttc).fonts:
        if f["name"].getDebugName(1) == family:
            return f
    sys.exit("no face %r in %s" % (family, ttc))


def main():
    latin_text = set()
    for path in sorted(glob.glob(os.path.join(PKG, "lang_*.go"))):
        latin_text |= {c for c in chars_of(path) if not is_cjk(c) and c >= 0x20}
    for weight in ("Regular", "Bold"):
        f = TTFont(os.path.join(NOTO, "NotoSans-%s.ttf" % weight))
        subset_font(f, LATIN | latin_text)
        save(f, "NotoSans-%s.ttf" % weight)

    for tag, src, family in (("tc", "lang_zh.go", "Noto Sans CJK TC"),
                             ("kr", "lang_ko.go", "Noto Sans CJK KR")):
        cps = ASCII | {c for c in chars_of(os.path.join(PKG, src)) if c >= 0x2000}
        for weight in ("Regular", "Bold"):
            f = face(os.path.join(CJK, "NotoSansCJK-%s.ttc" % weight), family)
            subset_font(f, cps)
            cff_to_glyf(f)
            save(f, "NotoSansCJK%s-%s.ttf" % (tag, weight))


if __name__ == "__main__":
    main()
