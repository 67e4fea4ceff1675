"""Who may see and do what: the one place where access to documents is decided.

A document stamped ``Mật``, ``Tối mật`` or ``Tuyệt mật`` (its ``secrecy`` field, as read from the
scan or as marked by an editor) exists only for users cleared to that level: it is left out of
hits, facet counts, snippets, deadlines and feeds in SQL, and asking for it by id answers
``NotFound`` exactly as a missing id does. Front ends (pages, JSON API, calendar feed) read
documents only through ``Library``, which applies ``restriction`` to every query and writes the
audit entry for every view and download of a classified document. An unknown secrecy value
counts as the highest level (visible only to ``tuyet-mat``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pipeline.archive import Archive, Hit, SearchQuery, StoredDocument
from pipeline.archive.base import Filter, Match
from pipeline.types import SECRECIES, URGENCIES
from pipeline.web import catalog
from pipeline.web.catalog import DeadlineRow
from pipeline.web.store import WebStore

ROLES = ("reader", "editor", "admin")
CLEARANCES = ("none", "mat", "toi-mat", "tuyet-mat")  # levels 0..3: none, then SECRECIES in order
CLEARANCE_NAMES = {"none": "Không", "mat": "Mật", "toi-mat": "Tối mật", "tuyet-mat": "Tuyệt mật"}
ROLE_NAMES = {"reader": "Người đọc", "editor": "Biên tập viên", "admin": "Quản trị"}
SEARCH_WINDOW = 100  # documents ranked per search: total and facets are counted within them
PAGE_SIZE = 20
NONE = "none"  # facet choice: documents without the value


class NotFound(LookupError):
    """No such document, or one the viewer may not see: the same answer for both."""


@dataclass(frozen=True)
class Viewer:
    """A signed-in user as access decisions see them."""

    name: str
    role: str
    clearance: str

    @property
    def level(self) -> int:
        return CLEARANCES.index(self.clearance)

    @property
    def can_edit(self) -> bool:
        return self.role in ("editor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def secrecy_level(secrecy: str | None) -> int:
    """0 for an unclassified document, 1..3 for the stamps; anything else counts as the highest."""
    if secrecy is None:
        return 0
    return SECRECIES.index(secrecy) + 1 if secrecy in SECRECIES else len(SECRECIES)


def may_see(viewer: Viewer, secrecy: str | None) -> bool:
    return secrecy_level(secrecy) <= viewer.level


def restriction(viewer: Viewer, archive: Archive) -> Filter:
    """SQL condition on the document row ``d`` that holds exactly for what ``may_see`` allows."""
    if viewer.level >= len(SECRECIES):
        return Filter("TRUE", ())
    secrecy = catalog.json_field(archive, "secrecy")
    allowed = SECRECIES[: viewer.level]
    if not allowed:
        return Filter(f"{secrecy} IS NULL", ())
    return Filter(f"({secrecy} IS NULL OR {secrecy} IN ({', '.join([archive.ph] * len(allowed))}))", allowed)


@dataclass(frozen=True)
class SearchForm:
    """A search as the page and the API take it: query text plus facet choices."""

    q: str = ""
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    urgency: str | None = None  # "" picks documents without one
    secrecy: str | None = None  # "" picks unclassified documents
    deadlines: bool | None = None
    date_from: str | None = None
    date_to: str | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchForm:
        """The form from URL parameters (``q``, ``type``, ``issuer``, ``year``, ``urgency``,
        ``secrecy``, ``deadlines``, ``from``, ``to``, ``page``); ``NONE`` picks documents without
        the value. ValueError with the reason for a bad value."""

        def choice(name: str, allowed: tuple[str, ...]) -> str | None:
            value = params.get(name) or None
            if value is None or value == NONE:
                return "" if value == NONE else None
            if value not in allowed:
                raise ValueError(f"{name}: giá trị không hợp lệ {value!r}")
            return value

        year = params.get("year") or None
        if year is not None and not (year.isdigit() and 1900 <= int(year) <= 2200):
            raise ValueError(f"năm không hợp lệ: {year!r}")
        deadlines = params.get("deadlines") or None
        if deadlines not in (None, "yes", "no"):
            raise ValueError(f"deadlines: giá trị không hợp lệ {deadlines!r}")
        page = params.get("page") or "1"
        if not page.isdigit() or not 1 <= int(page) <= 10_000:
            raise ValueError(f"trang không hợp lệ: {page!r}")
        dates = {}
        for key in ("from", "to"):
            value = params.get(key) or None
            if value is not None:
                dates[key] = date.fromisoformat(value).isoformat()
        return cls(
            q=params.get("q", "")[:1000],
            doc_type=params.get("type") or None,
            issuer=params.get("issuer") or None,
            year=int(year) if year else None,
            urgency=choice("urgency", URGENCIES),
            secrecy=choice("secrecy", SECRECIES),
            deadlines=None if deadlines is None else deadlines == "yes",
            date_from=dates.get("from"),
            date_to=dates.get("to"),
            page=int(page),
        )


@dataclass
class SearchPage:
    form: SearchForm
    hits: list[Hit]
    total: int  # documents found (at most the window, or as far as the page asked for)
    capped: bool  # more may match than ``total``: the window was full
    facets: dict[str, Counter] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


class Library:
    """The documents of one archive as one viewer may see them; every front end reads through it."""

    def __init__(self, archive: Archive, store: WebStore) -> None:
        self.archive = archive
        self.store = store

    def search(self, viewer: Viewer, form: SearchForm, window: int = SEARCH_WINDOW) -> SearchPage:
        """One page of hits with the total and facet counts of what the viewer may see.
        Raises QueryError for a query that cannot be parsed, ValueError for a bad date."""
        access = restriction(viewer, self.archive)
        query = SearchQuery(
            text=form.q,
            doc_type=form.doc_type,
            date_from=f"{form.year:04d}-01-01" if form.year else form.date_from,
            date_to=f"{form.year:04d}-12-31" if form.year else form.date_to,
            limit=max(window, (form.page + 1) * PAGE_SIZE),  # paging past the window reads further
        )
        conditions = [access, *self._facet_conditions(form)]
        matches: list[Match] = self.archive.matches(query, conditions)
        start = (max(1, form.page) - 1) * PAGE_SIZE
        hits = self.archive.hits(query, matches[start : start + PAGE_SIZE])
        facets = catalog.facet_counts(self.archive, [m.doc_id for m in matches], access)
        return SearchPage(form, hits, len(matches), len(matches) >= query.limit, facets)

    def _facet_conditions(self, form: SearchForm) -> list[Filter]:
        out = []
        if form.issuer:
            out.append(catalog.column_is(self.archive, "issuer", form.issuer))
        if form.urgency is not None:
            out.append(catalog.field_is(self.archive, "urgency", form.urgency or None))
        if form.secrecy is not None:
            out.append(catalog.field_is(self.archive, "secrecy", form.secrecy or None))
        if form.deadlines is not None:
            out.append(catalog.has_deadlines(form.deadlines))
        return out

    def document(self, viewer: Viewer, doc_id: str | int, action: str | None = "view") -> StoredDocument:
        """The document, if the viewer may see it; NotFound otherwise. ``action`` ("view",
        "download:pdf", "page-image", ...) goes to the audit log when the document is classified."""
        try:
            doc = self.archive.get(str(doc_id))
        except KeyError:
            raise NotFound(str(doc_id)) from None
        if not may_see(viewer, doc.fields.secrecy):
            raise NotFound(str(doc_id))
        if action and doc.fields.secrecy is not None:
            self.store.audit(viewer.name, action, int(doc.id), doc.fields.secrecy)
        return doc

    def visible(self, viewer: Viewer, doc_id: int) -> bool:
        """Whether the viewer may see the document (no audit entry: nothing of it is shown)."""
        return doc_id in self.visible_ids(viewer, [doc_id])

    def visible_ids(self, viewer: Viewer, ids: list[int]) -> set[int]:
        """Those of ``ids`` the viewer may see."""
        return catalog.visible_ids(self.archive, restriction(viewer, self.archive), ids)

    def cited_by(self, viewer: Viewer, doc: StoredDocument, limit: int = 20) -> list[Hit]:
        """Visible documents that cite this one by its number/symbol (``225/KH-UBND``)."""
        f = doc.fields
        if not (f.number and f.symbol):
            return []
        query = SearchQuery(text=f'"{f.number}/{f.symbol}"', limit=limit + 1)
        matches = self.archive.matches(query, [restriction(viewer, self.archive)])
        return self.archive.hits(query, [m for m in matches if str(m.doc_id) != doc.id][:limit])

    def deadlines(
        self,
        viewer: Viewer,
        date_from: date,
        date_to: date,
        issuer: str | None = None,
        doc_type: str | None = None,
    ) -> list[DeadlineRow]:
        conditions = []
        if issuer:
            conditions.append(catalog.column_is(self.archive, "issuer", issuer))
        if doc_type:
            conditions.append(catalog.column_is(self.archive, "doc_type", doc_type))
        access = restriction(viewer, self.archive)
        return catalog.deadline_rows(self.archive, access, date_from.isoformat(), date_to.isoformat(), conditions)

    def facet_values(self, viewer: Viewer) -> dict[str, list[str]]:
        """Issuers and types of the visible documents, for the deadline filters' choices."""
        access = restriction(viewer, self.archive)
        return {c: catalog.distinct_values(self.archive, access, c) for c in ("issuer", "doc_type")}
