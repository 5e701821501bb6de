"""Bytes of a text source -> text, with the encoding it was written in (issue 19).

UN texts come in UTF-8 mostly, but also in GB18030 / GBK / GB2312 and Big5 (Chinese), Windows-1252
or Latin-1 (English, French, Spanish), Windows-1251 / KOI8-R (Russian), Windows-1256 (Arabic),
Shift-JIS, and UTF-16 or UTF-32 with or without a byte-order mark. The order of the tests:

1. a byte-order mark names the encoding (UTF-32 before UTF-16: FF FE 00 00 starts with FF FE);
2. valid UTF-8 is UTF-8 (fast, and what every existing source is: their output is unchanged);
3. NUL bytes in the pattern of UTF-16 or UTF-32 text (every second or fourth byte) mean that
   encoding without a mark; other NUL bytes mean a binary file;
4. otherwise charset-normalizer (a maintained detector, no model files) chooses among every
   codec Python has, by how readable the decoded text is; no readable candidate is an error
   that names what was tried.

The encoding is returned as Python's codec name (``gb18030``, ``big5``, ``cp1252``, ``utf_16_le``)
and recorded in the source graph's provenance (``un:sourceEncoding``) when it is not UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from .source import IngestError

UTF8 = "utf_8"
_BOMS = ((codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"),
         (codecs.BOM_UTF8, UTF8), (codecs.BOM_UTF16_LE, "utf_16_le"),
         (codecs.BOM_UTF16_BE, "utf_16_be"))
_SAMPLE = 1 << 16
#: the detector's verdict is accepted up to this share of "mess" (odd characters) in the text
_MAX_CHAOS = 0.2
TRIED = ("UTF-8, UTF-16 and UTF-32 (with and without a byte-order mark) and every codec "
         "charset-normalizer knows, among them GB18030/GBK/GB2312, Big5, Shift-JIS, EUC-JP, "
         "Windows-1250..1258, ISO-8859-1..16, KOI8-R")


def decode_text(path: str | Path, data: bytes) -> tuple[str, str]:
    """(text, codec name) of a text file's bytes; IngestError when it is not text or no
    encoding reads it with confidence."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strict(path, data[len(bom):], enc), enc
    nul = data.find(b"\x00", 0, _SAMPLE)
    if nul < 0:
        try:
            return data.decode("utf-8"), UTF8
        except UnicodeDecodeError:
            pass
    else:
        enc = _wide_without_bom(data[:_SAMPLE])
        if enc is None:
            raise IngestError(path, f"binary file (a NUL byte at byte {nul:,}); expected text")
        return _strict(path, data, enc), enc
    best = from_bytes(data, threshold=_MAX_CHAOS).best()
    if best is None:
        raise IngestError(path, f"cannot decode the text with confidence; tried {TRIED}; "
                                "expected a text file (save it as UTF-8)")
    enc = codecs.lookup(best.encoding).name.replace("-", "_")
    return _strict(path, data, enc), enc


def _strict(path: str | Path, data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise IngestError(path, f"unreadable {enc} text at byte {e.start:,} "
                                f"({e.reason}); expected valid {enc} throughout") from None


def _wide_without_bom(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE/BE) when the NUL bytes of ``sample`` fall where that encoding puts
    them for text mostly below U+0100 (ASCII, Latin) or in the BMP (CJK has fewer NULs: then
    the decoded text must simply be valid and free of control characters)."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    s = sample[:n]
    for enc, zeros in (("utf_32_le", (2, 3)), ("utf_32_be", (0, 1))):
        if all(s[i + z] == 0 for i in range(0, n, 4) for z in zeros) and _is_text(s, enc):
            return enc
    even = s[0::2].count(0) / (n / 2)
    odd = s[1::2].count(0) / (n / 2)
    for enc, share in (("utf_16_le", odd - even), ("utf_16_be", even - odd)):
        if share > 0.1 and _is_text(s, enc):
            return enc
    return None


def _is_text(sample: bytes, enc: str) -> bool:
    try:  # incremental: the sample may end inside a character
        text = codecs.getincrementaldecoder(enc)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)
