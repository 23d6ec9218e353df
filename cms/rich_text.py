"""Rich text in and out: cleaning what is imported, and the structured form the API serves beside HTML.

Rich text typed in the admin is cleaned by Wagtail's editor. Anything else (the
importer) goes through the same whitelist with ``clean_rich_text`` before it is
stored, so no script, event handler or ``javascript:`` link can reach a partner.
"""

import re

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import expand_db_html

from bs4 import BeautifulSoup, NavigableString


def _text(node) -> str:
    return " ".join(node.get_text().split())


HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def clean_rich_text(html: str) -> str:
    """HTML from outside the editor, reduced to what Wagtail's rich text editor allows."""
    return EditorHTMLConverter().to_database_format(html or "")


# The editor's own bookkeeping (Draftail's block keys): meaningless to a partner front end.
EDITOR_ATTRIBUTES = re.compile(r'\sdata-block-key="[^"]*"')


def rich_text_html(stored: str) -> str:
    """Stored rich text as clean HTML for partners (internal links and embeds expanded, no editor attributes)."""
    return EDITOR_ATTRIBUTES.sub("", expand_db_html(stored or ""))


def rich_text_blocks(html: str) -> list[dict]:
    """The same content as blocks a front end can render natively: paragraphs, headings, lists, quotes."""
    soup = BeautifulSoup(html or "", "html.parser")
    blocks = []
    for node in soup.children:
        if isinstance(node, NavigableString):
            if node.strip():
                blocks.append({"type": "paragraph", "text": node.strip(), "html": str(node).strip()})
            continue
        name = node.name
        if name in HEADINGS:
            blocks.append({"type": "heading", "level": HEADINGS[name], "text": _text(node)})
        elif name in ("ul", "ol"):
            items = [_text(li) for li in node.find_all("li", recursive=False)]
            blocks.append({"type": "list", "ordered": name == "ol", "items": items})
        elif name == "blockquote":
            blocks.append({"type": "quote", "text": _text(node)})
        elif name == "hr":
            blocks.append({"type": "divider"})
        elif name in ("img", "figure"):
            image = node if name == "img" else node.find("img")
            if image is not None:
                blocks.append({"type": "image", "src": image.get("src", ""), "alt": image.get("alt", "")})
        else:
            blocks.append({"type": "paragraph", "text": _text(node), "html": node.decode_contents()})
    return blocks
