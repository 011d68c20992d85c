"""Parsers: bytes to models. `plan` is the only module that touches markdown-it tokens."""
