"""Every output that is not an HTML page: feeds (`feeds.py`), sitemaps, robots.txt and
OPML (`sitemap.py`), the JSON API (`api.py`), grouped with their fingerprints in
`outputs.py`."""
