"""Reads a .pptx back with python-pptx and prints what the tests check, as JSON: per
slide, its shapes (groups opened: a group gives its name, the text of all its shapes and
the box of its first shape), and its speaker notes."""

import json
import sys

from pptx import Presentation
from pptx.shapes.group import GroupShape

EMU_PER_POINT = 12700


def box(shape):
    return [shape.left / EMU_PER_POINT, shape.top / EMU_PER_POINT,
            shape.width / EMU_PER_POINT, shape.height / EMU_PER_POINT]


def texts(shape):
    if isinstance(shape, GroupShape):
        return [text for child in shape.shapes for text in texts(child)]
    return [shape.text_frame.text] if shape.has_text_frame and shape.text_frame.text else []


def shapes(container):
    out = []
    for shape in container:
        entry = {"name": shape.name, "box": box(shape), "text": "\n".join(texts(shape))}
        if isinstance(shape, GroupShape):
            first = next(iter(shape.shapes), None)
            entry["first"] = box(first) if first is not None else None
            entry["shapes"] = shapes(shape.shapes)
        out.append(entry)
    return out


deck = Presentation(sys.argv[1])
slides = []
for slide in deck.slides:
    notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
    slides.append({"shapes": shapes(slide.shapes), "notes": notes})
size = [deck.slide_width / EMU_PER_POINT, deck.slide_height / EMU_PER_POINT]
json.dump({"size": size, "slides": slides}, sys.stdout)
