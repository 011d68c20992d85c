"""Settings as `key = value` lines."""


def load_settings(path: str) -> dict[str, str]:
    settings = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings
