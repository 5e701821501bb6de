"""The hostile corpus: odd and hostile source files made at test time (never committed as blobs).

Issue 19: a folder of such files, built alone and together with good files, must give every
hostile file a clear error or warning within the build's limits, build the good and the merely
odd ones (other encodings), and never let one file stop or kill the batch.

``make_hostile(folder)`` writes every kind into ``folder`` and returns the list of
:class:`Hostile` entries: the file's name (bytes when it is not valid UTF-8), what the build must
say about it (``error``, ``warning`` or ``built``) and a regular expression the message must match.
Everything is generated quickly (a few seconds in all): PDFs are written as bytes directly
(one shared content stream for the 50,000 pages), the zip bomb repeats one compressed block.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

GOOD_EN = ("Conference of the Parties to the United Nations Convention against Transnational "
           "Organized Crime\n\nProvisional agenda\n\n1. Opening of the session.\n"
           "2. Adoption of the agenda and organization of work.\n")
GOOD_ZH = "联合国打击跨国有组织犯罪公约缔约方会议\n\n临时议程\n\n1. 会议开幕。\n2. 通过议程和工作安排。\n"
GOOD_ZH_HANT = "聯合國打擊跨國有組織犯罪公約締約方會議\n\n臨時議程\n\n1. 會議開幕。\n2. 通過議程和工作安排。\n"
GOOD_JA = ("国際連合の締約国会議は、第十二回会期において、次の議題を採択することを決定した。\n\n仮議題\n\n"
           "1. 会期の開会について。\n2. 議題の採択及び作業の構成について。\n"
           "この報告書は、事務局長が総会に提出するものである。\n")
GOOD_FR = ("Conférence des Parties à la Convention des Nations Unies contre la criminalité "
           "transnationale organisée\n\nOrdre du jour provisoire\n\n1. Ouverture de la session.\n"
           "2. Adoption de l’ordre du jour et organisation des travaux — « débat ».\n")
GOOD_RU = ("Конференция участников Конвенции Организации Объединенных Наций против "
           "транснациональной организованной преступности\n\nПредварительная повестка дня\n\n"
           "1. Открытие сессии.\n2. Утверждение повестки дня и организация работы.\n")
GOOD_AR = ("مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية\n\n"
           "جدول الأعمال المؤقت\n\n1. افتتاح الدورة.\n2. إقرار جدول الأعمال وتنظيم الأعمال.\n")


@dataclass(frozen=True)
class Hostile:
    name: str | bytes  #: file name in the folder (bytes: not valid UTF-8)
    expect: str  #: "error", "warning" or "built"
    match: str  #: regular expression the error / warning must match (the encoding for "built")

    @property
    def display(self) -> str:
        """The name as the build reports it (undecodable bytes escaped)."""
        if isinstance(self.name, bytes):
            return self.name.decode("utf-8", "backslashreplace")
        return self.name


# --------------------------------------------------------------------------- PDF bytes


def pdf_bytes(pages: list[bytes] | None = None, *, n_pages: int | None = None, content: bytes = b"",
              encrypt: bool = False, font: bool = True, compress: bool = False) -> bytes:
    """A PDF written directly: one content stream per entry of ``pages``, or ``n_pages`` pages
    sharing the one stream ``content`` (fast for 50,000 pages). Type1 Helvetica, no fonts
    embedded. ``encrypt`` adds a standard security handler dictionary whose password is unknown."""
    objs: list[bytes] = []

    def obj(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = obj(b"")  # 1, filled in below
    pages_id = obj(b"")  # 2
    font_id = obj(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    streams = pages if pages is not None else [content]
    stream_ids = []
    for data in streams:
        if compress:
            data = zlib.compress(data, 6)
            stream_ids.append(obj(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
                                  + data + b"\nendstream"))
        else:
            stream_ids.append(obj(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))
    count = len(streams) if pages is not None else (n_pages or 1)
    res = b"<< /Font << /F1 %d 0 R >> >>" % font_id if font else b"<< >>"
    kids = []
    for i in range(count):
        sid = stream_ids[i] if pages is not None else stream_ids[0]
        kids.append(obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s "
                        b"/Contents %d 0 R >>" % (res, sid)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[pages_id - 1] = (b"<< /Type /Pages /Count %d /Kids [" % count
                          + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    enc_id = None
    if encrypt:
        enc_id = obj(b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <" + b"ab" * 32
                     + b"> /U <" + b"cd" * 32 + b"> >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if enc_id:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (enc_id, b"00" * 16, b"00" * 16)
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_stream(lines: list[str], size: int = 11) -> bytes:
    """A content stream that shows ``lines`` (ASCII) from the top of an A4 page down."""
    ops = [b"BT /F1 %d Tf 14 TL 72 770 Td" % size]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(%s) Tj T*" % esc.encode("latin-1"))
    ops.append(b"ET")
    return b"\n".join(ops)


def many_operators(n: int) -> bytes:
    """One page of ``n`` text-showing operators, each placed with its own matrix."""
    parts = [b"BT /F1 4 Tf"]
    for i in range(n):
        parts.append(b"1 0 0 1 %d %d Tm (w%d) Tj" % (20 + (i * 7) % 560, 20 + (i // 80) % 800, i % 10))
    parts.append(b"ET")
    return b"\n".join(parts)


# --------------------------------------------------------------------------- DOCX


def docx_bytes(document_xml: bytes) -> bytes:
    """A minimal Word package around ``document_xml``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                   'document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def zip_bomb_docx(path: Path, decompressed: int = 1 << 30) -> None:
    """A DOCX whose word/document.xml inflates to ``decompressed`` bytes of one paragraph's text
    (honest sizes in the headers), written from one compressed 1 MiB block repeated."""
    block = b"A" * (1 << 20)
    head = b'<?xml version="1.0"?><w:document ' + _W + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    n = max(1, (decompressed - len(head) - len(tail)) // len(block))
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head + block) + co.flush(zlib.Z_FULL_FLUSH)
    rep = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    co2 = zlib.compressobj(9, zlib.DEFLATED, -15)  # the same block again gives the same bytes
    co2.compress(block)
    co2.flush(zlib.Z_FULL_FLUSH)
    end = co.compress(tail) + co.flush()
    crc = zlib.crc32(head + block)
    for _ in range(n - 1):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * n + len(tail)
    comp = len(first) + len(rep) * (n - 1) + len(end)
    base = docx_bytes(b'<?xml version="1.0"?><w:document ' + _W + b"><w:body/></w:document>")
    with zipfile.ZipFile(io.BytesIO(base)) as z:  # the two package parts, then the bomb
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()
                 if i.filename != "word/document.xml"]
    with open(path, "wb") as fh:
        central = []
        for name, data in parts:
            off = fh.tell()
            c = zlib.compress(data)[2:-4]
            info = (name.encode(), zlib.crc32(data), len(c), len(data), off)
            fh.write(_local_header(*info[:4]) + c)
            central.append(info)
        off = fh.tell()
        name = b"word/document.xml"
        fh.write(_local_header(name, crc, comp, size))
        fh.write(first)
        for _ in range(n - 1):
            fh.write(rep)
        fh.write(end)
        central.append((name, crc, comp, size, off))
        cd = fh.tell()
        for name, crc_, c, s, o in central:
            fh.write(b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + b"\x00\x00" + (8).to_bytes(2, "little")
                     + b"\x00\x00\x00\x00" + crc_.to_bytes(4, "little") + c.to_bytes(4, "little")
                     + s.to_bytes(4, "little") + len(name).to_bytes(2, "little") + b"\x00" * 8
                     + b"\x00" * 4 + o.to_bytes(4, "little") + name)
        end_cd = fh.tell()
        fh.write(b"PK\x05\x06" + b"\x00" * 4 + len(central).to_bytes(2, "little") * 2
                 + (end_cd - cd).to_bytes(4, "little") + cd.to_bytes(4, "little") + b"\x00\x00")


def _local_header(name: bytes, crc: int, comp: int, size: int) -> bytes:
    return (b"PK\x03\x04" + (20).to_bytes(2, "little") + b"\x00\x00" + (8).to_bytes(2, "little")
            + b"\x00\x00\x00\x00" + crc.to_bytes(4, "little") + comp.to_bytes(4, "little")
            + size.to_bytes(4, "little") + len(name).to_bytes(2, "little") + b"\x00\x00" + name)


# --------------------------------------------------------------------------- the corpus


def good_pdf() -> bytes:
    lines = ["United Nations", "Conference of the Parties to the United Nations Convention",
             "against Transnational Organized Crime", "", "Provisional agenda", "",
             "1. Opening of the session.", "2. Adoption of the agenda and organization of work."]
    return pdf_bytes([text_stream(lines)])


def make_hostile(folder: Path, *, big_text_mb: int = 50, bomb_bytes: int = 1 << 30) -> list[Hostile]:
    """Write every hostile and odd file into ``folder`` (created); return what each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(19)
    out: list[Hostile] = []

    def put(name: str | bytes, data: bytes, expect: str, match: str) -> None:
        target = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
        with open(target, "wb") as fh:
            fh.write(data)
        out.append(Hostile(name, expect, match))

    good = good_pdf()
    # --- refused with a clear error (these already were before issue 19)
    put("empty.txt", b"", "error", "empty file")
    put("blank.md", b"  \n\n\t \n", "error", "no text")
    put("binary.txt", bytes(rnd.randrange(256) for _ in range(8192)), "error", "binary|encoding")
    put("undecodable.txt", bytes(rnd.randrange(128, 256) for _ in range(2000)), "error",
        "cannot decode the text with confidence; tried UTF-8, UTF-16")
    put("binary.pdf", b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(8192)), "error", "PDF")
    put("truncated.pdf", good[: len(good) // 2], "error", "PDF")
    put("encrypted.pdf", pdf_bytes([text_stream(["Secret"])], encrypt=True), "error", "password|encrypt|PDF")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("data.csv", "a,b\n1,2\n")
    put("renamed-zip.pdf", zbuf.getvalue(), "error", "PDF")
    put("renamed-zip.docx", zbuf.getvalue(), "error", "DOCX")
    put("not-a-zip.docx", b"This is plain text, not a Word document.\n", "error", "not a DOCX")
    put("truncated.docx", docx_bytes(b"<w:document " + _W + b"/>")[:300], "error", "DOCX")
    put("scanned.pdf", pdf_bytes([b"q 200 0 0 200 100 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"],
                                 font=False), "error", "no text")
    put("nul-bytes.txt", b"Provisional agenda\x00\x00\x00" * 400, "error", "binary")
    put("controls.txt", b"Agenda \x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f item" * 20, "error", "binary|control")
    put("html-without-text.html", b"<html><head><title></title></head><body><script>x()</script></body></html>",
        "error", "no text")
    put("invalid-utf16.txt", b"\xff\xfe" + b"\x00\xd8A\x00" * 200, "error", "UTF-16|encoding|decode")
    put("zero-width.txt", "\u200b\u200c\u200d\ufeff".encode() * 100, "warning", "no recognisable structure")
    put("xml-entity-bomb.docx", docx_bytes(
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
        b'<w:document ' + _W + b'><w:body><w:p><w:r><w:t>&f;&f;&f;&f;&f;&f;&f;&f;&f;</w:t></w:r></w:p>'
        b'</w:body></w:document>'), "error", "DOCX|entit|no text")
    put("lying-page-count.pdf", pdf_bytes([text_stream(["x"])]).replace(b"/Count 1 ", b"/Count 999999999 "),
        "error", "PDF|pages|no text")
    # --- over a limit (issue 19: each of these once stopped or killed the whole build)
    line = b"The Conference of the Parties took note of the report and decided to continue. \n"
    put("big-50mb.txt", line * (big_text_mb * (1 << 20) // len(line)), "error", r"over the .*limit")
    put("one-long-line.md", b"word " * (4 << 20), "error", r"over the .*limit")
    nested = b"<html><body>" + b"<ul><li>item " * 20000 + b"</li></ul>" * 20000 + b"</body></html>"
    put("nested-lists.html", nested, "error", r"over the .*nesting depth limit")
    put("nested-divs.html", b"<html><body>" + b"<div>x" * 20000 + b"</div>" * 20000 + b"</body></html>",
        "warning", "no recognisable structure")  # HTMLParser keeps no stack of divs: cheap
    put("text-operators.pdf", pdf_bytes([many_operators(200_000)], compress=True), "error",
        r"over the .*limit")
    # the same operators inside a form XObject: the page counts one object, so the objects-per-page
    # check does not see them; either the characters-per-page limit (when pdfium's text pass ends
    # in time) or the wall-time limit (the parent kills the worker at 60 s) stops it
    put("form-xobject-operators.pdf", form_xobject_pdf(many_operators(200_000)), "error",
        r"over the (60 s|[\d,]+ characters per page) limit at page 1")
    put("pages-50000.pdf", pdf_bytes(n_pages=50_000, content=text_stream(["Page of text"])), "error",
        r"over the .*pages limit")
    bomb = folder / "zip-bomb.docx"
    zip_bomb_docx(bomb, bomb_bytes)
    out.append(Hostile("zip-bomb.docx", "error", r"over the .*decompressed"))
    # --- odd names and things that are not regular files
    put(b"r\xe9solution-latin1-name.txt", GOOD_EN.encode(), "built", "utf_8|ascii")
    put("x" * 200 + ".txt", GOOD_EN.encode(), "built", "utf_8|ascii")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    out.append(Hostile("passwd.txt", "warning", r"symbolic link .*outside"))
    (folder / "x.pdf").mkdir()
    (folder / "x.pdf" / "inside.txt").write_text(GOOD_EN, encoding="utf-8")
    out.append(Hostile("x.pdf", "warning", r"folder"))
    out.append(Hostile("x.pdf/inside.txt", "built", "utf_8|ascii"))
    os.mkfifo(folder / "fifo.txt")
    out.append(Hostile("fifo.txt", "warning", r"not a regular file"))
    # --- two files with the same symbol and language (a copy of a golden case, one line more)
    dup = (Path(__file__).parent / "cases" / "en-ctoc-markdown" / "input.md").read_bytes()
    put("same-symbol-a.md", dup, "built", "utf_8")
    put("same-symbol-b.md", dup + b"\nAnnex\n", "error", r"not stored: .*same-symbol-a\.md has the same document symbol")
    # --- other encodings: decoded, built, the encoding recorded
    put("gb18030.txt", GOOD_ZH.encode("gb18030"), "built", "gb18030|gbk|gb2312")
    put("big5.txt", GOOD_ZH_HANT.encode("big5"), "built", "big5|cp950")
    put("latin1.txt", GOOD_FR.replace("’", "'").replace("—", "-").replace("«", '"').replace("»", '"')
        .encode("latin-1"), "built", "latin_1|iso8859|cp1252|cp1250")
    put("cp1252.txt", GOOD_FR.encode("cp1252"), "built", "cp1252|windows")
    put("utf16le-nobom.txt", GOOD_EN.encode("utf-16-le"), "built", "utf_16")
    put("utf16be-nobom.txt", GOOD_ZH.encode("utf-16-be"), "built", "utf_16")
    put("utf32-bom.txt", GOOD_RU.encode("utf-32"), "built", "utf_32")
    put("utf32le-nobom.txt", GOOD_AR.encode("utf-32-le"), "built", "utf_32")
    put("shift-jis.txt", GOOD_JA.encode("shift_jis"), "built", "shift_jis|cp932")
    put("cp1251.txt", GOOD_RU.encode("cp1251"), "built", "cp1251|koi8|mac_cyrillic|iso8859_5")
    put("cp1256.txt", GOOD_AR.encode("cp1256"), "built", "cp1256|iso8859_6")
    put("utf8-bom.txt", b"\xef\xbb\xbf" + GOOD_ZH.encode(), "built", "utf_8")
    return out


def form_xobject_pdf(content: bytes) -> bytes:
    """One page whose content only draws a form XObject holding ``content``: the page counts
    one object, the text pass still meets every operator inside the form."""
    data = zlib.compress(content, 6)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject "
            b"<< /X0 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length 8 >>\nstream\n/X0 Do\n\nendstream",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R"
            b" >> >> /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()
