"""Bytes to text: encoding detection, binary detection, Unicode repair.

Input files come from anywhere: UTF-8 with or without BOM, Windows-1252/Latin-1 exports,
UTF-16 from Windows tools, and now and then a PDF or an image with a wrong extension.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer


class NotText(ValueError):
    """The bytes are not a text document (binary data)."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters other than tab, newline, carriage return and form feed: a text with
# many of them is binary data that happened to decode.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PUNCT = frozenset(".,;:!?'\"()[]{}-–—‘’“”…/&%$#@*+=<>|_~`^\\«»·•°§€£")
# Single-byte encodings that charset-normalizer may propose for non-Western text; any
# other guess for a file that is not UTF-8 is usually a Western file, read as cp1252.
# (Central European guesses such as cp1250 are left out on purpose: charset-normalizer
# proposes them for plain Latin-1 English, turning "Señor" into "Seńor".)
_TRUSTED_GUESSES = {
    "cp1251", "cp1253", "cp1255", "cp1256", "koi8_r", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "mac_cyrillic",
    "big5", "gb2312", "gb18030", "shift_jis", "euc_jp", "euc_kr", "cp949", "cp932",
    "utf_16", "utf_32",
}


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a document; return (text, encoding). Raises NotText for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in data[:8192]:
        encoding = _utf16_without_bom(data[:8192])
        if encoding is None:
            raise NotText("binary file (contains NUL bytes)")
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise NotText("binary file (mostly non-text characters)")
    # Random bytes decode as cp1252 without control characters; real text is mostly
    # letters, digits, spaces and ordinary punctuation in any script.
    ordinary = sum(c.isalnum() or c.isspace() or c in _PUNCT for c in sample)
    if sample and ordinary < 0.75 * len(sample):
        raise NotText("binary file (mostly non-text characters)")
    # In Western text read as cp1252, accented letters are a small minority.
    if encoding == "cp1252" and sum(c > "\x7f" for c in sample) > 0.3 * len(sample):
        raise NotText("binary file (mostly non-text bytes)")
    return text, encoding


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 that a tool wrote without its byte order mark: in text that is mostly Latin
    script every other byte is NUL, on one side only (odd bytes little-endian, even big)."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.4 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.4 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding in _TRUSTED_GUESSES:
        return data.decode(best.encoding, errors="replace"), best.encoding
    return decode_cp1252(data), "cp1252"


def decode_cp1252(data: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined read as Latin-1."""
    table = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1").translate(table)


# ---------------------------------------------------------------------------
# Unicode repair
# ---------------------------------------------------------------------------

# UTF-8 read as cp1252 ("â€™" for "’", "Ã©" for "é"): a lead byte à-ô followed by one to
# three continuation bytes as cp1252 shows them. U+FFFD stands for a byte cp1252 lacks.
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
        "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030" \
        "\u2039\u203a\u20ac\u2122\ufffd"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")
# cp1252 leaves these bytes undefined; in UTF-8 quotes ("\u201d" = E2 80 9D) 0x9D is the
# one that gets lost most often, so it is tried first.
_UNDEFINED_BYTES = (0x9D, 0x81, 0x8D, 0x8F, 0x90)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252, where the result is unambiguous."""
    if not _MOJIBAKE.search(text):
        return text
    return _MOJIBAKE.sub(_redecode, text)


def _redecode(match: re.Match[str]) -> str:
    s = match.group(0)
    candidates = [s] if "\ufffd" not in s else [
        s.replace("\ufffd", chr(b)) for b in _UNDEFINED_BYTES
    ]
    for cand in candidates:
        raw = bytearray()
        for ch in cand:
            if ord(ch) < 0x100:
                raw.append(ord(ch))
            else:
                raw += ch.encode("cp1252", errors="ignore")
        try:
            fixed = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(fixed) == 1:  # one well-formed character, else it was real text
            return fixed
    return s


def normalise_text(text: str) -> str:
    """NFC, repaired mojibake, unified line ends, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fix_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    # Non-breaking and zero-width spaces break tokenisation and line tests.
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
