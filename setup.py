"""Package list for setuptools; everything else is in pyproject.toml.

The curated data in corpus/ ships in the wheel as the data-only package ``seckb_corpus``
(kb/settings.py reads it through importlib.resources outside a checkout). pyproject.toml alone
cannot both find the packages and map a folder outside them to a package name.
"""

from setuptools import find_packages, setup

setup(
    # corpus/rules, notes and descriptions are data folders; naming them keeps setuptools from warning
    # that they "would be ignored".
    packages=[
        *find_packages(include=["kb*", "indexer*"]),
        "seckb_corpus",
        "seckb_corpus.rules",
        "seckb_corpus.notes",
        "seckb_corpus.descriptions",
    ],
    package_dir={"seckb_corpus": "corpus"},
)
