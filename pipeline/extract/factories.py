"""One spaCy factory per extractor, each declaring the ``doc._`` attributes it reads and writes.

``config.cfg`` wires them by name; swap a component there for another factory that assigns the
same attributes. ``nlp.analyze_pipes()`` reports any component that requires an attribute no
earlier component assigns (a test keeps that list empty).
"""

from __future__ import annotations

from spacy.language import Language

from pipeline.extract.body import Deadlines, Recipients
from pipeline.extract.doc import attr
from pipeline.extract.footer import Cc, SignatureBlock
from pipeline.extract.header import DocType, HeaderEnd, Issuer, Marks, Number, PlaceDate, Subject
from pipeline.extract.normalise import Normalise
from pipeline.extract.references import References


def _attrs(*names: str) -> list[str]:
    return [attr(n) for n in names]


@Language.factory("vanban_regions", requires=["doc.spans"], assigns=_attrs("regions"))
def make_regions(nlp: Language, name: str) -> HeaderEnd:
    return HeaderEnd(nlp, name)


@Language.factory("vanban_number", requires=_attrs("regions"), assigns=_attrs("number", "symbol", "so_line"))
def make_number(nlp: Language, name: str) -> Number:
    return Number(nlp, name)


@Language.factory(
    "vanban_doc_type",
    requires=_attrs("regions", "so_line", "symbol"),
    assigns=_attrs("doc_type", "title_end", "symbol"),
)
def make_doc_type(nlp: Language, name: str) -> DocType:
    return DocType(nlp, name)


@Language.factory("vanban_place_date", requires=_attrs("regions"), assigns=_attrs("place", "date", "date_year"))
def make_place_date(nlp: Language, name: str) -> PlaceDate:
    return PlaceDate(nlp, name)


@Language.factory(
    "vanban_issuer",
    requires=_attrs("regions", "number", "symbol", "so_line", "place", "date", "title_end"),
    assigns=_attrs("issuer", "parent_issuer"),
    default_config={"max_header_lines": 8},
)
def make_issuer(nlp: Language, name: str, max_header_lines: int) -> Issuer:
    return Issuer(nlp, name, max_header_lines)


@Language.factory(
    "vanban_normalise",
    requires=_attrs("place", "issuer", "parent_issuer", "date", "date_year", "symbol"),
    assigns=_attrs("place", "issuer", "place_unit", "issuer_unit", "symbol"),
)
def make_normalise(nlp: Language, name: str) -> Normalise:
    return Normalise(nlp, name)


@Language.factory(
    "vanban_subject", requires=_attrs("title_end"), assigns=_attrs("subject"), default_config={"max_lines": 6}
)
def make_subject(nlp: Language, name: str, max_lines: int) -> Subject:
    return Subject(nlp, name, max_lines)


@Language.factory("vanban_recipients", assigns=_attrs("recipients"), default_config={"max_items": 40})
def make_recipients(nlp: Language, name: str, max_items: int) -> Recipients:
    return Recipients(nlp, name, max_items)


@Language.factory("vanban_cc", assigns=_attrs("cc"), default_config={"max_items": 30})
def make_cc(nlp: Language, name: str, max_items: int) -> Cc:
    return Cc(nlp, name, max_items)


@Language.factory("vanban_references", requires=_attrs("so_line", "subject"), assigns=_attrs("references"))
def make_references(nlp: Language, name: str) -> References:
    return References(nlp, name)


@Language.factory(
    "vanban_deadlines", requires=_attrs("date_year"), assigns=_attrs("deadlines"), default_config={"window": 80}
)
def make_deadlines(nlp: Language, name: str, window: int) -> Deadlines:
    return Deadlines(nlp, name, window)


@Language.factory("vanban_signer", requires=_attrs("regions"), assigns=_attrs("signer"))
def make_signer(nlp: Language, name: str) -> SignatureBlock:
    return SignatureBlock(nlp, name)


@Language.factory("vanban_marks", assigns=_attrs("urgency", "secrecy"))
def make_marks(nlp: Language, name: str) -> Marks:
    return Marks(nlp, name)
