"""A SCORM 1.2 package with one SCO (two questions, resume, Suspend, Finish)."""

from .build import content, fill, xml_attr, xml_text, zip_bytes


def scorm12_manifest(*, title: str, identifier: str, mastery_score) -> str:
    mastery = f"<adlcp:masteryscore>{mastery_score}</adlcp:masteryscore>" if mastery_score is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={xml_attr(identifier)} version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
        http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd
        http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1">
      <title>{xml_text(title)}</title>
      <item identifier="item-1" identifierref="res-sco" isvisible="true">
        <title>{xml_text(title)}</title>
        {mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="sco.js"/>
      <file href="style.css"/>
    </resource>
  </resources>
</manifest>
"""


def scorm12_sco_zip(*, title: str = "Security basics", mastery_score: int | None = 80, identifier="sample-scorm12"):
    """A SCORM 1.2 package: one SCO; with ``mastery_score`` (0-100) the SCO reports passed/failed."""
    return zip_bytes(
        {
            "imsmanifest.xml": scorm12_manifest(title=title, identifier=identifier, mastery_score=mastery_score),
            "index.html": fill(content("scorm12/index.html"), title=title, mastery_score=mastery_score or ""),
            "sco.js": content("scorm12/sco.js"),
            "style.css": content("shared/style.css"),
        }
    )
