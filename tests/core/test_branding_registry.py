"""core.branding: the vendor's name, logo and colour for lower apps, from whichever app registers them."""

import pytest

from core import branding as registry
from core.branding import Branding, branding, register_branding_provider, unregister_branding_provider


@pytest.fixture
def restore_provider():
    saved = list(registry._provider)
    yield
    registry._provider[:] = saved


def test_without_a_provider_the_default_is_the_badge_issuer_with_no_logo(restore_provider, settings):
    settings.PARTNERHUB_BADGE_ISSUER_NAME = "Initech Partners"
    unregister_branding_provider()
    assert branding() == Branding(name="Initech Partners", logo=None)
    assert branding().colour_rgb == (0x3A, 0x4F, 0xD8)


def test_the_registered_provider_answers_and_a_second_replaces_it(restore_provider):
    register_branding_provider(lambda: Branding(name="Acme", logo=b"png", colour="#102030"))
    assert branding().name == "Acme" and branding().colour_rgb == (16, 32, 48)
    register_branding_provider(lambda: Branding(name="Globex"))
    assert branding().name == "Globex"


def test_a_provider_that_answers_nothing_or_fails_gives_the_default(restore_provider, settings, caplog):
    register_branding_provider(lambda: None)
    assert branding().name == settings.PARTNERHUB_BADGE_ISSUER_NAME

    def broken():
        raise OSError("the logo's file is gone")

    register_branding_provider(broken)
    assert branding().name == settings.PARTNERHUB_BADGE_ISSUER_NAME and branding().logo is None
    assert "branding provider failed" in caplog.text
