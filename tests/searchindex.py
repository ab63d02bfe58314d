"""The search index of a built output as what it finds, for comparing outputs.

An incremental build's index is a base (`pagefind/`, and the parts it lists in
`pagefind/parts.json`) and a delta (`pagefind/delta/`) with
the base's superseded page ids (`build/search.py`); a cold build's is one index. Both are
compared by what a visitor can find: each page's URL, text, metadata and filters.
"""

from __future__ import annotations

import gzip
import json

SIGNATURE = b"pagefind_dcd"
SEARCHABLE = "pagefind (what the index finds)"


def _fragments(tree: dict[str, bytes], folder: str) -> dict[str, tuple[str, object]]:
    """(id, page) of each fragment in the bundle at `folder`, by URL."""
    found: dict[str, tuple[str, object]] = {}
    prefix = f"{folder}/fragment/"
    for path, data in tree.items():
        if path.startswith(prefix) and path.endswith(".pf_fragment"):
            page = json.loads(gzip.decompress(data).removeprefix(SIGNATURE))
            page_id = path[len(prefix) :].removesuffix(".pf_fragment")
            found[page["url"]] = (page_id, {k: page.get(k) for k in ("content", "meta", "filters")})
    return found


def searchable(tree: dict[str, bytes]) -> dict[str, object]:
    """Each page the search page finds, by URL: the base's but the dropped ids, then the
    delta's."""
    listing = json.loads(tree.get("pagefind/delta/superseded.json", b'{"drop": []}'))
    drop = set(listing["drop"])
    parts = json.loads(tree.get("pagefind/parts.json", b'{"parts": []}'))["parts"]
    base: dict[str, tuple[str, object]] = {}
    for folder in ("pagefind", *(f"pagefind/{part.rstrip('/')}" for part in parts)):
        part_pages = _fragments(tree, folder)
        assert not base.keys() & part_pages.keys(), "a page in two parts of the index"
        base.update(part_pages)
    found = {url: page for url, (page_id, page) in base.items() if page_id not in drop}
    if listing.get("merge"):
        found.update({url: page for url, (_, page) in _fragments(tree, "pagefind/delta").items()})
    return found


def comparable(tree: dict[str, bytes]) -> dict[str, bytes]:
    """`tree` (output path -> bytes) with the search bundle, and its lines in the list of
    output files, replaced by what the index finds."""
    kept = {path: data for path, data in tree.items() if not path.startswith("pagefind/")}
    if ".tamatar-output" in tree:
        listed = tree[".tamatar-output"].decode().splitlines(keepends=True)
        kept[".tamatar-output"] = "".join(
            line for line in listed if not line.startswith("pagefind/")
        ).encode()
    if any(path.startswith("pagefind/") for path in tree):
        kept[SEARCHABLE] = json.dumps(searchable(tree), sort_keys=True).encode()
    return kept
