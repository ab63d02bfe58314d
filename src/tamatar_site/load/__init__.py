"""Load stage: read a site's files from disk into checked text, and YAML with node positions."""

from __future__ import annotations

from tamatar_site.load.documents import (
    CONFIG_FILE,
    KIND_EXTENSIONS,
    MAX_FILE_BYTES,
    Kind,
    load_config_yaml,
    read_text,
)
from tamatar_site.load.frontmatter import FrontMatterError, FrontMatterSplit, split_front_matter
from tamatar_site.load.yamlpos import MAX_DEPTH, MAX_NODES, ParsedYaml, YamlIssue, parse_yaml

__all__ = [
    "CONFIG_FILE",
    "KIND_EXTENSIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "FrontMatterError",
    "FrontMatterSplit",
    "Kind",
    "ParsedYaml",
    "YamlIssue",
    "load_config_yaml",
    "parse_yaml",
    "read_text",
    "split_front_matter",
]
