"""The manifest's sections, in the order they are imported (referenced sections first)."""

from certifications.importing import CertificationsSection
from cms.importing import AssetsSection, BulletinsSection, LanguagesSection, ProductsSection, ProgramsSection
from courses.importing import CoursesSection, QuestionBanksSection, QuizzesSection
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
    QuestionBanksSection(),  # quizzes draw from banks
    QuizzesSection(),  # courses end modules and themselves with quizzes
    CoursesSection(),  # lessons use assets; courses require earlier courses
    CertificationsSection(),  # require courses and quizzes; tiers require certifications
]
