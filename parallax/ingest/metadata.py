"""What an input says about itself: publication dates, urls, outlets.

Dates keep the precision and the time zone the input gives: ``2025-09-22`` stays a
day, ``21.09.2025, 9:11`` becomes ``2025-09-21T09:11`` (no zone: none was given),
``2025-09-22T08:30:00+02:00`` keeps its offset. Nothing is filled in by guessing.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parallax.text import MONTH_PATTERN, MONTHS

_MONTH = r"(?P<month>" + MONTH_PATTERN + r")\.?"
_TIME = (
    r"(?:(?:,|\s+at|\s+-|\s*\|)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<zone>UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)?"
)

DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # 2025-09-22, 2025-09-22T09:11:00+02:00, 2025-09-22 13:00
        r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
        r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?\b",
        # 21.09.2025, 9:11 (day first, as in most of Europe)
        r"\b(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})" + _TIME,
        # September 22, 2025 / Sept. 22, 2025 9:11 am
        r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b" + _TIME,
        # 22 September 2025
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b" + _TIME,
    )
)


def find_date(text: str) -> tuple[re.Match[str], str] | None:
    """The first date in ``text`` in one of the usual shapes, with its ISO value."""
    found: list[tuple[re.Match[str], str]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _iso_from_match(match)
            if value is not None:
                found.append((match, value))
                break
    return min(found, key=lambda item: item[0].start()) if found else None


def _iso_from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = int(parts["mon"]) if parts.get("mon") else MONTHS[parts["month"].lower()]
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    if not parts.get("hour"):
        return day.isoformat()
    hour = int(parts["hour"])
    ampm = (parts.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    second = parts.get("second")
    try:
        moment = datetime(
            day.year, day.month, day.day, hour, int(parts["minute"]), int(second or 0)
        )
    except ValueError:
        return day.isoformat()
    value = moment.isoformat(timespec="seconds" if second else "minutes")
    return value + _zone_suffix(parts.get("zone"))


def _zone_suffix(zone: str | None) -> str:
    if not zone:
        return ""
    if zone.upper() in ("Z", "UTC", "GMT"):
        return "+00:00"
    return zone if ":" in zone else zone[:3] + ":" + zone[3:]


def parse_published(value: object) -> str | None:
    """Normalise a publication date from any input field to ISO 8601, or ``None``.

    Accepts ISO 8601, RFC 2822 (feeds), Unix timestamps and the shapes of
    :data:`DATE_PATTERNS`. A value that names no full day is unknown, not guessed, and
    so is an impossible one (``2025-02-30``): this never raises.

    Timestamps are numbers (int or float) or strings of exactly 10 digits (seconds) or
    13 digits (milliseconds), the two shapes crawlers write; other digit strings are
    not read as timestamps. A number of magnitude above :data:`MILLISECONDS_ABOVE` is
    milliseconds. NaN, infinities and times outside the years 1 to 9999 are unknown.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{10}|\d{13}", text):
        return _from_epoch(int(text))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    found = find_date(text)
    return found[1] if found else None


MILLISECONDS_ABOVE = 1e11
"""A timestamp of larger magnitude is in milliseconds: 1e11 seconds is the year 5138,
1e11 milliseconds March 1973."""


def _from_epoch(value: float) -> str | None:
    """ISO 8601 (UTC) of a Unix timestamp in seconds or milliseconds, or ``None``."""
    millis = abs(value) > MILLISECONDS_ABOVE
    try:
        if isinstance(value, int) and millis:  # whole milliseconds stay exact
            whole, rest = divmod(value, 1000)
            moment = datetime.fromtimestamp(whole, tz=UTC) + timedelta(milliseconds=rest)
        elif math.isfinite(value):
            moment = datetime.fromtimestamp(value / 1000 if millis else value, tz=UTC)
        else:
            return None
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat()


_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


def normalise_url(url: str) -> str:
    """A canonical form for identity: lower-case scheme and host, no fragment, no tracking.

    A url that cannot be split (``http://[::1``, a port past 65535: what a crawler's record
    or an archive's target may hold) is its own canonical form, so it still names one
    article instead of failing the run."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower() or "http", host, path, query, ""))


def outlet_from_url(url: str | None) -> str | None:
    """The site's domain (``www.`` dropped): how outlets are named when nothing better is known."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:  # an unreadable url names no outlet
        return None
    host = host.removeprefix("www.")
    return host or None
