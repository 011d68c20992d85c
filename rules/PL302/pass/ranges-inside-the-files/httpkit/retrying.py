"""A tiny HTTP client with retries."""

import time


def fetch(url, attempts=3):
    for attempt in range(attempts):
        try:
            return _get(url)
        except OSError:
            time.sleep(2**attempt)
    raise RuntimeError(url)


def _get(url):
    raise OSError(url)
