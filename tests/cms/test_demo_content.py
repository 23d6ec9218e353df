"""The demo's generated content reads like a vendor's library: proper product names, topics that fit the type."""

from cms.demo import demo_content_sections


def test_demo_assets_spell_products_properly_and_type_their_topics_sensibly(tmp_path):
    assets = demo_content_sections(files_dir=tmp_path / "demo-files")["assets"]
    titles = [asset["title"] for asset in assets]
    assert not [title for title in titles if "Sd Wan" in title]
    assert any(title.startswith("SD-WAN: ") for title in titles)
    case_studies = {asset["type"] for asset in assets if "case study" in asset["title"].lower()}
    assert case_studies and case_studies <= {"document", "video"}
    battlecards = [asset["title"] for asset in assets if asset["type"] == "battlecard"]
    assert battlecards and all("battlecard" in title or "Objection handling" in title for title in battlecards)
