"""Inline SVG figures with text alternatives: the chart primitives (`svg.py`), the stats
charts (`stats.py`) and the activity heatmap (`heatmap.py`)."""
