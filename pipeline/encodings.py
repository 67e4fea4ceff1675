"""Text files in the encodings Vietnamese offices have used: UTF-8/16, Windows-1258, TCVN3, VNI.

Every command that reads text (restore, fields, export) reads it through ``read_text`` here.
Legacy files carry no label, so the encoding is chosen by decoding the bytes every plausible way and
keeping the reading whose words look most like Vietnamese syllables; bytes that no reading makes
Vietnamese of are refused rather than guessed. The TCVN3 and VNI tables are written from their
published definitions (TCVN 5712:1993 VN3; the VNI-Windows font layout).
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.errors import InputError
from pipeline.vietnamese import nfc

__all__ = ["DecodeError", "TextFile", "decode_text", "encode_text", "read_text", "ENCODINGS", "STDIN"]

STDIN = "-"  # the file name that means standard input

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni")


class DecodeError(InputError):
    """Bytes that are not text in any encoding we know; the message is the one-line reason."""


# --- TCVN3 (ABC): TCVN 5712:1993, table VN3 ------------------------------------------------------------
# Bytes 0xA0..0xFF. VN3 keeps only the capitals Ă Â Ê Ô Ơ Ư Đ; the other toned capitals of VN1 sit in
# slots VN3 fonts leave unused, so decoding them as VN1 costs nothing. 0xB0..0xB4 are combining tones.
_TCVN3_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # A0..AF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # B0..BF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # C0..CF
    "éẹềểễếệìỉỄẾỒĩíịò"  # D0..DF
    "Ổỏõóọồổỗốộờởỡớợù"  # E0..EF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # F0..FF
)
assert len(_TCVN3_HIGH) == 96
# 0x80..0x9F: VN3 text saved on Windows keeps the Windows-1252 punctuation there (curly quotes, dashes).
_CP1252_C1 = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
_TCVN3_DECODE = {i: chr(i) for i in range(0x80)}
_TCVN3_DECODE.update({0x80 + i: ch for i, ch in enumerate(_CP1252_C1) if ch != "\ufffd"})
_TCVN3_DECODE.update({0xA0 + i: ch for i, ch in enumerate(_TCVN3_HIGH)})
_TCVN3_ENCODE = {ch: bytes([b]) for b, ch in _TCVN3_DECODE.items() if b >= 0x80 and ch not in _TCVN3_HIGH[16:21]}


# --- VNI-Windows: base letter + mark byte, read through Windows-1252 ------------------------------------
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # none, grave, acute, hook, tilde, dot
_VNI_TONE = ("", "ø", "ù", "û", "õ", "ï")
_VNI_CIRC = ("â", "à", "á", "å", "ã", "ä")  # â ê ô with each tone
_VNI_BREVE = ("ê", "è", "é", "ú", "ü", "ë")  # ă with each tone
_VNI_I = ("i", "ì", "í", "æ", "ó", "ò")


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {"đ": "ñ"}
    bases = {
        "a": ("a", _VNI_TONE), "ă": ("a", _VNI_BREVE), "â": ("a", _VNI_CIRC),
        "e": ("e", _VNI_TONE), "ê": ("e", _VNI_CIRC), "o": ("o", _VNI_TONE), "ô": ("o", _VNI_CIRC),
        "ơ": ("ô", _VNI_TONE), "u": ("u", _VNI_TONE), "ư": ("ö", _VNI_TONE), "y": ("y", _VNI_TONE),
    }  # fmt: skip
    for base, (lead, marks) in bases.items():
        for tone, mark in zip(_TONES, marks, strict=True):
            table[unicodedata.normalize("NFC", base + tone)] = lead + mark
    for tone, mark in zip(_TONES, _VNI_I, strict=True):
        table[unicodedata.normalize("NFC", "i" + tone)] = mark
    table["ỵ"] = "î"
    for ch, code in list(table.items()):
        table[ch.upper()] = code.upper()
    return {ch: code for ch, code in table.items() if code != ch}


_VNI_ENCODE = _vni_table()
# Decoding: a mark's case follows the typist's Caps Lock, not the letter's, so accept both cases and take
# the case of the base letter.
_VNI_DECODE: dict[str, str] = {}
for _ch, _code in _VNI_ENCODE.items():
    for _variant in {_code, _code[:-1] + _code[-1].swapcase()} if len(_code) == 2 else {_code}:
        _VNI_DECODE.setdefault(_variant, _ch)
_VNI_RE = regex.compile("|".join(regex.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True)))


# --- Scoring a reading ----------------------------------------------------------------------------------
_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_NUCLEUS = (
    r"(?:uyê|uya|uyu|uây|uôi|ươi|ươu|iêu|yêu|oai|oay|oeo|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    r"a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)"
)
_SYLLABLE_RE = regex.compile(rf"^{_INITIAL}{_NUCLEUS}(?:ch|ng|nh|c|m|n|p|t)?$")
_TONE_MARKS = set(_TONES[1:])
_WORD_RE = regex.compile(r"\p{L}+")


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelt as a Vietnamese syllable can be (one initial, nucleus, final, one tone)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return bool(_SYLLABLE_RE.match(base))


def _score(text: str) -> float:
    """Higher for readings whose non-ASCII words are Vietnamese syllables; stray symbols cost."""
    good = bad = 0
    for word in _WORD_RE.findall(text):
        if word.isascii():
            continue
        if is_syllable(word):
            good += 1
        else:
            bad += 1
    stray = sum(1 for ch in text if ord(ch) >= 0x80 and not ch.isalpha() and ch not in "–—‘’“”…•·«»°\u00a0")
    stray += text.count("\ufffd") * 5
    return good - 2 * bad - stray


# --- Decoders ---------------------------------------------------------------------------------------
def _decode_tcvn3(data: bytes) -> str:
    text = "".join(_TCVN3_DECODE.get(b, "\ufffd") for b in data)
    return _recase(nfc(text))


def _decode_vni(data: bytes) -> str:
    latin = "".join(
        ch if ch != "\ufffd" else chr(b) for b, ch in zip(data, data.decode("cp1252", errors="replace"), strict=True)
    )
    return _recase(nfc(_VNI_RE.sub(lambda m: _VNI_DECODE[m.group()], latin)))


def _decode_cp1258(data: bytes) -> str:
    return nfc(data.decode("cp1258", errors="replace"))


_CAPS_WORD_RE = regex.compile(r"\p{L}+")
_SENTENCE_START_RE = regex.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\n))(\p{Ll})(?=\p{Ll}*\b)", regex.M)


def _recase(text: str) -> str:
    """TCVN3 fonts have no toned capitals: typists set capitals in a separate font over the lower-case
    codes. Restore upper case inside all-capital words and for a toned letter that starts a line or
    sentence (where the typist could not have meant lower case)."""

    def caps(m: regex.Match) -> str:
        word = m.group()
        others = [ch for ch in word[1:] if ch.isascii()]  # "Số" alone cannot tell; "KIếN" can
        if others and all(ch.isupper() for ch in others) and not word.isupper():
            return word.upper()
        return word

    text = _CAPS_WORD_RE.sub(caps, text)
    return _SENTENCE_START_RE.sub(lambda m: m.group(1).upper() if not m.group(1).isascii() else m.group(1), text)


def _looks_utf16(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    """A file that says what it is (a byte-order mark) must be that all through."""
    try:
        return nfc(data.decode(codec)), name
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{name} text (byte-order mark) with an invalid byte at offset {exc.start}") from None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file of unknown encoding; return (NFC text, encoding name).

    Names: utf-8, utf-8-sig, utf-16-le, utf-16-be, cp1258, tcvn3, vni. Raises DecodeError for binary
    data and for bytes that are not UTF-8 and that no legacy reading makes Vietnamese of.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[2:], name, name)
    if name := _looks_utf16(data):
        try:
            return nfc(data.decode(name)), name
        except UnicodeDecodeError:
            pass  # NULs in every other byte, but not UTF-16 after all
    if b"\x00" in data:
        raise DecodeError("binary data, not a text file (it contains NUL bytes)")
    try:
        return nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        offset = exc.start
    readings = [(name, decode(data)) for name, decode in _LEGACY]
    best = max(readings, key=lambda r: _score(r[1]))  # max keeps the first of equals: cp1258 first
    if _score(best[1]) < 0:
        raise DecodeError(
            f"not UTF-8 text (invalid byte at offset {offset}), and no reading as Windows-1258, TCVN3 "
            "or VNI looks like Vietnamese"
        )
    return best[1], best[0]


@dataclass(frozen=True)
class TextFile:
    text: str  # NFC
    encoding: str  # as ``decode_text`` names it
    data: bytes  # the bytes decoded: a hash of the file is a hash of these


def read_text(name: str | Path) -> TextFile:
    """A text file (or standard input for ``-``) decoded; DecodeError (an InputError) naming the file
    and the reason when it cannot be read as text."""
    try:
        if str(name) == STDIN:
            data = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if path.is_dir():
                raise DecodeError(f"{name}: is a folder, not a text file")
            data = path.read_bytes()
    except FileNotFoundError:
        raise DecodeError(f"{name}: no such file") from None
    except OSError as exc:
        raise DecodeError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        raise DecodeError(f"{'<stdin>' if str(name) == STDIN else name}: {exc}") from None
    return TextFile(text, encoding, data)


_LEGACY = (("cp1258", _decode_cp1258), ("tcvn3", _decode_tcvn3), ("vni", _decode_vni))


# --- Encoders, for producing legacy files (tests, round trips) ------------------------------------------
def _encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def _encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out += ch.encode("ascii")
        elif ch in _TCVN3_ENCODE:
            out += _TCVN3_ENCODE[ch]
        elif ch.lower() in _TCVN3_ENCODE:  # toned capital: VN3 has none, the caps font uses the lower code
            out += _TCVN3_ENCODE[ch.lower()]
        else:
            raise UnicodeEncodeError("tcvn3", ch, 0, 1, "not in TCVN3")
    return bytes(out)


def _encode_vni(text: str) -> bytes:
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


def encode_text(text: str, encoding: str) -> bytes:
    """Encode ``text`` as a legacy Vietnamese file would hold it (the inverse of ``decode_text``)."""
    if encoding == "tcvn3":
        return _encode_tcvn3(text)
    if encoding == "vni":
        return _encode_vni(text)
    if encoding == "cp1258":
        return _encode_cp1258(text)
    return text.encode(encoding)
