"""Text sources in every encoding UN texts come in (issue 19): decoded, the encoding named,
and an undecodable text refused with the encodings that were tried."""

from __future__ import annotations

import pytest
from hostile_corpus import (
    GOOD_AR,
    GOOD_EN,
    GOOD_FR,
    GOOD_JA,
    GOOD_RU,
    GOOD_ZH,
    GOOD_ZH_HANT,
)

from mandategraph.ingest.limits import MB, Limits, build_limits
from mandategraph.ingest.load import load_source
from mandategraph.ingest.source import IngestError
from mandategraph.ingest.textcodec import decode_text

CASES = [
    (GOOD_EN, "utf-8", "utf_8"), (GOOD_ZH, "utf-8", "utf_8"), (GOOD_ZH, "utf-8-sig", "utf_8"),
    (GOOD_ZH, "gb18030", "gb18030"), (GOOD_ZH, "gbk", "gb18030|gbk|gb2312"),
    (GOOD_ZH, "gb2312", "gb18030|gbk|gb2312"), (GOOD_ZH_HANT, "big5", "big5|cp950|big5hkscs"),
    (GOOD_JA, "shift_jis", "shift_jis|cp932"), (GOOD_JA, "euc_jp", "euc_jp|euc_jis_2004"),
    (GOOD_FR, "cp1252", "cp1252"), (GOOD_RU, "cp1251", "cp1251"), (GOOD_RU, "koi8_r", "koi8_r"),
    (GOOD_AR, "cp1256", "cp1256"),
    (GOOD_EN, "utf-16", "utf_16_le"), (GOOD_ZH, "utf-16-be", "utf_16_be"),
    (GOOD_EN, "utf-16-le", "utf_16_le"), (GOOD_RU, "utf-32", "utf_32_le"),
    (GOOD_AR, "utf-32-le", "utf_32_le"), (GOOD_EN, "utf-32-be", "utf_32_be"),
]


@pytest.mark.parametrize(("text", "codec", "expect"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_every_encoding_decodes_to_the_text(text: str, codec: str, expect: str) -> None:
    got, enc = decode_text("x.txt", text.encode(codec))
    assert got.lstrip("\ufeff") == text
    assert enc in expect.split("|"), f"{codec}: detected as {enc}"


def test_latin1_french_reads_as_a_western_codec() -> None:
    text = GOOD_FR.replace("’", "'").replace("—", "-").replace("«", '"').replace("»", '"')
    got, enc = decode_text("x.txt", text.encode("latin-1"))
    assert got == text and enc in ("cp1252", "latin_1", "iso8859_15")


def test_undecodable_names_the_encodings_tried() -> None:
    with pytest.raises(IngestError) as err:
        decode_text("odd.txt", bytes(range(128, 256)) * 8)
    msg = str(err.value)
    assert msg.startswith("odd.txt: cannot decode") and "GB18030" in msg and "Big5" in msg
    assert "UTF-16" in msg and "expected" in msg


def test_nul_bytes_that_are_not_utf16_are_binary() -> None:
    with pytest.raises(IngestError, match="binary file .a NUL byte at byte 5"):
        decode_text("b.txt", b"Hello\x00\x00\x00\x00world" * 10)


def test_the_source_carries_its_encoding(tmp_path) -> None:
    p = tmp_path / "zh.txt"
    p.write_bytes(GOOD_ZH.encode("gb18030"))
    src = load_source(p)
    assert src.encoding == "gb18030" and src.language == "zh" and "临时议程" in src.norm
    html = tmp_path / "b.html"
    html.write_bytes(f"<html><body><p>{GOOD_ZH_HANT}</p></body></html>".encode("big5"))
    assert load_source(html).encoding in ("big5", "cp950")


def test_limits_from_settings_and_options(tmp_path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text('[build.limits]\nseconds = 120\nmemory = "2G"\npages = false\n', encoding="utf-8")
    lim = build_limits(cfg, max_memory="800M", max_depth=None)
    assert (lim.seconds, lim.memory, lim.pages, lim.depth) == (120.0, 800 * MB, None, Limits().depth)
    assert build_limits(off=True) == Limits.off()
    cfg.write_text('[build.limits]\nspeed = 1\n', encoding="utf-8")
    with pytest.raises(ValueError, match="speed: unknown limit"):
        build_limits(cfg)
    with pytest.raises(ValueError, match="memory: 'lots' is not a number or a size"):
        build_limits(None, max_memory="lots")
