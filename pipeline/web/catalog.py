"""SQL the web needs beyond the archive's search: facet counts, deadlines, conditions on fields.

Every function takes the viewer's access condition (``access.restriction``) as a required
argument and applies it in SQL; only ``access.Library`` calls them, so no page, count or feed can
be built without it. Fields that have no column of their own (urgency, secrecy, deadlines) are
read from the stored fields JSON with the backend's JSON functions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.archive import Archive
from pipeline.archive.base import Filter, where

FACETS = ("doc_type", "issuer", "year", "urgency", "secrecy", "deadlines")

# A value of the fields JSON of document ``d`` (``{key}``), and the rows of its deadlines list as ``j``.
_JSON = {
    "sqlite": ("json_extract(d.fields, '$.{key}')", "json_each(d.fields, '$.deadlines') j",
               "json_extract(j.value, '$.{key}')"),
    "postgresql": ("(d.fields::json ->> '{key}')", "LATERAL json_array_elements(d.fields::json -> 'deadlines') j",
                   "(j ->> '{key}')"),
}  # fmt: skip


def json_field(archive: Archive, key: str) -> str:
    """SQL for a top-level string field of the document row ``d``'s fields JSON."""
    return _JSON[archive.backend][0].format(key=key)


def field_is(archive: Archive, key: str, value: str | None) -> Filter:
    """The document's JSON field equals ``value`` (None: has no such value)."""
    if value is None:
        return Filter(f"{json_field(archive, key)} IS NULL", ())
    return Filter(f"{json_field(archive, key)} = {archive.ph}", (value,))


def column_is(archive: Archive, column: str, value: str) -> Filter:
    assert column in ("issuer", "doc_type")
    return Filter(f"d.{column} = {archive.ph}", (value,))


def distinct_values(archive: Archive, access: Filter, column: str) -> list[str]:
    """The values of a document column among the documents the viewer may see."""
    assert column in ("issuer", "doc_type")
    cond, params = where([access])
    sql = f"SELECT DISTINCT d.{column} FROM documents d WHERE d.{column} IS NOT NULL{cond} ORDER BY 1"
    return [r[0] for r in archive.conn.execute(sql, params).fetchall()]


def visible_ids(archive: Archive, access: Filter, ids: Sequence[int]) -> set[int]:
    """Those of the document ids that exist and pass the access condition."""
    if not ids:
        return set()
    cond, params = where([access])
    sql = f"SELECT d.id FROM documents d WHERE d.id IN ({', '.join([archive.ph] * len(ids))}){cond}"
    return {int(r[0]) for r in archive.conn.execute(sql, (*ids, *params)).fetchall()}


def has_deadlines(value: bool) -> Filter:
    return Filter(f"d.deadline_min IS {'NOT ' if value else ''}NULL", ())


def facet_counts(archive: Archive, ids: Sequence[int], access: Filter) -> dict[str, Counter]:
    """How many of the documents ``ids`` (those the viewer may see) fall under each facet value."""
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    if not ids:
        return counts
    cond, params = where([access])
    sql = (
        f"SELECT d.doc_type, d.issuer, substr(d.date, 1, 4), {json_field(archive, 'urgency')}, "
        f"{json_field(archive, 'secrecy')}, d.deadline_min IS NOT NULL FROM documents d "
        f"WHERE d.id IN ({', '.join([archive.ph] * len(ids))}){cond}"
    )
    for doc_type, issuer, year, urgency, secrecy, deadlines in archive.conn.execute(sql, (*ids, *params)):
        for name, value in zip(FACETS, (doc_type, issuer, year, urgency, secrecy, bool(deadlines)), strict=True):
            counts[name][value] += 1
    return counts


@dataclass(frozen=True)
class DeadlineRow:
    doc_id: int
    index: int  # position in the document's deadlines list
    date: str  # ISO
    text: str  # the sentence that sets it
    fields: dict[str, Any]


def deadline_rows(
    archive: Archive,
    access: Filter,
    date_from: str,
    date_to: str,
    conditions: Sequence[Filter] = (),
    limit: int = 500,
) -> list[DeadlineRow]:
    """Deadlines from ``date_from`` to ``date_to`` (inclusive, ISO) of the documents passing the
    conditions and the viewer's access, soonest first."""
    _, items, item = _JSON[archive.backend]
    cond, params = where([access, *conditions])
    day = item.format(key="date")
    sql = (
        f"SELECT d.id, d.fields, {day} FROM documents d, {items} "
        f"WHERE d.deadline_min IS NOT NULL AND d.deadline_min <= {archive.ph} "
        f"AND {day} >= {archive.ph} AND {day} <= {archive.ph}{cond} ORDER BY {day}, d.id LIMIT {archive.ph}"
    )
    rows = archive.conn.execute(sql, (date_to, date_from, date_to, *params, limit)).fetchall()
    out = []
    for doc_id, fields_text, day_value in rows:
        fields = json.loads(fields_text)
        for index, deadline in enumerate(fields.get("deadlines") or []):
            if deadline.get("date") == day_value:
                out.append(DeadlineRow(int(doc_id), index, day_value, deadline.get("text") or "", fields))
    # a document with two deadlines on one day comes back twice from SQL and yields both each time
    return list({(r.doc_id, r.index): r for r in out}.values())
