"""The contrast computation of the keyboard journeys' focus check
(testing/keyboard.py) on known colours: WCAG 2's ratios, translucent colours
drawn over their backdrop, the indicator read from computed styles."""

from illkirch.eservices.testing.keyboard import backdrop
from illkirch.eservices.testing.keyboard import contrast_ratio
from illkirch.eservices.testing.keyboard import indicator_contrast
from illkirch.eservices.testing.keyboard import parse_colour
from illkirch.eservices.testing.keyboard import relative_luminance

import unittest


WHITE = "rgb(255, 255, 255)"
BLACK = "rgb(0, 0, 0)"


def focused(outline="none", width="0px", colour=BLACK, shadow="none", behind=()):
    return {
        "outlineStyle": outline,
        "outlineWidth": width,
        "outlineColor": colour,
        "boxShadow": shadow,
        "backgrounds": list(behind),
    }


class TestColours(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(parse_colour("rgb(11, 31, 51)"), (11, 31, 51, 1))
        self.assertEqual(parse_colour("rgba(0, 123, 177, 0.25)"), (0, 123, 177, 0.25))
        self.assertEqual(parse_colour("rgb(0 0 0 / 50%)"), (0, 0, 0, 0.5))
        self.assertEqual(parse_colour("#fff"), (255, 255, 255, 1))
        self.assertEqual(parse_colour("#0b1f33"), (11, 31, 51, 1))
        self.assertIsNone(parse_colour("transparent"))
        self.assertIsNone(parse_colour("currentcolor"))

    def test_luminance(self):
        self.assertEqual(relative_luminance((0, 0, 0, 1)), 0)
        self.assertAlmostEqual(relative_luminance((255, 255, 255, 1)), 1)
        self.assertAlmostEqual(relative_luminance((255, 0, 0, 1)), 0.2126)

    def test_known_ratios(self):
        self.assertAlmostEqual(contrast_ratio(BLACK, WHITE), 21)
        self.assertAlmostEqual(contrast_ratio(WHITE, BLACK), 21)
        self.assertAlmostEqual(contrast_ratio(WHITE, WHITE), 1)
        # the classic thresholds: #767676 passes 4.5:1 on white, #777 fails
        self.assertGreater(contrast_ratio("#767676", "#fff"), 4.5)
        self.assertLess(contrast_ratio("#777777", "#fff"), 4.5)
        self.assertAlmostEqual(contrast_ratio("#777777", "#fff"), 4.48, places=2)
        # Barceloneta's blue on white, Bootstrap's #dee2e6 borders
        self.assertAlmostEqual(contrast_ratio("#007bb1", "#fff"), 4.7, places=1)
        self.assertAlmostEqual(contrast_ratio("#dee2e6", "#fff"), 1.3, places=1)
        # #949494 is the lightest grey of 3:1 on white
        self.assertGreater(contrast_ratio("#949494", "#fff"), 3)
        self.assertLess(contrast_ratio("#959595", "#fff"), 3)

    def test_translucent_is_drawn_over_the_backdrop(self):
        # Bootstrap's focus glow: 25 % of the blue over white, about 1.4:1
        glow = contrast_ratio("rgba(0, 123, 177, 0.25)", WHITE)
        self.assertAlmostEqual(glow, 1.4, places=1)
        # fully transparent is the backdrop itself
        self.assertAlmostEqual(contrast_ratio("rgba(0, 0, 0, 0)", WHITE), 1)

    def test_backdrop(self):
        self.assertEqual(backdrop([]), (255, 255, 255, 1))
        transparent = "rgba(0, 0, 0, 0)"
        self.assertEqual(
            backdrop([transparent, "rgb(33, 37, 41)", WHITE]), (33, 37, 41, 1)
        )
        # half black over white is mid grey
        grey = backdrop(["rgba(0, 0, 0, 0.5)", WHITE])
        self.assertEqual(grey[:3], (127.5, 127.5, 127.5))


class TestIndicator(unittest.TestCase):
    def test_the_projects_ring(self):
        ring = focused(
            "solid", "3px", "rgb(11, 31, 51)", "rgb(255, 255, 255) 0px 0px 0px 2px"
        )
        self.assertGreater(indicator_contrast(ring), 16)
        # on the dark footer the white shadow contrasts
        ring["backgrounds"] = ["rgb(33, 37, 41)"]
        self.assertGreater(indicator_contrast(ring), 14)

    def test_bootstraps_glow_fails(self):
        glow = focused(shadow="rgba(0, 123, 177, 0.25) 0px 0px 0px 4px")
        self.assertLess(indicator_contrast(glow), 3)

    def test_no_indicator(self):
        self.assertEqual(indicator_contrast(focused()), 0)
        # a 1 px outline does not count
        self.assertEqual(indicator_contrast(focused("solid", "1px", BLACK)), 0)
        # an outline the colour of the page does not count either
        same = focused("solid", "3px", WHITE)
        self.assertAlmostEqual(indicator_contrast(same), 1)
