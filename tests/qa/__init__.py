"""Quality checks of a built site: links, HTML validity, feeds and accessibility.

Each module is a small, reusable checker that returns plain data (no asserts), so a
test can assert on it and print every problem at once:

- `crawl`: serve an output folder under a base path and find broken or escaping links;
- `vnu`: the Nu Html Checker (vnu.jar) over every HTML page;
- `feeds`: feedparser and structural checks of Atom, RSS 2.0 and JSON Feed files;
- `axe`: axe-core in headless Chromium, in light and dark colour schemes, plus keyboard
  (skip link, visible focus) and JavaScript-disabled checks;
- `layout`: pages wider than a phone's viewport;
- `screenshots`: full-page screenshots for looking at the theme (not a test);
- `tools`: where the external tools (vnu.jar, axe.min.js, Chromium) are found.
"""
