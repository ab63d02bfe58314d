"""The site's language in the templates: gettext through the theme's catalogue, and dates,
numbers and durations formatted by Babel for `site.language`.

A `Localizer` is made once per build (`load/catalogues.py` reads the catalogues) and
installed into the Jinja environment by `install_localizer`; forked page workers inherit
it with the environment. A string the catalogue lacks is shown in English, as written in
the template: gettext returns the message id, never a key.
"""

from __future__ import annotations

import datetime as dt
import gettext
from typing import Any

import babel
import babel.dates
import babel.numbers
import jinja2
from markupsafe import Markup

from tamatar_site.config import babel_locale

__all__ = ["ENGLISH", "N_", "Localizer", "install_localizer"]

# The theme's own English style: `21 Nov 2026`, `Nov 2026` (also en_GB's). Other locales,
# en-US included, get Babel's skeletons for their language.
_ENGLISH_PATTERNS = {
    "long": "d MMM y",
    "month": "MMM y",
    "month_abbr": "MMM",
    "full": "d MMMM y",
    "full_month": "MMMM y",
    "day_month": "d MMMM",
    "month_name": "LLLL",
    "day_month_abbr": "d MMM",
}
_SKELETONS = {
    "long": "yMMMd",
    "month": "yMMM",
    "full": "yMMMMd",
    "full_month": "yMMMM",
    "day_month": "MMMMd",
    "day_month_abbr": "MMMd",
}


def N_(message: str) -> str:
    """Marks an English string for `pybabel extract` where it is defined (a table of labels);
    it is translated where it is shown, with `Localizer.gettext`."""
    return message


class Localizer:
    """Translations and formats of one language, for one build."""

    def __init__(
        self, language: str = "en", translations: gettext.NullTranslations | None = None
    ) -> None:
        self.locale = babel_locale(language) or babel.Locale("en")
        self.translations = translations or gettext.NullTranslations()
        self._house_english = self.locale.language == "en" and not self.locale.territory
        self._decimal_sign = babel.numbers.get_decimal_symbol(self.locale)
        # Babel takes 10 to 40 us a call and pages write the same few values thousands of
        # times (counts, durations, dates): each is formatted once.
        self._numbers: dict[float, str] = {}
        self._dates: dict[tuple[dt.date, str], str] = {}
        self._durations: dict[int, str] = {}

    def gettext(self, message: str) -> str:
        """`message` in the site's language; itself when the catalogue lacks it (and for
        "", which gettext would answer with the catalogue's header)."""
        return self.translations.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def number(self, value: float | None) -> str:
        """`1234` -> `1,234` (en), `1.234` (de)."""
        if value is None:
            return ""
        text = self._numbers.get(value)
        if text is None:
            text = self._numbers[value] = babel.numbers.format_decimal(value, locale=self.locale)
        return text

    def decimal(self, text: str) -> str:
        """A number already written with a `.` (`6.67`) with the language's decimal sign
        (`6,67` in German); English keeps it as it is."""
        return text.replace(".", self._decimal_sign) if self._decimal_sign != "." else text

    def weekday_abbr(self, sunday_first_index: int) -> str:
        """`Mon` for 1: the abbreviated weekday, counting from Sunday (0)."""
        return str(self.locale.days["format"]["abbreviated"][(sunday_first_index - 1) % 7])

    def date(self, value: dt.date | None, style: str = "long") -> str:
        """`long`: `21 Nov 2026` (en), `21. Nov. 2026` (de); `month`: `Nov 2026`;
        `month_abbr`: `Nov`; `full`: `21 November 2026`; `full_month`: `November 2026`;
        `day_month`: `21 November`; `day_month_abbr`: `21 Nov`; `month_name`: `November`.
        Empty for None."""
        if value is None:
            return ""
        text = self._dates.get((value, style))
        if text is None:
            text = self._dates[value, style] = self._format_date(value, style)
        return text

    def _format_date(self, value: dt.date, style: str) -> str:
        if self._house_english or style not in _SKELETONS:
            pattern = _ENGLISH_PATTERNS.get(style, _ENGLISH_PATTERNS["long"])
            return babel.dates.format_date(value, pattern, locale=self.locale)
        return babel.dates.format_skeleton(_SKELETONS[style], value, locale=self.locale)

    def minutes(self, minutes: int | None) -> str:
        """`95` -> `1 h 35 min` (en), `1 Std. 35 Min.` (de)."""
        if minutes is None:
            return ""
        text = self._durations.get(minutes)
        if text is None:
            text = self._durations[minutes] = self._format_minutes(minutes)
        return text

    def _format_minutes(self, minutes: int) -> str:
        hours, rest = divmod(minutes, 60)
        values = {"hours": self.number(hours), "minutes": self.number(rest)}
        if hours and rest:
            return self.gettext("%(hours)s h %(minutes)s min") % values
        if hours:
            return self.gettext("%(hours)s h") % values
        return self.gettext("%(minutes)s min") % values

    def hours(self, hours: float | None) -> str:
        """`1.5` -> `1 h 30 min`: hours written like every other duration."""
        if hours is None:
            return ""
        return self.minutes(round(hours * 60))

    def plural(self, count: int, singular: str, plural: str | None = None) -> str:
        """The `plural` filter of older templates: `1 log`, `1,234 logs` (the number in the
        site's language; the English words as given; a theme should use `ngettext`)."""
        word = singular if count == 1 else (plural or singular + "s")
        return f"{self.number(count)} {word}"


def _newstyle_gettext(localizer: Localizer) -> Any:
    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
        text = localizer.gettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def _newstyle_ngettext(localizer: Localizer) -> Any:
    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context,
        singular: str,
        plural: str,
        count: int,
        /,
        **variables: Any,
    ) -> str:
        # `%(num)s` is the count written for the site's language (`1,234`, `1.234`).
        variables.setdefault("num", localizer.number(count))
        text = localizer.ngettext(singular, plural, count)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return ngettext


def install_localizer(env: jinja2.Environment, localizer: Localizer) -> None:
    """`_()`, `gettext()`, `ngettext()` (newstyle: `%(name)s` placeholders, escaped values)
    and the `date`, `number`, `minutes`, `hours` and `plural` filters of `localizer`."""
    gettext_ = _newstyle_gettext(localizer)
    env.globals.update(gettext=gettext_, _=gettext_, ngettext=_newstyle_ngettext(localizer))
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals["locale"] = str(localizer.locale)
    env.filters["date"] = localizer.date
    env.filters["number"] = localizer.number
    env.filters["minutes"] = localizer.minutes
    env.filters["hours"] = localizer.hours
    env.filters["plural"] = localizer.plural


ENGLISH = Localizer()
