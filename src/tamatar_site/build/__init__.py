"""The machinery that runs the pipeline: `pipeline.build_site` and what makes it fast.

Nothing is re-exported here: the no-change check (`manifest.py`) must load without the
build stack, and importing this package must not import it.
"""
