"""Draw one Open Graph image (1200x630 PNG) from a `SocialCard` with Pillow.

Pure: the fonts come in as bytes and the PNG goes out as bytes (`build/social.py` reads the
font files, caches the images and runs the drawing in workers). The image is quantized to a
small palette, so an image is about 20 KB.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from tamatar_site.render.pages.social import IMAGE_HEIGHT, IMAGE_WIDTH, SocialCard

DRAWING_VERSION = 1  # part of the cache key: raise it when the drawing changes
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
    image = Image.new("RGB", (IMAGE_WIDTH, IMAGE_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, IMAGE_HEIGHT), fill=ACCENT)
    width = IMAGE_WIDTH - 2 * MARGIN
    y = 76
    top = " · ".join(part for part in (card.kicker.upper(), card.detail) if part)
    if top:
        draw.text(
            (MARGIN, y),
            _fit(top, fonts.get(34, bold=True), width),
            ACCENT,
            fonts.get(34, bold=True),
        )
        y += 70
    font, lines = _title_lines(card.title, fonts, width)
    for line in lines:
        draw.text((MARGIN, y), line, TEXT, font)
        y += round(font.size * 1.2)
    if card.tags:
        _draw_tags(draw, card.tags, fonts.get(30), y + 24, width)
    footer = fonts.get(34)
    draw.line((MARGIN, IMAGE_HEIGHT - 120, IMAGE_WIDTH - MARGIN, IMAGE_HEIGHT - 120), PANEL, 2)
    draw.text((MARGIN, IMAGE_HEIGHT - 92), _fit(card.site_name, footer, width), MUTED, footer)
    # The fixed palette holds every colour drawn and the anti-aliasing steps between them:
    # mapping to it is several times faster than computing a palette (median cut, octree),
    # and `optimize` (zlib level 9) would cost ten times the drawing for 30% fewer bytes.
    quantized = image.quantize(palette=_palette(), dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantized.save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()


@functools.cache
def _palette() -> Image.Image:
    """A palette image of the ramps from each background to each colour drawn on it."""
    pairs = ((BACKGROUND, TEXT), (BACKGROUND, MUTED), (BACKGROUND, ACCENT), (BACKGROUND, PANEL))
    channels: list[int] = []
    for low, high in (*pairs, (PANEL, MUTED)):
        for step in range(RAMP_STEPS):
            t = step / (RAMP_STEPS - 1)
            channels += (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    channels += channels[-3:] * (256 - len(channels) // 3)
    palette = Image.new("P", (1, 1))
    palette.putpalette(channels)
    return palette


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
        draw.rounded_rectangle((x, y, x + pill, y + 52), 26, PANEL)
        draw.text((x + 18, y + 9), label, MUTED, font)
        x += pill + 16
