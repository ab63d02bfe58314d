"""Draw one Open Graph image (1200x630 PNG) from a `SocialCard` with Pillow.

Pure: the fonts come in as bytes and the PNG goes out as bytes (`build/social.py` reads the
font files, caches the images and runs the drawing in workers). The image is a palette
image drawn directly in palette indices, so an image is about 20 KB and no colour is ever
computed per pixel.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from tamatar_site.render.pages.social import IMAGE_HEIGHT, IMAGE_WIDTH, SocialCard

DRAWING_VERSION = 2  # part of the cache key: raise it when the drawing changes
BACKGROUND = (22, 27, 34)
PANEL = (33, 38, 45)
TEXT = (240, 246, 252)
MUTED = (159, 168, 178)
ACCENT = (240, 96, 72)  # tomato
MARGIN = 80
TITLE_SIZES = (76, 64, 54)  # the biggest size at which the title fits in MAX_LINES
MAX_LINES = 3
RAMP_STEPS = 16  # anti-aliasing steps between a colour and the one it is drawn on
COMPRESS_LEVEL = 3  # zlib: level 6 saves 20% of the bytes for 60% more time per image

# The palette is made of ramps: RAMP_STEPS entries from the colour a text is drawn on to
# the text's colour. The image is drawn in mode "L" with palette indices as its values:
# a text drawn with the index of its ramp's last entry on pixels holding the ramp's first
# entry blends, by Pillow's own anti-aliasing, into the index of the right step between
# them. Mapping an RGB drawing to the palette afterwards cost more than the drawing.
_RAMPS = (
    (BACKGROUND, TEXT),  # the title
    (BACKGROUND, MUTED),  # the site's name
    (BACKGROUND, ACCENT),  # the kicker and detail; the accent bar is its last entry
    (BACKGROUND, PANEL),  # the rule above the site's name is its last entry
    (PANEL, MUTED),  # tags on their pills
)
_TITLE, _SITE, _KICKER, _RULE, _TAG = range(len(_RAMPS))

Font = ImageFont.FreeTypeFont


class SocialFonts:
    """The regular and bold font files (bytes), opened once per size in each process."""

    def __init__(self, regular: bytes, bold: bytes) -> None:
        self._data = {False: regular, True: bold}
        self._open: dict[tuple[bool, int], Font] = {}

    def get(self, size: int, *, bold: bool = False) -> Font:
        font = self._open.get((bold, size))
        if font is None:
            font = ImageFont.truetype(io.BytesIO(self._data[bold]), size)
            self._open[(bold, size)] = font
        return font


def draw_social_image(card: SocialCard, fonts: SocialFonts) -> bytes:
    """The PNG of `card`: kicker and detail, the title (wrapped, shrunk to fit), tags and
    the site's name, on a dark background with an accent bar."""
    image = _background(card.site_name, fonts).copy()
    draw = ImageDraw.Draw(image)
    width = IMAGE_WIDTH - 2 * MARGIN
    y = 76
    top = " · ".join(part for part in (card.kicker.upper(), card.detail) if part)
    if top:
        kicker = fonts.get(34, bold=True)
        _text(draw, (MARGIN, y), _fit(top, kicker, width), _KICKER, kicker)
        y += 70
    font, lines = _title_lines(card.title, fonts, width)
    for line in lines:
        _text(draw, (MARGIN, y), line, _TITLE, font, on_ramp=True)  # on the canvas's fill
        y += round(font.size * 1.2)
    if card.tags:
        _draw_tags(draw, card.tags, fonts.get(30), y + 24, width)
    image.putpalette(_palette())  # "L" becomes "P": the values are the indices
    out = io.BytesIO()
    # `optimize` (zlib level 9) would cost ten times the drawing for 30% fewer bytes.
    image.save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _background(site_name: str, fonts: SocialFonts) -> Image.Image:
    """What every image of a site shows: the background, the accent bar, the rule and the
    site's name (drawn once per process; each image starts from a copy)."""
    image = Image.new("L", (IMAGE_WIDTH, IMAGE_HEIGHT), _first(_TITLE))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, IMAGE_HEIGHT), fill=_last(_KICKER))
    width = IMAGE_WIDTH - 2 * MARGIN
    rule = IMAGE_HEIGHT - 120
    draw.line((MARGIN, rule, IMAGE_WIDTH - MARGIN, rule), _last(_RULE), 2)
    footer = fonts.get(34)
    _text(draw, (MARGIN, IMAGE_HEIGHT - 92), _fit(site_name, footer, width), _SITE, footer)
    return image


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    ramp: int,
    font: Font,
    *,
    on_ramp: bool = False,
) -> None:
    """Draw `text` in the colour of `ramp` on the colour it starts from, which is first
    put under the text unless the pixels there already hold it (`on_ramp`)."""
    if not on_ramp:
        draw.rectangle(draw.textbbox(xy, text, font), fill=_first(ramp))
    draw.text(xy, text, _last(ramp), font)


def _first(ramp: int) -> int:
    return ramp * RAMP_STEPS


def _last(ramp: int) -> int:
    return ramp * RAMP_STEPS + RAMP_STEPS - 1


@functools.cache
def _palette() -> list[int]:
    """The ramps' colours as the flat RGB list `putpalette` takes (256 entries)."""
    channels: list[int] = []
    for low, high in _RAMPS:
        for step in range(RAMP_STEPS):
            t = step / (RAMP_STEPS - 1)
            channels += (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    channels += channels[-3:] * (256 - len(channels) // 3)
    return channels


def _title_lines(title: str, fonts: SocialFonts, width: int) -> tuple[Font, list[str]]:
    """The title wrapped at the biggest size that fits `MAX_LINES`; else the smallest size,
    cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = fonts.get(size, bold=True)
        lines = _wrap(title, font, width)
        if len(lines) <= MAX_LINES:
            return font, lines
    lines = lines[:MAX_LINES]
    lines[-1] = _fit(lines[-1] + " …", font, width, force=True)
    return font, lines


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap by measured width; a word longer than a line is cut in pieces."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = max(1, _fitting_prefix(word, font, width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _fitting_prefix(text: str, font: Font, width: float) -> int:
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fit(text: str, font: Font, width: float, *, force: bool = False) -> str:
    """`text`, cut with an ellipsis if it is wider than `width` (or `force`d)."""
    if not force and font.getlength(text) <= width:
        return text
    body = text.removesuffix(" …")
    cut = _fitting_prefix(body, font, width - font.getlength(" …"))
    kept = body[:cut]
    if cut < len(body) and " " in kept.strip():  # end at a whole word when there is one
        kept = kept.rstrip().rsplit(" ", 1)[0]
    return kept.rstrip() + " …"


def _draw_tags(
    draw: ImageDraw.ImageDraw, tags: tuple[str, ...], font: Font, y: int, width: int
) -> None:
    """Tags as rounded pills, left to right, as many as fit on one line."""
    x: float = MARGIN
    for tag in tags:
        label = _fit(f"#{tag}", font, width / 2)
        pill = font.getlength(label) + 36
        if x + pill > MARGIN + width:
            break
        draw.rounded_rectangle((x, y, x + pill, y + 52), 26, _first(_TAG))
        _text(draw, (x + 18, y + 9), label, _TAG, font, on_ramp=True)  # inside the pill
        x += pill + 16
