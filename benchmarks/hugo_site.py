"""Benchmark corpus: the Hugo side, a minimal site doing the same work as tamatar's build.

Equivalent work means: one page per log with prev/next and tags, a paginated timeline,
a tag cloud, one paginated page and one full-content RSS feed per tag, a home page with
recent logs, project pages, Chroma highlighting with CSS classes, and `.md` links between
logs resolved to permalinks by a render hook. Written for Hugo 0.111 (Debian bookworm);
`config.yaml` and the layout names below also work with later versions.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
baseURL: "https://bench.example.org/devlog/"
title: "Benchmark devlog"
languageCode: en
paginate: {per_page}
timeZone: UTC
disableKinds: []
enableRobotsTXT: true
taxonomies:
  tag: tags
permalinks:
  logs: "/logs/:year/:month/:day/:slug/"
outputs:
  home: [HTML, RSS]
  section: [HTML, RSS]
  taxonomy: [HTML]
  term: [HTML, RSS]
services:
  rss:
    limit: 50
markup:
  highlight:
    noClasses: false
    codeFences: true
    guessSyntax: false
  goldmark:
    renderer:
      unsafe: false
    extensions:
      table: true
      strikethrough: true
      taskList: true
      footnote: true
"""

_BASEOF = """\
<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" \
href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><nav aria-label="Main"><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<a href="{{ "logs/" | relURL }}">Logs</a> <a href="{{ "tags/" | relURL }}">Tags</a>
<a href="{{ "projects/" | relURL }}">Projects</a></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>Built with Hugo</p></footer>
</body>
</html>
"""

_ENTRY = """\
<article class="entry">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time>
<p>{{ .Summary | plainify | truncate 200 }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">\
{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
"""

_PAGER = """\
{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav aria-label="Pages" class="pager">
{{ if .HasPrev }}<a rel="prev" href="{{ .Prev.URL }}">Newer</a>{{ end }}
<span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{ if .HasNext }}<a rel="next" href="{{ .Next.URL }}">Older</a>{{ end }}
</nav>{{ end }}{{ end }}
"""

_SINGLE = """\
{{ define "main" }}<article class="log">
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "Monday, January 2, 2006" }}\
</time>{{ with .Params.project }} · project <a href="{{ printf "projects/%s/" . | relURL }}">\
{{ . }}</a>{{ end }}{{ with .Params.mood }} · mood {{ . }}/10{{ end }}\
{{ with .Params.focus_minutes }} · {{ . }} min focus{{ end }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">\
{{ .LinkTitle }}</a></li>{{ end }}</ul>
<div class="body">{{ .Content }}</div>
<nav aria-label="Neighbours">{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">\
{{ .Title }}</a>{{ end }} {{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">\
{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
"""

_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .Pages).Pages }}{{ partial "entry.html" . }}{{ end }}
{{ partial "pager.html" . }}{{ end }}
"""

_TERMS = """\
{{ define "main" }}<h1>Tags</h1>
<ul class="tag-cloud">{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">\
{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"""

_HOME = """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<section><h2>Recent logs</h2>
{{ range first 10 (where site.RegularPages "Section" "logs") }}{{ partial "entry.html" . }}{{ end }}
</section>
<section><h2>Projects</h2><ul>{{ range where site.RegularPages "Section" "projects" }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>
<section><h2>Top tags</h2><ul>{{ range first 10 site.Taxonomies.tags.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
</section>{{ end }}
"""

_RSS = """\
{{- $pages := .Pages -}}{{- if .IsHome -}}{{- $pages = where site.RegularPages "Section" "logs" -}}\
{{- end -}}{{- $limit := site.Config.Services.RSS.Limit -}}\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<link>{{ .Permalink }}</link><description>Logs</description>
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" \
type="application/rss+xml"/>{{ end }}
{{ range first $limit $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate><guid>{{ .Permalink }}</guid>
<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
"""

_RENDER_LINK = """\
{{- $href := .Destination -}}\
{{- if and (strings.HasSuffix $href ".md") (not (strings.Contains $href "://")) -}}\
{{- with site.GetPage (printf "/logs/%s" $href) -}}{{- $href = .RelPermalink -}}{{- end -}}\
{{- end -}}\
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>\
{{ .Text | safeHTML }}</a>\
"""

_CSS = "body{font-family:system-ui;max-width:46rem;margin:auto}pre{overflow:auto}\n"

LAYOUTS: dict[str, str] = {
    "layouts/_default/baseof.html": _BASEOF,
    "layouts/partials/entry.html": _ENTRY,
    "layouts/partials/pager.html": _PAGER,
    "layouts/_default/single.html": _SINGLE,
    "layouts/_default/list.html": _LIST,
    "layouts/_default/term.html": _LIST,
    "layouts/_default/terms.html": _TERMS,
    "layouts/index.html": _HOME,
    "layouts/_default/rss.xml": _RSS,
    "layouts/_default/_markup/render-link.html": _RENDER_LINK,
    "static/css/site.css": _CSS,
}


def write_hugo_skeleton(root: Path, *, per_page: int) -> None:
    """Write Hugo's config, layouts and section indexes under `root` (content comes later)."""
    for relative, text in {**LAYOUTS, "config.yaml": CONFIG.format(per_page=per_page)}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sections = {"logs": "Logs", "projects": "Projects"}
    for section, title in sections.items():
        index = root / "content" / section / "_index.md"
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
