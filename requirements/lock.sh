#!/usr/bin/env bash
# Refreshes the locks of exact versions (with hashes) from pyproject.toml's ranges:
#   requirements/dev.txt  tamatar, its test tools and the build backend (development and CI)
#   requirements/run.txt  tamatar and the build backend only (the README's build command)
# Run after changing dependencies, and commit the locks with pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=(uv)
command -v uv >/dev/null 2>&1 || uv=(python3 -m uv)
common=(--universal --python-version 3.11 --generate-hashes --quiet --no-header)
"${uv[@]}" pip compile "${common[@]}" pyproject.toml requirements/build.in --extra test \
  -o requirements/dev.txt
"${uv[@]}" pip compile "${common[@]}" pyproject.toml requirements/build.in \
  -c requirements/dev.txt -o requirements/run.txt
