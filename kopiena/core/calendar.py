"""iCalendar feeds (RFC 5545) for every calendar the platform shows: events, meetings,
rooms, budget phases.

Each event carries its time zone (a VTIMEZONE for Europe/Riga, generated from the zone
database by `icalendar`, so summer time is right in any calendar program) and the URL of
its page; a feed is served as `text/calendar` with a file name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a feed. `uid` must be stable for the same thing (e.g. "event-12"), so a
    calendar program updates the entry instead of adding a copy; `url` is the page's path or
    address (a path is made absolute with SITE_URL)."""

    uid: str
    title: str
    start: datetime | date
    end: datetime | date | None
    url: str
    description: str = ""
    location: str = ""
    cancelled: bool = False
    updated: datetime | None = None


def _absolute(url: str) -> str:
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def calendar_bytes(name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """The feed as iCalendar bytes: entries' times in the site's time zone, with its
    VTIMEZONE, each with its URL."""
    zone = ZoneInfo(settings.TIME_ZONE)
    feed = Calendar()
    feed.add("prodid", "-//Kopiena//kopiena.lv//LV")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", settings.TIME_ZONE)
    # Transitions from a few years back: enough for every entry a feed holds, and small.
    first = date(timezone.localdate().year - 5, 1, 1)
    feed.add_component(Timezone.from_tzinfo(zone, first_date=first, last_date=date(2038, 1, 1)))
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    stamp = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        for key, value in (("dtstart", entry.start), ("dtend", entry.end)):
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.astimezone(zone)
            event.add(key, value)
        event.add("summary", entry.title)
        event.add("url", _absolute(entry.url))
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        if entry.cancelled:
            event.add("status", "CANCELLED")
        if entry.updated:
            event.add("last-modified", entry.updated)
        feed.add_component(event)
    return feed.to_ical()


def calendar_response(
    name: str, entries: Iterable[CalendarEntry], *, filename: str
) -> HttpResponse:
    """A feed for calendar programs to subscribe to (or a file to open for one event)."""
    response = HttpResponse(
        calendar_bytes(name, entries), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
