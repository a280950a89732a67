"""The town's palette (browser/static/theme.css) meets WCAG's contrast
ratios: 4.5:1 for text (AA, 1.4.3), 7:1 for body text (AAA, 1.4.6), 3:1 for
borders of controls and focus indicators (1.4.11). The ratios are those of
docs/install.md (« Identité de la ville »)."""

from pathlib import Path

import illkirch.eservices
import re
import unittest


THEME = Path(illkirch.eservices.__file__).parent / "browser" / "static" / "theme.css"

# (foreground, background) pairs of the palette, by what they are used for.
BODY_TEXT = (  # 7:1
    ("text", "bg"),
    ("text", "bg-alt"),
    ("footer-text", "footer-bg"),
    ("on-primary", "primary"),  # the navigation bar's links
)
TEXT = (  # 4.5:1
    ("text-muted", "bg"),
    ("text-muted", "bg-alt"),
    ("link", "bg"),
    ("link", "bg-alt"),
    ("link-hover", "bg"),
    ("primary", "bg"),  # outlined buttons
    ("on-primary", "primary-dark"),  # buttons hovered or pressed
    ("footer-link", "footer-bg"),
)
UI = (  # 3:1
    ("border", "bg"),
    ("border", "bg-alt"),
    ("focus", "bg"),
    ("focus", "bg-alt"),
    ("focus-on-dark", "primary"),
    ("focus-on-dark", "primary-dark"),
    ("focus-on-dark", "footer-bg"),
    ("primary", "bg"),  # a button's shape
)


def custom_properties(css):
    """``{name: value}`` of the ``--eservices-*`` properties of ``:root``
    (without the ``--eservices-`` prefix)."""
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    root = re.sub(r"/\*.*?\*/", "", root, flags=re.S)
    return {
        name: value.strip()
        for name, value in re.findall(r"--eservices-([\w-]+)\s*:\s*([^;]+);", root)
    }


def luminance(colour):
    """WCAG's relative luminance of ``#rrggbb`` (or ``#rgb``)."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(digit * 2 for digit in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted((luminance(foreground), luminance(background)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


class TestContrastFormula(unittest.TestCase):
    def test_known_ratios(self):
        self.assertAlmostEqual(contrast("#000000", "#ffffff"), 21.0, places=2)
        self.assertAlmostEqual(contrast("#fff", "#fff"), 1.0, places=2)
        # Barceloneta's blue on white, as the WCAG formula gives it
        self.assertAlmostEqual(contrast("#007bb1", "#ffffff"), 4.70, places=2)


class TestPalette(unittest.TestCase):
    def setUp(self):
        self.palette = custom_properties(THEME.read_text(encoding="utf-8"))

    def colour(self, name):
        value = self.palette[name]
        self.assertRegex(value, r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$", name)
        return value

    def check(self, pairs, minimum):
        for foreground, background in pairs:
            with self.subTest(foreground=foreground, background=background):
                ratio = contrast(self.colour(foreground), self.colour(background))
                self.assertGreaterEqual(
                    round(ratio, 2), minimum, f"{foreground} on {background}"
                )

    def test_body_text_aaa(self):
        self.check(BODY_TEXT, 7)

    def test_text_aa(self):
        self.check(TEXT, 4.5)

    def test_borders_and_focus(self):
        self.check(UI, 3)

    def test_rgb_triplets_match_their_colours(self):
        """Bootstrap's ``--bs-*-rgb`` variables are set from ``*-rgb``
        properties: each must be its colour's triplet."""
        for name, value in self.palette.items():
            if not name.endswith("-rgb"):
                continue
            with self.subTest(name=name):
                hex_digits = self.colour(name[: -len("-rgb")]).lstrip("#")
                expected = [int(hex_digits[i : i + 2], 16) for i in (0, 2, 4)]
                self.assertEqual([int(v) for v in value.split(",")], expected)

    def test_bootstrap_takes_the_palette(self):
        css = THEME.read_text(encoding="utf-8")
        for variable, palette in (
            ("--bs-primary", "primary"),
            ("--bs-link-color", "link"),
            ("--bs-body-color", "text"),
            ("--bs-body-bg", "bg"),
        ):
            with self.subTest(variable=variable):
                self.assertIn(f"{variable}: var(--eservices-{palette});", css)
