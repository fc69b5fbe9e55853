"""Printable documents (PDF and Excel) with Chinese text rendered properly, from plain data.

The Noto Sans SC fonts ship in `fonts/` (SIL OFL 1.1, see fonts/OFL.txt) so a PDF renders the
same on a fresh machine as on a finance department's server: WeasyPrint embeds the glyphs used.
"""
