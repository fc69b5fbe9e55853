"""HTML to PDF with WeasyPrint and the bundled Chinese fonts."""

from __future__ import annotations

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

FONTS_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "Noto Sans SC"

_FONT_FACES = f"""
@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: 400;
             src: url("{(FONTS_DIR / "NotoSansSC-Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: 700;
             src: url("{(FONTS_DIR / "NotoSansSC-Bold.ttf").as_uri()}"); }}
html {{ font-family: "{FONT_FAMILY}", sans-serif; }}
"""


def render_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render an HTML document to PDF bytes; `stylesheets` are extra CSS texts applied after the fonts."""
    fonts = FontConfiguration()
    css = [CSS(string=_FONT_FACES, font_config=fonts)]
    css += [CSS(string=text, font_config=fonts) for text in stylesheets]
    document = HTML(string=html, base_url=str(FONTS_DIR))
    pdf = document.write_pdf(stylesheets=css, font_config=fonts)
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
