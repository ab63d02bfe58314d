"""The counts charts show (`3 logs`, `1 commit`) in the site's language."""

from __future__ import annotations

from collections.abc import Callable

from tamatar_site.render.i18n import ENGLISH, Localizer

__all__ = ["num", "plural"]


def num(value: float) -> str:
    """A coordinate or value with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# The units charts count in, as messages of the site's language; another unit stays English.
_UNITS: dict[tuple[str, str], Callable[[Localizer, int], str]] = {
    ("log", "logs"): lambda w, n: w.ngettext("%(num)s log", "%(num)s logs", n),
    ("commit", "commits"): lambda w, n: w.ngettext("%(num)s commit", "%(num)s commits", n),
    ("day", "days"): lambda w, n: w.ngettext("%(num)s day", "%(num)s days", n),
    ("minute", "minutes"): lambda w, n: w.ngettext("%(num)s minute", "%(num)s minutes", n),
    ("contribution", "contributions"): lambda w, n: w.ngettext(
        "%(num)s contribution", "%(num)s contributions", n
    ),
}


def plural(count: float, unit: tuple[str, str], words: Localizer = ENGLISH) -> str:
    """`1 log`, `3 logs`: the count and the unit's singular or plural, in `words`' language."""
    message = _UNITS.get(unit)
    if message is None:
        return f"{num(count)} {unit[0] if count == 1 else unit[1]}"
    form = int(count) if float(count).is_integer() else 2  # gettext wants an int
    return message(words, form) % {"num": words.decimal(num(count))}
