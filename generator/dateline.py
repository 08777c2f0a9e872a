"""Dateline reading: outlet, agency, place and publication date from the opening of the first paragraph.

(Being written: see tests/test_dateline.py for the contract.)
"""

from __future__ import annotations

import datetime as dt

from generator.model import Dateline


def read_dateline(paragraph: str, reference: dt.date | None = None) -> Dateline:
    """Read the dateline at the start of `paragraph`.

    `reference` (a date from metadata, e.g. crawl time) supplies the year of year-less datelines
    such as Reuters' "WASHINGTON, March 20 -".
    """
    return Dateline()
