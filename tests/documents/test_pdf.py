import io

import pypdfium2
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from duizhang.documents.pdf import render_pdf

HTML = """<html><body><h1>杭州云帆科技有限公司 对账单</h1>
<p>期末余额 ¥12,345.67</p></body></html>"""


def page_fonts(page: PageObject) -> DictionaryObject:
    resources = page["/Resources"]
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    return fonts


def test_chinese_text_is_embedded_and_extractable() -> None:
    pdf = render_pdf(HTML)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "杭州云帆科技有限公司" in text
    assert "12,345.67" in text
    fonts = {font["/BaseFont"] for page in reader.pages for font in page_fonts(page).values()}
    assert any("Noto-Sans-SC" in str(name) for name in fonts)  # embedded subset


def test_page_renders_to_an_image_with_ink() -> None:
    document = pypdfium2.PdfDocument(render_pdf(HTML))
    image = document[0].render(scale=1).to_pil().convert("L")
    dark_pixels = sum(1 for value in image.get_flattened_data() if value < 128)
    assert dark_pixels > 500  # the heading's glyphs, not an empty or tofu-only page
