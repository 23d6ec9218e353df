"""Writes of the content library's reference data: products, languages and content locales.

The ``*_for_*`` helpers create what is missing (the importer names things by key or code).
"""

from django.conf.locale import LANG_INFO

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from cms.models import Language, Product
from core.models import keyed_upsert


def product_upsert(*, key: str, name: str):
    return keyed_upsert(Product, key=key, name=name)


def language_upsert(*, key: str, name: str):
    return keyed_upsert(Language, key=key, name=name)


def products_for_keys(*, keys: list[str]) -> list[Product]:
    """The products with these keys, creating missing ones (named after their key)."""
    existing = {p.key: p for p in Product.objects.filter(key__in=keys)}
    for key in keys:
        if key not in existing:
            existing[key] = product_upsert(key=key, name=key.replace("-", " ").replace("_", " ").title())[0]
    return [existing[key] for key in keys]


def languages_for_codes(*, codes: list[str]) -> list[Language]:
    """The languages with these codes, creating missing ones with Django's name for them."""
    codes = [code.lower() for code in codes]
    existing = {lang.key: lang for lang in Language.objects.filter(key__in=codes)}
    for code in codes:
        if code not in existing:
            existing[code] = language_upsert(key=code, name=LANG_INFO[code].get("name", code))[0]
    return [existing[code] for code in codes]


def locale_for_code(*, code: str | None) -> Locale:
    """The Wagtail locale of a content language code (created when first used); the default for ``None``."""
    if not code:
        return Locale.get_default()
    language_code = get_supported_content_language_variant(code.lower())
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    return locale
