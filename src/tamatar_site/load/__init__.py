"""Load stage: read a site's files from disk into raw documents with YAML node positions."""

from __future__ import annotations

from tamatar_site.load.documents import (
    CONFIG_FILE,
    KIND_EXTENSIONS,
    MAX_FILE_BYTES,
    Kind,
    RawDocument,
    iter_documents,
    load_config_yaml,
    load_documents,
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
    "RawDocument",
    "YamlIssue",
    "iter_documents",
    "load_config_yaml",
    "load_documents",
    "parse_yaml",
    "read_text",
    "split_front_matter",
]
