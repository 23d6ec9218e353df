"""The manifest's sections, in the order they are imported (referenced sections first)."""

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
]
