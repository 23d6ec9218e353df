"""SCORM 1.2 and SCORM 2004 manifests (``imsmanifest.xml``) read into the structure of a package version.

The schema version comes from ``metadata/schemaversion`` (a 1.2 manifest without one is recognised
by its ADL 1.2 namespace); the default organization (or the first) gives the tree, its SCO items the
launchable units in order. Resource hrefs are resolved through ``xml:base`` (manifest, resources,
resource) and must name a file inside the package. SCORM 2004 sequencing is taken as simple
choice/flow: a root that allows neither is refused, richer rules are recorded as warnings.
"""

from .errors import PackageRejected
from .paths import add_parameters, join_base, launch_href, safe_path, split_href
from .xml import XML_BASE, attribute, boolean, child, child_text_ci, children, descendants, local, namespace, text

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
SCHEMA_VERSIONS = {
    "1.2": ("scorm12", "1.2"),
    "cam 1.3": ("scorm2004", "2004 2nd Edition"),
    "2004 2nd edition": ("scorm2004", "2004 2nd Edition"),
    "2004 3rd edition": ("scorm2004", "2004 3rd Edition"),
    "2004 4th edition": ("scorm2004", "2004 4th Edition"),
}
#: Sequencing the hub does not carry out (it offers a menu and next/previous): accepted, with a warning.
UNSUPPORTED_SEQUENCING = (
    "sequencingRules",
    "rollupRules",
    "limitConditions",
    "randomizationControls",
    "auxiliaryResources",
    "constrainedChoiceConsiderations",
    "rollupConsiderations",
)
MAX_LISTED_WARNINGS = 10


def schema_of(root) -> tuple[str, str]:
    """(standard, schema version) of a SCORM manifest; refused when unknown."""
    metadata = child(root, "metadata")
    stated = text(child(metadata, "schemaversion")) if metadata is not None else ""
    if stated:
        try:
            return SCHEMA_VERSIONS[stated.lower()]
        except KeyError:
            raise PackageRejected(
                f"imsmanifest.xml states an unknown schema version ({stated!r}); the hub takes SCORM 1.2 "
                "and SCORM 2004 (2nd, 3rd and 4th edition)."
            ) from None
    uses_12 = any(
        namespace(key) == ADLCP_12 or namespace(node.tag) == ADLCP_12 for node in root.iter() for key in node.attrib
    )
    if uses_12:
        return SCHEMA_VERSIONS["1.2"]
    raise PackageRejected("imsmanifest.xml does not say its schema version (metadata/schemaversion).")


def _number(value, what: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise PackageRejected(f"imsmanifest.xml: {what} is not a number ({value!r}).") from None
    if not low <= number <= high:
        raise PackageRejected(f"imsmanifest.xml: {what} must be between {low:g} and {high:g} ({value!r}).")
    return number


class ManifestReader:
    def __init__(self, root, paths: set[str], standard: str, schema_version: str):
        self.root, self.paths, self.standard, self.schema_version = root, paths, standard, schema_version
        self.warnings: list[str] = []
        self.units: list[dict] = []
        self.resources = self._resources()

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < MAX_LISTED_WARNINGS:
            self.warnings.append(message)

    # --- resources ---------------------------------------------------------------------------------------

    def _resources(self) -> dict:
        container = child(self.root, "resources")
        if container is None:
            raise PackageRejected("imsmanifest.xml has no resources.")
        bases = (self.root.get(XML_BASE, ""), container.get(XML_BASE, ""))
        resources = {}
        for resource in children(container, "resource"):
            identifier = attribute(resource, "identifier")
            base = (*bases, resource.get(XML_BASE, ""))
            href = attribute(resource, "href")
            for file in children(resource, "file"):
                self._check_listed_file(identifier, join_base(*base, attribute(file, "href", "")))
            resources[identifier] = {
                "scorm_type": (attribute(resource, "scormtype") or "asset").lower(),
                "href": join_base(*base, href) if href else None,
            }
        return resources

    def _check_listed_file(self, resource: str, href: str) -> None:
        path, _rest = split_href(href)
        if "://" in href or safe_path(path) is None:
            raise PackageRejected(f"imsmanifest.xml: resource {resource} lists a file outside the package ({href}).")
        if safe_path(path) not in self.paths:
            self.warn(f"Resource {resource} lists {path}, which is not in the package.")

    def launch_href(self, owner: str, href: str) -> str:
        return launch_href(owner=owner, href=href, paths=self.paths)

    # --- organizations -----------------------------------------------------------------------------------

    def organization(self):
        container = child(self.root, "organizations")
        organizations = children(container, "organization") if container is not None else []
        if not organizations:
            return None
        default = attribute(container, "default")
        return next((org for org in organizations if attribute(org, "identifier") == default), organizations[0])

    def item(self, element, parents: list[str]) -> dict:
        identifier = attribute(element, "identifier", "")
        title = text(child(element, "title")) or identifier
        node = {"identifier": identifier, "title": title, "kind": "block", "href": None, "children": []}
        reference = attribute(element, "identifierref")
        if reference:
            resource = self.resources.get(reference)
            if resource is None:
                raise PackageRejected(
                    f"imsmanifest.xml: item {identifier} refers to a missing resource ({reference})."
                )
            node["kind"] = "sco" if resource["scorm_type"] == "sco" else "asset"
            if resource["href"]:
                href = add_parameters(resource["href"], attribute(element, "parameters", ""))
                node["href"] = self.launch_href(f"Item {identifier}", href)
            elif node["kind"] == "sco":
                raise PackageRejected(f"imsmanifest.xml: the SCO of item {identifier} has no href to launch.")
            if node["kind"] == "sco":
                self.units.append(self.unit(element, node, parents))
        self._note_item_sequencing(element, identifier)
        node["children"] = [self.item(sub, [*parents, title]) for sub in children(element, "item")]
        return node

    def unit(self, element, node: dict, parents: list[str]) -> dict:
        return {
            "identifier": node["identifier"],
            "title": node["title"],
            "kind": "sco",
            "href": node["href"],
            "parameters": attribute(element, "parameters", ""),
            "mastery_score": self.mastery_score(element),
            "completion_threshold": self.completion_threshold(element),
            "time_limit_action": child_text_ci(element, "timelimitaction") or None,
            "data_from_lms": child_text_ci(element, "datafromlms") or None,
            "move_on": None,
            "launch_method": None,
            "activity_id": None,
            "entitlement_key": None,
            "parent": parents,
        }

    def mastery_score(self, element) -> float | None:
        if self.standard == "scorm12":
            return _number(child_text_ci(element, "masteryscore"), "adlcp:masteryscore", 0, 100)
        sequencing = child(element, "sequencing")
        objectives = child(sequencing, "objectives") if sequencing is not None else None
        primary = child(objectives, "primaryObjective") if objectives is not None else None
        if primary is None or not boolean(attribute(primary, "satisfiedByMeasure"), False):
            return None
        measure = child(primary, "minNormalizedMeasure")
        value = _number(text(measure) or "1.0", "imsss:minNormalizedMeasure", -1, 1)
        return round(max(value, 0) * 100, 4)

    def completion_threshold(self, element) -> float | None:
        if self.standard != "scorm2004":
            return None
        threshold = next((node for node in element if local(node.tag) == "completionThreshold"), None)
        if threshold is None:
            return None
        if text(threshold):  # 3rd edition: the threshold is the element's value
            return _number(text(threshold), "adlcp:completionThreshold", 0, 1)
        if not boolean(attribute(threshold, "completedByMeasure"), False):  # 4th edition
            return None
        return _number(attribute(threshold, "minProgressMeasure") or "1.0", "adlcp:minProgressMeasure", 0, 1)

    # --- sequencing --------------------------------------------------------------------------------------

    def _note_item_sequencing(self, element, identifier: str) -> None:
        if self.standard != "scorm2004":
            return
        sequencing = child(element, "sequencing")
        if sequencing is None:
            return
        self._note_unsupported(sequencing, f"item {identifier}")
        control = child(sequencing, "controlMode")
        if control is not None and not boolean(attribute(control, "choice"), True):
            self.warn(f"Item {identifier} restricts choice; the hub's menu still offers its units.")

    def _note_unsupported(self, sequencing, where: str) -> None:
        for name in UNSUPPORTED_SEQUENCING:
            if descendants(sequencing, name):
                self.warn(f"Sequencing of {where} uses {name}, which the hub ignores (simple choice/flow only).")
        if attribute(sequencing, "IDRef"):
            self.warn(f"Sequencing of {where} uses a shared sequencing collection, which the hub ignores.")
        control = child(sequencing, "controlMode")
        if control is not None:
            if boolean(attribute(control, "forwardOnly"), False):
                self.warn(f"Sequencing of {where} is forward-only; the hub lets learners go back.")
            if not boolean(attribute(control, "choiceExit"), True):
                self.warn(f"Sequencing of {where} forbids leaving by choice; the hub ignores that.")
        delivery = child(sequencing, "deliveryControls")
        if delivery is not None and not boolean(attribute(delivery, "tracked"), True):
            self.warn(f"Sequencing of {where} turns tracking off; the hub tracks every unit.")

    def root_sequencing(self, organization) -> dict:
        if self.standard != "scorm2004":
            return {"choice": True, "flow": True}
        sequencing = child(organization, "sequencing") if organization is not None else None
        control = child(sequencing, "controlMode") if sequencing is not None else None
        choice = boolean(attribute(control, "choice"), True) if control is not None else True
        flow = boolean(attribute(control, "flow"), False) if control is not None else False
        if not choice and not flow:
            raise PackageRejected(
                "The package's sequencing allows neither choice nor flow; the hub supports simple choice/flow "
                "sequencing only."
            )
        if sequencing is not None:
            self._note_unsupported(sequencing, "the organization")
        return {"choice": choice, "flow": flow}

    # --- the whole ---------------------------------------------------------------------------------------

    def structure(self) -> dict:
        organization = self.organization()
        if child(self.root, "sequencingCollection") is not None:
            self.warn("The manifest has a sequencing collection, which the hub ignores.")
        if organization is not None:
            title = text(child(organization, "title")) or attribute(organization, "identifier", "")
            tree = [
                {
                    "identifier": attribute(organization, "identifier", ""),
                    "title": title,
                    "kind": "block",
                    "href": None,
                    "children": [self.item(item, [title]) for item in children(organization, "item")],
                }
            ]
        else:
            title, tree = self._without_organization()
        sequencing = self.root_sequencing(organization)
        if not self.units:
            raise PackageRejected("The package has no launchable SCO (no item refers to a resource of type sco).")
        return {
            "standard": self.standard,
            "title": title or "Untitled package",
            "schema_version": self.schema_version,
            "units": self.units,
            "organizations": tree,
            "sequencing": sequencing,
            "course_id": None,
            "warnings": self.warnings,
        }

    def _without_organization(self):
        """A manifest without organizations: its SCO resources, in order, are the units."""
        nodes = []
        for identifier, resource in self.resources.items():
            if resource["scorm_type"] != "sco" or not resource["href"]:
                continue
            node = {
                "identifier": identifier,
                "title": identifier,
                "kind": "sco",
                "href": self.launch_href(f"Resource {identifier}", resource["href"]),
                "children": [],
            }
            nodes.append(node)
            self.units.append(self.unit(self.root, node, []))
        self.warn("The manifest has no organization; its SCO resources are listed in order.")
        return "", nodes


def scorm_structure(root, paths: set[str]) -> dict:
    """The structure of a SCORM package from its manifest's root element and the package's file paths."""
    if local(root.tag) != "manifest":
        raise PackageRejected("imsmanifest.xml is not an IMS content packaging manifest (no <manifest> root).")
    standard, schema_version = schema_of(root)
    return ManifestReader(root, paths, standard, schema_version).structure()
