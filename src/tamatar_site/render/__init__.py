"""Values to text: HTML pages, feeds, sitemaps, JSON. No disk, no processes (see `build/`)."""
