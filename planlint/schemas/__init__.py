"""JSON Schemas planlint ships (read with importlib.resources)."""
