"""Reading manifests safely (defusedxml: no entity expansion, no external entities or DTDs fetched)
and walking them by local names, whatever namespace prefix a tool chose."""

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .errors import PackageRejected

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_MANIFEST_BYTES = 10 * 1024 * 1024


def parse(data: bytes, name: str):
    """The root element of manifest ``name``; refused when it is too big, unsafe or not well-formed XML."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise PackageRejected(f"{name} is larger than 10 MB.")
    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException as error:
        raise PackageRejected(f"{name} uses XML features the hub refuses (entities or DTDs): {error}.") from error
    except ElementTree.ParseError as error:
        raise PackageRejected(f"{name} is not well-formed XML: {error}.") from error


def local(tag) -> str:
    """An element's or attribute's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element, name: str) -> list:
    """The direct children called ``name`` (any namespace)."""
    return [child for child in element if local(child.tag) == name]


def child(element, name: str):
    found = children(element, name)
    return found[0] if found else None


def descendants(element, name: str) -> list:
    return [node for node in element.iter() if local(node.tag) == name]


def text(element, default: str = "") -> str:
    return (element.text or "").strip() if element is not None else default


def attribute(element, name: str, default=None):
    """An attribute by local name, case-insensitively (SCORM 1.2 says ``scormtype``, 2004 ``scormType``)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if local(key).lower() == wanted:
            return value.strip()
    return default


def child_text_ci(element, name: str):
    """The text of a direct child by local name, case-insensitively, or ``None``."""
    wanted = name.lower()
    for node in element:
        if local(node.tag).lower() == wanted:
            return text(node)
    return None


def boolean(value, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")
