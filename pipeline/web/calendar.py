"""The per-user iCalendar feed of deadlines (RFC 5545): one all-day event per deadline.

Calendar applications keep what they fetch outside the archive, so an event of a classified
document says only that a classified document has a deadline that day, with a link; its
subject and sentence stay behind the sign-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from pipeline.web.catalog import DeadlineRow


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (never splitting a UTF-8 character)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def title(fields: dict) -> str:
    ref = "/".join(x for x in (fields.get("number"), fields.get("symbol")) if x)
    head = " ".join(x for x in (fields.get("doc_type"), ref) if x)
    return head or "Văn bản"


def ics_feed(rows: Sequence[DeadlineRow], base_url: str, user: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vanban//deadlines//VI", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(f'Hạn xử lý văn bản ({user})')}"]  # fmt: skip
    for row in rows:
        day = date.fromisoformat(row.date)
        url = f"{base_url}/documents/{row.doc_id}?deadline={row.index}#deadline-{row.index}"
        if row.fields.get("secrecy"):
            summary = f"Hạn xử lý: văn bản mật #{row.doc_id}"
            description = "Nội dung chỉ xem được sau khi đăng nhập."
        else:
            summary = f"Hạn xử lý: {title(row.fields)}"
            if row.fields.get("subject"):
                summary += f" – {row.fields['subject']}"
            description = row.text
        lines += [
            "BEGIN:VEVENT",
            f"UID:vanban-{row.doc_id}-{row.index}-{day:%Y%m%d}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
