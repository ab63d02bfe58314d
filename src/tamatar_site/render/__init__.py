"""Render stage: model values to HTML, feeds, sitemaps and JSON (one module per output kind)."""
