"""Site configuration: `arshif.toml` read into a frozen `Config`; every key has a default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CONFIG_FILE = "arshif.toml"
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    title: str = "أرشيف"
    description: str = ""
    language: str = "ar"  # the site chrome's language; each article keeps its own
    base_url: str = "/"  # "https://example.org/archive/" or "/archive/": links work under a sub-path
    content: Path = Path("content")
    output: Path = Path("site")
    templates: Path = DEFAULT_TEMPLATES
    per_page: int = 20
    max_file_bytes: int = 2_000_000  # 40 times the longest real article seen; a bigger one is a dump by mistake
    hijri: bool = True  # show the Hijri date beside the Gregorian one on Arabic articles
    actors_file: str = "actors.toml"  # the authority file, inside the content folder
    countries: bool = True  # tag every CLDR country (ids country-xx) without listing them
    search: bool = True  # index the site with Pagefind after writing it
    # Pages of one Pagefind run (a search shard): its memory grows with them (7,600 real news pages: ~1.1 GB) and a
    # query's download shrinks with them, each shard a query searches costing its metadata and a chunk per word.
    # At 20,000 real articles (benchmarks/search_scale.py --sample 100) the index's files a query fetches are
    # 284 KB (3 Arabic shards) against 264 KB with one Pagefind run per language: +7.5%; 302 KB (+14%) at 5,000.
    search_shard_pages: int = 8000
    workers: int = 0  # processes for reading and rendering; 0 = one per CPU core
    scheduler: str = ""  # a Dask scheduler's address (tcp://host:8786) to read and draw on its cluster instead
    calendars: tuple[str, ...] = ("gregorian",)  # date pages: add "hijri" for Hijri labels beside Gregorian ones
    digits: str = "latn"  # "arab": Eastern Arabic digits on date pages when the UI language is Arabic
    feed_entries: int = 50  # the newest articles a feed holds (the site's, an actor's, an outlet's, an agency's)
    locale: str = ""  # the chrome's region (ar_SA, ar_EG, en_GB): first weekday, month names; "" = the likeliest

    @property
    def actors(self) -> Path:
        return self.content / self.actors_file

    @property
    def base_path(self) -> str:
        """The path part of base_url, with a leading and a trailing slash."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def site_url(self) -> str:
        """scheme://host when base_url is absolute, else ''."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


_PATH_KEYS = {"content", "output", "templates"}
_CHOICES = {"calendars": {"gregorian", "hijri"}, "digits": {"latn", "arab"}}


def load_config(path: Path | None, overrides: dict[str, Any] | None = None) -> Config:
    """Read `path` (or ./arshif.toml when it exists); relative paths resolve against the file's folder."""
    explicit = path is not None
    path = path or Path(CONFIG_FILE)
    values: dict[str, Any] = {}
    base = Path.cwd()
    if path.exists():
        base = path.resolve().parent
        try:
            with path.open("rb") as f:
                values = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: {e}") from None
        except RecursionError:
            raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
        except OSError as e:
            raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
    elif explicit:
        raise ConfigError(f"{path}: no such config file")
    config = _from_mapping(values, path, base)
    if overrides:
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    return config


def _from_mapping(values: dict[str, Any], path: Path, base: Path) -> Config:
    known = {f.name: f for f in fields(Config)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key '{key}' (known: {', '.join(sorted(known))})")
        default = getattr(Config, key)
        if key in _PATH_KEYS:
            if not isinstance(value, str):
                raise ConfigError(f"{path}: key '{key}' must be a path string, not {type(value).__name__}")
            value = base / value
        elif isinstance(default, tuple) and isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: key '{key}' must be a list of strings")
            value = tuple(value)
        elif type(value) is not type(default):
            raise ConfigError(f"{path}: key '{key}' must be {type(default).__name__}, not {type(value).__name__}")
        if key == "per_page" and value < 1:
            raise ConfigError(f"{path}: key 'per_page' must be at least 1")
        if key in ("feed_entries", "search_shard_pages") and value < 1:
            raise ConfigError(f"{path}: key '{key}' must be at least 1")
        if key in _CHOICES and not set(value if isinstance(value, tuple) else [value]) <= _CHOICES[key]:
            raise ConfigError(f"{path}: key '{key}' must be among {', '.join(sorted(_CHOICES[key]))}, not {value!r}")
        if key == "locale" and value and not _known_locale(value):
            raise ConfigError(f"{path}: key 'locale' must be a CLDR locale such as ar_SA or en_GB, not {value!r}")
        kwargs[key] = value
    return Config(**kwargs)


def _known_locale(name: str) -> bool:
    from babel import Locale, UnknownLocaleError  # imported here: only a config that names a locale needs it

    try:
        Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True
