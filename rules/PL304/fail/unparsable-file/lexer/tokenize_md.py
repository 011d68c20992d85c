"""Half-finished edit."""


def parse(text:
    return text.split()
