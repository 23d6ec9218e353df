"""The manifest's sections, in the order they are imported (referenced sections first)."""

from cms.importing import AssetsSection, BulletinsSection, LanguagesSection, ProductsSection, ProgramsSection
from partners.importing import (
    PartnersSection,
    PartnerTypesSection,
    RegionsSection,
    RolesSection,
    TiersSection,
    UsersSection,
)

SECTIONS = [
    TiersSection(),
    PartnerTypesSection(),
    RegionsSection(),
    RolesSection(),
    PartnersSection(),
    UsersSection(),
    ProductsSection(),
    LanguagesSection(),
    AssetsSection(),
    ProgramsSection(),
    BulletinsSection(),
]
