"""cmi5 course structures (``cmi5.xml``) read into the structure of a package version.

The course's AUs, in document order through their blocks, are the launchable units. An AU's
``url`` must be relative and name a file of the package: the hub serves every AU from its own
origin, so externally hosted AUs (absolute URLs) are refused.
"""

from .errors import PackageRejected
from .paths import launch_href, split_href
from .xml import attribute, child, children, local, text

MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")


def _langstring(element, default: str = "") -> str:
    """The first langstring of a title/description (cmi5 allows one per language)."""
    if element is None:
        return default
    strings = children(element, "langstring")
    return (text(strings[0]) if strings else text(element)) or default


def _iri(value: str | None, what: str) -> str:
    if not value or ":" not in value:
        raise PackageRejected(f"cmi5.xml: {what} must be an IRI (e.g. https://example.com/course/1), not {value!r}.")
    return value


class CourseStructureReader:
    def __init__(self, root, paths: set[str]):
        self.root, self.paths = root, paths
        self.units: list[dict] = []
        self.ids: set[str] = set()

    def au(self, element, parents: list[str]) -> dict:
        identifier = _iri(attribute(element, "id"), "an AU's id")
        if identifier in self.ids:
            raise PackageRejected(f"cmi5.xml: two AUs or blocks have the id {identifier}.")
        self.ids.add(identifier)
        title = _langstring(child(element, "title"), identifier)
        url = text(child(element, "url"))
        if not url:
            raise PackageRejected(f"cmi5.xml: AU {identifier} has no url.")
        if "://" in url:
            raise PackageRejected(
                f"cmi5.xml: AU {identifier} is hosted elsewhere ({url}); the hub only launches AUs inside the package."
            )
        href = launch_href(owner=f"AU {identifier}", href=url, paths=self.paths)
        move_on = attribute(element, "moveOn") or "NotApplicable"
        if move_on not in MOVE_ON:
            raise PackageRejected(f"cmi5.xml: AU {identifier} has an unknown moveOn ({move_on}).")
        launch_method = attribute(element, "launchMethod") or "AnyWindow"
        if launch_method not in LAUNCH_METHODS:
            raise PackageRejected(f"cmi5.xml: AU {identifier} has an unknown launchMethod ({launch_method}).")
        mastery = attribute(element, "masteryScore")
        if mastery is not None:
            try:
                mastery = float(mastery)
            except ValueError:
                raise PackageRejected(f"cmi5.xml: AU {identifier} has a masteryScore that is no number.") from None
            if not 0 <= mastery <= 1:
                raise PackageRejected(f"cmi5.xml: AU {identifier} has a masteryScore outside 0 to 1.")
            mastery = round(mastery * 100, 4)
        unit = {
            "identifier": identifier,
            "title": title,
            "kind": "au",
            "href": href,
            "parameters": text(child(element, "launchParameters")),
            "mastery_score": mastery,
            "completion_threshold": None,
            "time_limit_action": None,
            "data_from_lms": None,
            "move_on": move_on,
            "launch_method": launch_method,
            "activity_id": identifier,
            "entitlement_key": text(child(element, "entitlementKey")) or None,
            "parent": parents,
        }
        self.units.append(unit)
        return {"identifier": identifier, "title": title, "kind": "au", "href": split_href(href)[0], "children": []}

    def nodes(self, element, parents: list[str]) -> list[dict]:
        nodes = []
        for node in element:
            name = local(node.tag)
            if name == "au":
                nodes.append(self.au(node, parents))
            elif name == "block":
                identifier = _iri(attribute(node, "id"), "a block's id")
                title = _langstring(child(node, "title"), identifier)
                nodes.append(
                    {
                        "identifier": identifier,
                        "title": title,
                        "kind": "block",
                        "href": None,
                        "children": self.nodes(node, [*parents, title]),
                    }
                )
        return nodes

    def structure(self) -> dict:
        course = child(self.root, "course")
        if course is None:
            raise PackageRejected("cmi5.xml has no <course>.")
        course_id = _iri(attribute(course, "id"), "the course id")
        title = _langstring(child(course, "title"), "Untitled package")
        tree = self.nodes(self.root, [title])
        if not self.units:
            raise PackageRejected("The package has no launchable AU (cmi5.xml lists no <au>).")
        return {
            "standard": "cmi5",
            "title": title,
            "schema_version": "cmi5",
            "units": self.units,
            "organizations": [
                {"identifier": course_id, "title": title, "kind": "block", "href": None, "children": tree}
            ],
            "sequencing": {"choice": True, "flow": True},
            "course_id": course_id,
            "warnings": [],
        }


def cmi5_structure(root, paths: set[str]) -> dict:
    """The structure of a cmi5 package from its course structure's root element and the package's file paths."""
    if local(root.tag) != "courseStructure":
        raise PackageRejected("cmi5.xml is not a cmi5 course structure (no <courseStructure> root).")
    return CourseStructureReader(root, paths).structure()
