"""`python -m fupin_geo`: the command line (see cli.py)."""
from .cli import run

run()
