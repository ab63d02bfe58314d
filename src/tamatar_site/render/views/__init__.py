"""Template view models: what templates get instead of model objects (`content.py`), the
learning sections' views (`learning.py`) and the home and stats figures (`dashboard.py`)."""
