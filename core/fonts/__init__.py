"""DejaVu Sans, vendored with its licence (``LICENSE`` here), for every PDF the hub draws.

PDF's core fonts print only Latin-1, so "Łukasz", "Ærø" or "Дмитрий" would come out as question marks;
DejaVu Sans covers Latin, Greek and Cyrillic (not CJK), and fpdf2 embeds only the glyphs used. It lives in
core, the lowest layer, because more than one app draws with it: the certificates and transcripts
(certifications) and the co-branded downloads' stamp (cms, through ``PARTNERHUB_COBRAND_FONT``).
"""

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent
#: The files of each style, as fpdf2's ``add_font`` names them: regular, bold, oblique.
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
