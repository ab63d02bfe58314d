"""GitHub enrichment: fetch (cached, offline-safe) and turn into template views.

Import from the modules (`github.sync`, `github.enrich`, ...): this package imports none
of them, so a build without GitHub data never loads the HTTP client.

The build calls `sync_site` then `enrich`; `tamatar sync` calls only `sync_site`::

    synced = sync_site(site_dir, config, site, offline=options.offline)  # never raises for I/O
    # synced.warnings: at most a few sentences (rate limit, network, 401, 404 repos, corrupt
    # cache); synced.data is None when there is no GitHub data at all.
    github = enrich(site, synced.data, timezone=config.site.timezone, now=build_now(...))
    # templates get `github` (GitHubEnrichment): repo_cards / project_commits /
    # project_activity keyed by "owner/name", log_commits keyed by a log's permalink,
    # languages, profile; commit_days for `streaks.count_commits`.
"""
