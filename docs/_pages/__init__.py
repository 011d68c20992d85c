"""The page generators of docs/_generate.py, one module per page."""
