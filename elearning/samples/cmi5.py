"""A cmi5 package: ``cmi5.xml`` and one AU (optionally inside a block)."""

from .build import content, fill, xml_attr, xml_text, zip_bytes


def cmi5_course_structure(
    *, title, course_id, au_id, mastery_score, move_on, launch_method, launch_parameters, block_title
) -> str:
    mastery = f" masteryScore={xml_attr(mastery_score)}" if mastery_score is not None else ""
    parameters = f"<launchParameters>{xml_text(launch_parameters)}</launchParameters>" if launch_parameters else ""
    au = f"""
  <au id={xml_attr(au_id)} moveOn={xml_attr(move_on)} launchMethod={xml_attr(launch_method)}{mastery}>
    <title><langstring lang="en-US">{xml_text(title)}</langstring></title>
    <description><langstring lang="en-US">One question about cmi5.</langstring></description>
    <url>au/index.html</url>
    {parameters}
  </au>"""
    if block_title:
        au = f"""
  <block id={xml_attr(course_id + "/block-1")}>
    <title><langstring lang="en-US">{xml_text(block_title)}</langstring></title>
    <description><langstring lang="en-US">A block of units.</langstring></description>{au}
  </block>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id={xml_attr(course_id)}>
    <title><langstring lang="en-US">{xml_text(title)}</langstring></title>
    <description><langstring lang="en-US">A sample cmi5 course.</langstring></description>
  </course>{au}
</courseStructure>
"""


def cmi5_au_zip(
    *,
    title: str = "cmi5 essentials",
    course_id: str = "https://partnerhub.example/xapi/courses/cmi5-essentials",
    au_id: str = "https://partnerhub.example/xapi/courses/cmi5-essentials/au-1",
    mastery_score: float | None = 0.8,
    move_on: str = "CompletedAndPassed",
    launch_method: str = "AnyWindow",
    launch_parameters: str = "",
    block_title: str | None = None,
) -> bytes:
    """A cmi5 package with one AU; ``mastery_score`` is 0-1 as cmi5 has it, ``block_title`` nests the AU."""
    return zip_bytes(
        {
            "cmi5.xml": cmi5_course_structure(
                title=title,
                course_id=course_id,
                au_id=au_id,
                mastery_score=mastery_score,
                move_on=move_on,
                launch_method=launch_method,
                launch_parameters=launch_parameters,
                block_title=block_title,
            ),
            "au/index.html": fill(content("cmi5/index.html"), title=title),
            "au/au.js": content("cmi5/au.js"),
            "au/style.css": content("shared/style.css"),
        }
    )
