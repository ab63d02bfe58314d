"""Social images: time per page, cold (drawn) and cached (read from .tamatar/cache/social).

    .venv/bin/python benchmarks/bench_social.py example-site
    .venv/bin/python benchmarks/bench_social.py benchmarks/corpus/1000/tamatar --repeat 3

Loads the site, then runs the build's social-image step (`build/social.py`) into a fresh
cache folder: cold (every image drawn, in workers when there are many), then again with the
cache full (every image read, none drawn). Prints the median of each per image, and the
single-process drawing time of one image.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tamatar_site.build.inputs import compute_views
from tamatar_site.build.memo import OutputMemo
from tamatar_site.build.social import SocialStats, _fonts, social_image_groups
from tamatar_site.render.documents.social_image import draw_social_image
from tamatar_site.render.i18n import ENGLISH
from tamatar_site.render.pages.social import social_cards
from tamatar_site.validate.site import load_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    loaded = load_site(args.site)
    if loaded.config is None or loaded.site is None:
        print("the site has errors: run `tamatar check`", file=sys.stderr)
        return 1
    inputs = compute_views(loaded.config, loaded.site, dt.date(2026, 11, 22), None, ENGLISH)
    cold, cached = [], []
    stats = SocialStats()
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder)
            for times in (cold, cached):
                stats = SocialStats()
                started = time.perf_counter()
                for group in social_image_groups(inputs, cache, OutputMemo(""), stats):
                    group.render()
                times.append((time.perf_counter() - started) / stats.images)
    fonts = _fonts()
    cards = [card for _, card in social_cards(loaded.site, inputs.config.site.title, {})]
    started = time.perf_counter()
    for card in cards[:20]:
        draw_social_image(card, fonts)
    one = (time.perf_counter() - started) / min(20, len(cards))
    print(f"{stats.images} images")
    print(f"cold (drawn, workers if many): {statistics.median(cold) * 1000:.2f} ms per image")
    print(f"cached (read, none drawn):     {statistics.median(cached) * 1000:.2f} ms per image")
    print(f"one image in one process:      {one * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
