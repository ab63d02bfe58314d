"""The routes of a site: every HTML page as (output path, template, context).

`common.py` holds what pages share (the page record, head data, the route inputs),
`routes.py` the site's pages and `learning.py` those of the learning sections.
"""
