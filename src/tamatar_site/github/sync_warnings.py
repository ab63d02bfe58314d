"""The GitHub sync's warnings: what a sync tells the user when GitHub or the cache let it down.

Each trouble is one sentence that says what happened and what the build or `tamatar sync`
does about it; a token never appears in them.
"""

from __future__ import annotations

from collections.abc import Sequence

from tamatar_site.github.cache import ResponseCache
from tamatar_site.github.client import GitHubClient
from tamatar_site.github.data import GitHubData


def sync_warnings(
    client: GitHubClient,
    cache: ResponseCache,
    data: GitHubData | None,
    offline: bool,
    missing: Sequence[str],
    token_env: str | None,
    building: bool = True,
) -> list[str]:
    """One sentence per trouble: 404 repositories, unreadable cache files, why GitHub
    stopped being asked (or that no data came); the token blanked out of each.

    `building` says whose warnings these are: a build's, which goes on with the cache or
    without GitHub data, or `tamatar sync`'s, which only refreshes the cache.
    """
    warnings: list[str] = []
    if missing:
        names = ", ".join(missing)
        warnings.append(
            f"GitHub has no repository {names} (404): check the projects' `repo:` and"
            " `github.repos`, or set `github.token_env` for private repositories"
        )
    if cache.corrupt:
        count = len(cache.corrupt)
        warnings.append(
            f"{cache.corrupt[0]}: ignored {count} unreadable GitHub cache file"
            f"{'s' if count > 1 else ''}; {'it is' if count == 1 else 'they are'}"
            " fetched again on the next sync"
        )
    if client.stop_message is not None:
        if building:
            then = (
                " and using the cached GitHub data"
                if data is not None
                else " and nothing is cached, so the site is built without GitHub data"
            )
        else:
            then = f"; {_cache_left(client)}"
        message = client.stop_message
        if client.stop_reason == "bad_token" and token_env:
            # Name the variable (never its value) so the fix is obvious.
            message = message.replace("the token", f"the token in ${token_env}", 1)
            message = message.replace("needs a token", f"needs a token in ${token_env}", 1)
        elif client.stop_reason == "bad_token" and message.endswith("needs a token"):
            message += "; set `github.token_env` to the name of a variable holding one"
        warnings.append(f"{message}; stopped asking GitHub{then}")
    elif data is None and offline:
        warnings.append(
            f"--offline and no GitHub data is cached in {cache.directory}; the site is built"
            " without GitHub data (run `tamatar sync` to fill the cache)"
        )
    elif data is None:
        warnings.append(
            "GitHub returned no data for the user; the site is built without it"
            if building
            else "GitHub returned no data for the user; nothing was cached"
        )
    return [client.redact(w) for w in warnings]


def _cache_left(client: GitHubClient) -> str:
    """What a stopped `tamatar sync` left in the cache: nothing new, or part of it refreshed."""
    statuses = client.stats.statuses.items()
    answered = sum(count for status, count in statuses if status < 400 or status == 404)
    if answered == 0:
        return "the cache is unchanged"
    answers = "1 answer was" if answered == 1 else f"{answered} answers were"
    return f"{answers} refreshed before that; the rest of the cache is unchanged"
