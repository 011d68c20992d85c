"""Where results go."""

import json


def save_results(path: str, results: dict[str, str]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(results, handle)
