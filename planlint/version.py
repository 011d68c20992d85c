"""The version planlint reports (`--version`, the emit document's generator, SARIF's driver).

A module of its own so that any layer can name it without importing the package facade."""

__version__ = "0.1.0"
