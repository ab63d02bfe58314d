"""Social images (`og/*.png`) and the Open Graph / Twitter tags: the example site's images,
the tags pointing at them in both themes, the cache, and `social_images: false`."""

from __future__ import annotations

import io
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.social import FONT_DIR, FONT_FILES, SOCIAL_CACHE
from tamatar_site.cli import main
from tamatar_site.render.documents import social_image
from tamatar_site.render.documents.social_image import SocialFonts, draw_social_image
from tamatar_site.render.pages.social import SocialCard
from tamatar_site.validate.site import load_site

REPO = Path(__file__).resolve().parent.parent
BASE = "https://octocat.github.io/devlog/"


def _build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "--offline", "-q", "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        name = values.get("property") or values.get("name")
        if tag == "meta" and name and values.get("content") is not None:
            self.tags[name] = values["content"] or ""


def _meta(page: Path) -> dict[str, str]:
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module", params=["default", "minimal"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (a copy, built in the theme of the parameter) and its output."""
    root = tmp_path_factory.mktemp(f"social-{request.param}")
    site = root / "example-site"
    ignore = shutil.ignore_patterns("_site", "content", "social")  # no caches of local builds
    shutil.copytree(REPO / "example-site", site, ignore=ignore)
    config = site / "tamatar.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("theme: default", f"theme: {request.param}"), "utf-8")
    _build(site, root / "out")
    return root


def test_every_page_points_at_an_existing_1200x630_image(example: Path) -> None:
    out = example / "out"
    site = load_site(example / "example-site").site
    assert site is not None
    pages = [p for p in out.rglob("index.html") if "noindex" not in p.read_text("utf-8")]
    assert len(pages) > 50
    logs = {log.permalink for log in site.logs}
    own = {""} | logs | {project.permalink for project in site.projects}
    for page in pages:
        meta = _meta(page)
        permalink = page.parent.relative_to(out).as_posix() + "/"
        permalink = "" if permalink == "./" else permalink
        assert meta["og:title"] and meta["og:url"] == BASE + permalink, page
        assert meta["og:type"] == ("article" if permalink in logs else "website")
        assert meta["og:description"]
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(BASE) and image.endswith(".png")
        expected = (
            f"og/{permalink.strip('/') or 'index'}.png" if permalink in own else "og/index.png"
        )
        assert image == BASE + expected, page
    for permalink in own:
        with Image.open(out / f"og/{permalink.strip('/') or 'index'}.png") as image:
            assert image.format == "PNG" and image.size == (1200, 630)
    assert len(list((out / "og").rglob("*.png"))) == len(own)


def test_a_second_build_draws_nothing_even_into_a_new_folder(example: Path) -> None:
    site, out = example / "example-site", example / "out"
    cache = site / SOCIAL_CACHE
    cached = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    images = {path: path.stat().st_mtime_ns for path in (out / "og").rglob("*.png")}
    assert len(cached) == len(images)

    _build(site, out)  # the same output folder: the files are kept as they are
    assert {path: path.stat().st_mtime_ns for path in images} == images

    _build(site, example / "fresh")  # a new folder: copied from the cache, none drawn
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == cached
    for path in images:
        assert (example / "fresh" / path.relative_to(out)).read_bytes() == path.read_bytes()


def test_an_edited_title_draws_that_image_only_and_a_deleted_log_drops_it(tmp_path: Path) -> None:
    log = "---\ntitle: {title}\ndate: 2026-11-{day}\ntags: [rust]\n---\nBody.\n"
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-a.md": log.format(title="First", day=20),
            "logs/2026-11-21-b.md": log.format(title="Second", day=21),
        },
    )
    out = tmp_path / "out"
    _build(site, out)
    first, second = out / "og/logs/2026/11/20/a.png", out / "og/logs/2026/11/21/b.png"
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in (first, second)}
    cache = site / SOCIAL_CACHE
    assert len(list(cache.iterdir())) == 3  # home and two logs

    (site / "logs/2026-11-21-b.md").write_text(log.format(title="Renamed", day=21), "utf-8")
    _build(site, out)
    assert (first.stat().st_mtime_ns, first.read_bytes()) == before[first]
    assert second.read_bytes() != before[second][1]
    assert len(list(cache.iterdir())) == 3  # the old title's image left the cache

    (site / "logs/2026-11-21-b.md").unlink()
    _build(site, out)
    assert not second.exists()
    assert first.exists()


def test_social_images_false_keeps_the_text_tags(tmp_path: Path) -> None:
    config = "site:\n  title: Test site\n  description: About things\nsocial_images: false\n"
    site = write_site(
        tmp_path / "site",
        {"logs/2026-11-20-a.md": "---\ntitle: A log\ndate: 2026-11-20\n---\nBody.\n"},
        config=config,
    )
    out = tmp_path / "out"
    _build(site, out)
    assert not (out / "og").exists()
    meta = _meta(out / "logs/2026/11/20/a/index.html")
    assert meta["og:title"] == "A log" and meta["og:type"] == "article"
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta
    assert _meta(out / "index.html")["og:description"] == "About things"


def test_long_and_hostile_titles_are_drawn_within_the_image() -> None:
    fonts = SocialFonts(*((FONT_DIR / name).read_bytes() for name in FONT_FILES))
    card = SocialCard(
        "x" * 300 + " " + "word " * 80,
        'A <site> & "name" ' * 10,
        "Log",
        "21 Nov 2026",
        tuple(f"tag-{i}-" + "long" * 10 for i in range(5)),
    )
    with Image.open(io.BytesIO(draw_social_image(card, fonts))) as image:
        assert image.size == (1200, 630)


def _ramp(low: tuple[int, int, int], high: tuple[int, int, int]) -> set[tuple[int, int, int]]:
    steps = social_image.RAMP_STEPS - 1
    return {
        tuple(round(a + (b - a) * step / steps) for a, b in zip(low, high, strict=True))
        for step in range(steps + 1)
    }


def _colours(image: Image.Image, top: int, bottom: int) -> set[tuple[int, int, int]]:
    """The colours of the rows `top` to `bottom`, right of the accent bar."""
    band = image.crop((20, top, image.width, bottom)).convert("RGB")
    return {colour for _, colour in band.getcolors(maxcolors=1 << 16) or []}


def test_each_text_is_drawn_in_its_colour_on_its_background() -> None:
    """The image is drawn in palette indices, a text blending into the indices of its own
    colour ramp: a text on a background of another ramp would show in a wrong colour."""
    fonts = SocialFonts(*((FONT_DIR / name).read_bytes() for name in FONT_FILES))
    card = SocialCard("Title", "Site name", "Log", "1 Jan 2026", ("rust", "sql"))
    with Image.open(io.BytesIO(draw_social_image(card, fonts))) as image:
        assert image.mode == "P"
        bg, panel = social_image.BACKGROUND, social_image.PANEL
        text, muted, accent = social_image.TEXT, social_image.MUTED, social_image.ACCENT
        bands = {
            "kicker": (60, 140, _ramp(bg, accent), accent),
            "title": (146, 250, _ramp(bg, text), text),
            "tags": (261, 313, _ramp(panel, muted) | {bg}, muted),
            "site name": (530, 630, _ramp(bg, muted), muted),
        }
        for name, (top, bottom, allowed, ink) in bands.items():
            colours = _colours(image, top, bottom)
            assert colours <= allowed, (name, colours - allowed)
            assert ink in colours, name  # the text is there, at full strength
            assert len(colours) > 4, name  # and anti-aliased
