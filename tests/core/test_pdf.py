import io

import pytest
from pypdf import PdfReader

from purchase_portal.pdf import render_pdf, sha256_hex


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def test_pdf_renders_chinese_with_the_bundled_font_embedded():
    data = render_pdf("pdf/sample.html", {"title": "评估报告", "text": "服务对象满意度 98.5%"})
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "评估报告" in text
    assert "满意度" in text
    fonts = _fonts(reader)
    assert fonts, "no font embedded"
    assert all("Portal-CJK" in name for name in fonts), fonts


def test_pdf_rendering_refuses_to_load_anything_outside_the_static_folder(tmp_path, caplog):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    from purchase_portal.pdf import _fetcher

    fetcher = _fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:9/leak")


def test_sha256_hex_is_the_digest_of_the_bytes():
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
