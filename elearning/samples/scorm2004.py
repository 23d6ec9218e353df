"""A SCORM 2004 package with two or three SCOs, sequenced the simple way (controlMode choice + flow)."""

from .build import content, fill, xml_attr, xml_text, zip_bytes

#: The SCOs' questions (title, intro, question, answers a/b/c, the correct letter).
SCOS = (
    (
        "Know your partner program",
        "Partner tiers decide what you can sell and what you earn.",
        "Which tier has the highest discount?",
        ("Registered", "Silver", "Gold"),
        "c",
    ),
    (
        "Register a deal",
        "Deal registration protects your opportunity.",
        "When should a deal be registered?",
        ("Before the first customer meeting", "After the invoice", "Never"),
        "a",
    ),
    (
        "Ask for help",
        "The partner desk answers within one working day.",
        "Where do you ask about a missing commission?",
        ("Social media", "The partner desk", "The customer"),
        "b",
    ),
)

SCHEMA_VERSIONS = {"2nd": "CAM 1.3", "3rd": "2004 3rd Edition", "4th": "2004 4th Edition"}


def _completion_threshold(edition: str) -> str:
    if edition == "4th":
        return '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="1.0"/>'
    return "<adlcp:completionThreshold>1.0</adlcp:completionThreshold>"


def _item(number: int, title: str, *, passing_score: float, edition: str) -> str:
    threshold = _completion_threshold(edition) if number == 2 else ""
    return f"""
      <item identifier="item-{number}" identifierref="res-sco-{number}">
        <title>{xml_text(title)}</title>
        {threshold}
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="item-{number}-passed" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{passing_score}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>"""


def _resource(number: int) -> str:
    # The second SCO's resource names its folder through xml:base, as authoring tools do.
    if number == 2:
        location = 'xml:base="sco-2/" href="index.html"'
        file = '<file href="index.html"/>'
    else:
        location = f'href="sco-{number}/index.html"'
        file = f'<file href="sco-{number}/index.html"/>'
    return f"""
    <resource identifier="res-sco-{number}" type="webcontent" adlcp:scormType="sco" {location}>
      {file}
      <dependency identifierref="res-shared"/>
    </resource>"""


def scorm2004_manifest(*, title: str, identifier: str, scos: int, passing_score: float, edition: str) -> str:
    items = "".join(
        _item(number, SCOS[number - 1][0], passing_score=passing_score, edition=edition)
        for number in range(1, scos + 1)
    )
    resources = "".join(_resource(number) for number in range(1, scos + 1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={xml_attr(identifier)} version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd
        http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd
        http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd
        http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd
        http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{SCHEMA_VERSIONS[edition]}</schemaversion>
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1" adlseq:objectivesGlobalToSystem="false">
      <title>{xml_text(title)}</title>{items}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>{resources}
    <resource identifier="res-shared" type="webcontent" adlcp:scormType="asset">
      <file href="shared/sco2004.js"/>
      <file href="shared/style.css"/>
    </resource>
  </resources>
</manifest>
"""


def scorm2004_multi_sco_zip(
    *,
    title: str = "Selling with partners",
    scos: int = 3,
    passing_score: float = 0.8,
    edition: str = "4th",
    identifier: str = "sample-scorm2004",
) -> bytes:
    """A SCORM 2004 package of ``scos`` (2 or 3) SCOs, each one question; ``edition`` is "2nd", "3rd" or "4th"."""
    if not 2 <= scos <= len(SCOS):
        raise ValueError(f"scos must be 2 or 3, not {scos}")
    page = content("scorm2004/sco.html")
    files = {
        "imsmanifest.xml": scorm2004_manifest(
            title=title, identifier=identifier, scos=scos, passing_score=passing_score, edition=edition
        )
    }
    for number in range(1, scos + 1):
        sco_title, intro, question, answers, correct = SCOS[number - 1]
        files[f"sco-{number}/index.html"] = fill(
            page,
            title=sco_title,
            identifier=f"item-{number}",
            passing_score=passing_score,
            intro=intro,
            question=question,
            answer_a=answers[0],
            answer_b=answers[1],
            answer_c=answers[2],
            correct=correct,
        )
    files["shared/sco2004.js"] = content("shared/sco2004.js")
    files["shared/style.css"] = content("shared/style.css")
    return zip_bytes(files)
