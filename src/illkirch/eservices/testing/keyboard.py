"""Keyboard-only journeys in Chromium: move the focus with Tab, and check at
every stop that the focus is visible (issue 15; WCAG 2.4.7, 1.4.11, 2.4.11
and the spirit of 2.4.13).

``tab_to(page, target)`` presses Tab (or Shift+Tab) until ``target`` has the
focus, at most ``max_steps`` times, and checks each element the focus
reaches on the way:

- its focus indicator, an outline (2 px at least) or a box-shadow, has an
  opaque colour whose contrast with the background around the element is
  3:1 or more;
- it is on screen once the browser has scrolled to it, and not covered by
  another element (a sticky header, a dialog).

The colours are read in the page (``getComputedStyle``); the contrast is
computed here in Python (``contrast_ratio``, WCAG 2 relative luminance) so
that it is unit-tested on known colours without a browser.

``target`` is a Playwright locator, a CSS selector (a string starting with
``#``, ``.``, ``[`` or ``css=``), or a text: the focused element's
accessible name, approximated in the page (its labels, ``aria-label``,
``aria-labelledby``, text, value or title), compared after collapsing white
space (exactly, or as a prefix with ``prefix=True``).
"""

import re


class FocusNotVisible(AssertionError):
    """The focused element shows no indicator of 3:1, or is hidden."""


MINIMUM_CONTRAST = 3.0

_RGB = re.compile(r"rgba?\(([^)]*)\)")


def parse_colour(text):
    """``(r, g, b, a)`` from a computed CSS colour (``rgb(…)``/``rgba(…)``,
    ``#rrggbb``/``#rgb``), ``None`` when it is none of these."""
    text = (text or "").strip()
    match = _RGB.match(text)
    if match:
        parts = [p for p in re.split(r"[\s,/]+", match.group(1)) if p]
        values = []
        for part in parts[:4]:
            if part.endswith("%"):
                values.append(float(part[:-1]) / 100)
            else:
                values.append(float(part))
        if len(values) == 3:
            values.append(1.0)
        if len(values) != 4:
            return None
        return tuple(values)
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        try:
            r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return None
        return (float(r), float(g), float(b), 1.0)
    return None


def blend(top, bottom):
    """The opaque colour of ``top`` (maybe translucent) drawn over the
    opaque ``bottom``."""
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)) + (1.0,)


def relative_luminance(colour):
    """WCAG 2's relative luminance of an opaque sRGB colour (0 to 1)."""

    def channel(value):
        value = value / 255
        if value <= 0.03928:
            return value / 12.92
        return ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    """WCAG 2's contrast ratio of two colours (1 to 21); a translucent
    ``first`` is drawn over ``second`` (which must be opaque)."""
    if isinstance(first, str):
        first = parse_colour(first)
    if isinstance(second, str):
        second = parse_colour(second)
    if first[3] < 1:
        first = blend(first, second)
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def backdrop(layers):
    """The opaque colour behind an element: ``layers`` are the computed
    background colours of its ancestors, nearest first; translucent ones are
    drawn over what is below them, the canvas being white."""
    colour = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(layers):
        parsed = parse_colour(layer)
        if parsed is None or parsed[3] == 0:
            continue
        colour = blend(parsed, colour)
    return colour


def indicator_colours(outline_style, outline_width, outline_colour, box_shadow):
    """The colours that draw a focus indicator: the outline's, when it is
    drawn and 2 px wide at least, and each of the box-shadow's."""
    colours = []
    width = float(re.sub(r"[^0-9.]", "", outline_width or "") or 0)
    if outline_style not in ("none", "hidden", "") and width >= 2:
        colours.append(outline_colour)
    for match in _RGB.finditer(box_shadow or ""):
        colours.append(match.group(0))
    return [c for c in (parse_colour(c) for c in colours) if c]


def indicator_contrast(style):
    """The best contrast of the indicator's colours against the backdrop;
    ``style`` is what ``FOCUS_STATE`` returns. 0 when there is none."""
    behind = backdrop(style["backgrounds"])
    colours = indicator_colours(
        style["outlineStyle"],
        style["outlineWidth"],
        style["outlineColor"],
        style["boxShadow"],
    )
    return max((contrast_ratio(c, behind) for c in colours), default=0.0)


# What the page tells of its focused element: its description, the styles
# that draw its indicator, the backgrounds around it (parent first: the
# indicator is drawn around the element) and whether it is seen.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return null;
  }
  const style = getComputedStyle(el);
  const backgrounds = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    backgrounds.push(getComputedStyle(n).backgroundColor);
  }
  const box = el.getBoundingClientRect();
  const width = window.innerWidth, height = window.innerHeight;
  const left = Math.max(box.left, 0), right = Math.min(box.right, width);
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, height);
  let covered = null;
  const onScreen = right - left >= 1 && bottom - top >= 1;
  if (onScreen) {
    // the centre of each piece of the element (a link may wrap on two
    // lines): one of them at least shows the element, or its label
    const labels = Array.from(el.labels || []);
    const shows = hit => hit && (el === hit || el.contains(hit) ||
      labels.some(l => l === hit || l.contains(hit)));
    const pieces = Array.from(el.getClientRects()).filter(
      r => r.width >= 1 && r.height >= 1);
    let seen = false, hit = null;
    for (const r of (pieces.length ? pieces : [box])) {
      const x = (Math.max(r.left, 0) + Math.min(r.right, width)) / 2;
      const y = (Math.max(r.top, 0) + Math.min(r.bottom, height)) / 2;
      if (x < 0 || y < 0 || x > width || y > height) { continue; }
      hit = document.elementFromPoint(x, y);
      if (shows(hit)) { seen = true; break; }
    }
    if (!seen) {
      covered = hit ? (hit.tagName + "#" + hit.id + "." + hit.className) : "?";
    }
  }
  const text = (el.getAttribute("aria-label") || el.innerText || el.value ||
    el.name || "").replace(/\\s+/g, " ").trim().slice(0, 50);
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.type ? "[type=" + el.type + "]" : "") + " « " + text + " »",
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    backgrounds: backgrounds,
    box: [box.left, box.top, box.width, box.height],
    size: box.width >= 1 && box.height >= 1,
    onScreen: onScreen,
    covered: covered,
    url: location.href,
  };
}"""

# Whether the focused element answers to a text: its accessible name,
# approximated (aria-labelledby, aria-label, labels, text, value, title).
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  // white space collapsed, the required marker « * » left out
  const squash = t => (t || "").replace(/\\s+/g, " ").trim()
    .replace(/\\s*\\*$/, "");
  const names = [];
  const by = el.getAttribute("aria-labelledby");
  if (by) {
    names.push(by.split(/\\s+/).map(id => {
      const n = document.getElementById(id);
      return n ? n.textContent : "";
    }).join(" "));
  }
  names.push(el.getAttribute("aria-label"));
  for (const label of Array.from(el.labels || [])) { names.push(label.innerText); }
  names.push(el.innerText, el.value, el.title);
  return names.map(squash).filter(Boolean);
}"""


def focus_state(page):
    """What ``FOCUS_STATE`` says of the focused element (``None`` on body)."""
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(page, settle_ms=1500):
    """The focused element shows an indicator of 3:1 at least and is seen.

    A ring still in its CSS transition, or a page still scrolling smoothly
    to the element (Bootstrap's ``scroll-behavior: smooth``), is given
    ``settle_ms`` to settle."""
    state = focus_state(page)
    if state is None:
        raise FocusNotVisible(f"nothing has the focus on {page.url}")
    problems = _problems(state)
    waited = 0
    while problems and waited < settle_ms:
        page.wait_for_timeout(250)
        waited += 250
        state = focus_state(page)
        problems = _problems(state) if state else ["the focus was lost"]
    if problems:
        raise FocusNotVisible(
            f"focus not visible on {state and state['what']} "
            f"({page.url}): " + "; ".join(problems)
        )
    return state


def _problems(state):
    problems = []
    contrast = indicator_contrast(state)
    if contrast < MINIMUM_CONTRAST:
        problems.append(
            f"indicator contrast {contrast:.2f}:1 < 3:1 (outline "
            f"{state['outlineStyle']} {state['outlineWidth']} "
            f"{state['outlineColor']}, box-shadow {state['boxShadow']}, "
            f"background {backdrop(state['backgrounds'])[:3]})"
        )
    if not state["size"]:
        problems.append("the element has no size (hidden)")
    elif not state["onScreen"]:
        problems.append(f"off screen at {state['box']}")
    elif state["covered"]:
        problems.append(f"covered by {state['covered']}")
    state["contrast"] = contrast
    return problems


def _is_selector(target):
    return isinstance(target, str) and (
        target.startswith(("#", ".", "[", "css=")) or target == ":focus"
    )


def is_focused(page, target, prefix=False):
    """Whether ``target`` (see the module's docstring) has the focus."""
    if not isinstance(target, str):  # a locator
        return bool(
            target.evaluate_all("(els) => els.some(e => e === document.activeElement)")
        )
    if _is_selector(target):
        selector = target[4:] if target.startswith("css=") else target
        return bool(
            page.evaluate(
                "(s) => !!document.activeElement && document.activeElement.matches(s)",
                selector,
            )
        )
    wanted = " ".join(target.split())
    names = page.evaluate(FOCUSED_NAME) or []
    if prefix:
        return any(name.startswith(wanted) for name in names)
    return wanted in names


def tab_to(page, target, max_steps=30, backwards=False, prefix=False, check=True):
    """Press Tab (Shift+Tab when ``backwards``) until ``target`` has the
    focus, checking the focus is visible at every stop; fails after
    ``max_steps`` presses. Returns the list of the stops' descriptions."""
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(max_steps):
        page.keyboard.press(key)
        if check:
            try:
                state = assert_focus_visible(page)
            except FocusNotVisible as error:
                raise FocusNotVisible(
                    f"{error}\nafter {len(stops)} {key} towards {target!r}:\n  "
                    + "\n  ".join(str(s) for s in stops)
                ) from None
            stops.append(state["what"])
        else:
            state = focus_state(page)
            stops.append(state and state["what"])
        if is_focused(page, target, prefix=prefix):
            return stops
    raise AssertionError(
        f"{target!r} not reached in {max_steps} {key} on {page.url}; the focus "
        "went to:\n  " + "\n  ".join(str(s) for s in stops)
    )


def skip_to_content(page):
    """From the page's top: Tab to « Aller au contenu » (the first stop)
    and follow it; the next Tab goes into the content."""
    page.keyboard.press("Tab")
    assert_focus_visible(page)
    if not is_focused(page, ".eservices-skip-link"):
        raise AssertionError(
            f"the first Tab stop is not the skip link on {page.url}: "
            f"{focus_state(page)}"
        )
    page.keyboard.press("Enter")


def type_into(page, target, text, max_steps=30, **kw):
    """Tab to a field and type ``text`` (its old value selected first)."""
    stops = tab_to(page, target, max_steps=max_steps, **kw)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    return stops


def type_date(page, locator, iso):
    """Type a date (``YYYY-MM-DD``) into the focused ``<input type=date>``
    ``locator``, segment by segment as a keyboard user does. Chromium orders
    the segments by the browser's language, not the page's: the French order
    (day, month, year) is tried, then the American one (month, day, year),
    going back to the first segment with Shift+Tab."""
    year, month, day = iso.split("-")
    page.keyboard.type(day + month + year)
    if locator.input_value() == iso:
        return
    for _ in range(2):  # from the year's segment back to the first one
        page.keyboard.press("Shift+Tab")
    page.keyboard.type(month + day + year)
    if locator.input_value() != iso:
        raise AssertionError(
            f"the date {iso} could not be typed: {locator.input_value()!r}"
        )


def choose_radio(page, radio, max_steps=30):
    """Tab into ``radio``'s group (the browser stops on its checked radio,
    or its first one), then check ``radio`` with Space and the arrows, as
    in every radio group."""
    name = radio.get_attribute("name")
    group = page.locator(f'input[type="radio"][name="{name}"]')
    tab_to(page, group, max_steps=max_steps)
    if not is_focused(page, radio):
        for _ in range(group.count()):
            page.keyboard.press("ArrowDown")
            assert_focus_visible(page)
            if is_focused(page, radio):
                break
    if not radio.is_checked():
        page.keyboard.press("Space")
    if not radio.is_checked():
        raise AssertionError(f"{radio} could not be checked by keyboard")


# Back to the page's top: the next Tab goes to its first stop (a removed
# element leaves the browser's starting point of Tab where it was).
TO_THE_TOP = """() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  start.remove();
  window.scrollTo({top: 0, left: 0, behavior: "instant"});
}"""


def tab_through(page, max_steps=200):
    """From the page's top, Tab through every stop of the page until the
    focus leaves it (back to the body or the browser), checking each stop;
    returns their descriptions. Fails if the page holds more than
    ``max_steps`` stops (a keyboard trap looks like that too)."""
    page.evaluate(TO_THE_TOP)
    stops = []
    for _ in range(max_steps):
        page.keyboard.press("Tab")
        if focus_state(page) is None:
            return stops
        try:
            stops.append(assert_focus_visible(page)["what"])
        except FocusNotVisible as error:
            raise FocusNotVisible(
                f"{error}\nafter {len(stops)} Tab:\n  " + "\n  ".join(stops)
            ) from None
    raise AssertionError(
        f"the focus never left {page.url} in {max_steps} Tab: " + "\n  ".join(stops)
    )
