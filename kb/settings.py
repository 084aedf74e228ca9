"""Where things are: defaults, and the environment variables that override them.

| setting | option | environment | default |
|---|---|---|---|
| source documents | --sources | SECKB_SOURCES | ../shared/corpus beside the project |
| data folder | --data | SECKB_DATA | ./seckb-data |
| database URL | --db | SECKB_DB | SQLite file inside the data folder |
| curated corpus | | SECKB_CORPUS | ./corpus in a checkout, else the copy shipped in the wheel |
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    """The curated corpus/ folder (catalogue, topics, rules, sample notes).

    In a checkout it is ./corpus beside kb/; an installed wheel carries the same files as the
    data package ``seckb_corpus``.
    """
    if os.environ.get("SECKB_CORPUS"):
        return Path(os.environ["SECKB_CORPUS"])
    checkout = PROJECT_ROOT / "corpus"
    if (checkout / "acts.yaml").is_file():
        return checkout
    return packaged_corpus_dir()


def packaged_corpus_dir() -> Path:
    from importlib.resources import files

    # seckb_corpus is a namespace package (data only, no __init__.py), whose files() is a
    # MultiplexedPath; a file inside it is a real path, as wheels are installed unzipped.
    return Path(str(files("seckb_corpus").joinpath("acts.yaml"))).parent


def sources_dir(option: str | Path | None = None) -> Path:
    if option:
        return Path(option)
    if os.environ.get("SECKB_SOURCES"):
        return Path(os.environ["SECKB_SOURCES"])
    if (PROJECT_ROOT / "corpus" / "acts.yaml").is_file():
        return PROJECT_ROOT.parent / "shared" / "corpus"
    return Path("..") / "shared" / "corpus"  # installed: beside the working folder, as in a checkout


def data_dir(option: str | Path | None = None) -> Path:
    if option:
        return Path(option)
    return Path(os.environ.get("SECKB_DATA", "seckb-data"))


def db_url(option: str | None = None) -> str | None:
    """A server database URL, or None for the SQLite file inside the data folder."""
    return option or os.environ.get("SECKB_DB") or None


def user_corpus_dir(data: Path) -> Path:
    """The current user corpus: Acts a user added with `seckb add`, never in the shipped corpus/.

    It lives inside the current generation (so it changes together with the database); a data
    folder from before that keeps it beside the generations until the next write moves it in.
    """
    staged = Path(data) / "current" / "user-corpus"
    return staged if staged.is_dir() else Path(data) / "user-corpus"
