"""Calendar feeds: a calendar program must read each entry at the right local time, with
its page's address."""

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from kopiena.core.calendar import CalendarEntry, calendar_bytes

RIGA = ZoneInfo("Europe/Riga")


def test_entries_keep_riga_time_across_summer_time_and_carry_their_url(settings):
    settings.SITE_URL = "https://kopiena.example.lv"
    summer = dt.datetime(2027, 7, 10, 10, 0, tzinfo=RIGA)
    winter = dt.datetime(2027, 1, 10, 10, 0, tzinfo=RIGA)
    feed = Calendar.from_ical(
        calendar_bytes(
            "Talkas",
            [
                CalendarEntry(
                    uid="event-1", title="Vasaras talka", start=summer, end=None, url="/e/1/"
                ),
                CalendarEntry(
                    uid="event-2",
                    title="Ziemas svētki",
                    start=winter.astimezone(dt.UTC),
                    end=winter + dt.timedelta(hours=3),
                    url="https://kopiena.example.lv/e/2/",
                ),
            ],
        )
    )
    assert [tz["TZID"] for tz in feed.walk("VTIMEZONE")] == ["Europe/Riga"]
    events = feed.walk("VEVENT")
    assert [e["SUMMARY"] for e in events] == ["Vasaras talka", "Ziemas svētki"]
    assert (
        events[0].decoded("DTSTART") == summer
        and events[0]["DTSTART"].params["TZID"] == "Europe/Riga"
    )
    assert events[1].decoded("DTSTART").astimezone(RIGA).hour == 10
    assert [str(e["URL"]) for e in events] == [
        "https://kopiena.example.lv/e/1/",
        "https://kopiena.example.lv/e/2/",
    ]
    assert events[0]["UID"] == "event-1@kopiena.example.lv"
