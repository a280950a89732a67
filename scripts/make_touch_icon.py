"""Draw the demo town's touch icon (the home-screen icon of phones,
``apple-touch-icon``) from its emblem (browser/static/favicon-illkirch.svg):
a 180 px PNG, drawn with Pillow, nothing downloaded. The output is
committed; run again after changing the emblem:

    .venv/bin/python scripts/make_touch_icon.py
"""

from pathlib import Path
from PIL import Image
from PIL import ImageDraw


OUT = (
    Path(__file__).resolve().parents[1]
    / "src/illkirch/eservices/browser/static/apple-touch-icon-illkirch.png"
)
SIZE = 180
SCALE = 4  # drawn 4 times larger, then reduced: smooth edges
BLUE = (0x00, 0x46, 0x6E)
YELLOW = (0xFF, 0xD1, 0x66)
WHITE = (0xFF, 0xFF, 0xFF)
# The emblem's two waves (viewBox 56 × 56), as the SVG's paths
# "M10 y q7 -7 14 0 t14 0 t10 -2": quadratic curves (start, control, end).
WAVES = (
    (YELLOW, 23),
    (WHITE, 35),
)
STROKE = 4.5


def wave(y):
    """The three quadratic Bézier segments of a wave starting at (10, y)."""
    segments = []
    start, control, end = (10, y), (17, y - 7), (24, y)
    segments.append((start, control, end))
    for dx, dy in ((14, 0), (10, -2)):
        # "t": the control point is the previous one reflected on the end
        control = (2 * end[0] - control[0], 2 * end[1] - control[1])
        start, end = end, (end[0] + dx, end[1] + dy)
        segments.append((start, control, end))
    return segments


def points(segments, steps=40):
    for start, control, end in segments:
        for i in range(steps + 1):
            t = i / steps
            yield tuple(
                (1 - t) ** 2 * s + 2 * (1 - t) * t * c + t**2 * e
                for s, c, e in zip(start, control, end, strict=True)
            )


def draw():
    big = SIZE * SCALE
    # iOS rounds the corners itself: a full square, no transparency
    image = Image.new("RGB", (big, big), BLUE)
    canvas = ImageDraw.Draw(image)
    unit = big / 56
    radius = STROKE / 2 * unit
    for colour, y in WAVES:
        # a round brush stamped along the curve: round caps and joins
        for x, y_ in points(wave(y), steps=200):
            x, y_ = x * unit, y_ * unit
            canvas.ellipse((x - radius, y_ - radius, x + radius, y_ + radius), colour)
    return image.resize((SIZE, SIZE), Image.LANCZOS)


if __name__ == "__main__":
    draw().save(OUT, optimize=True)
    print(OUT)
