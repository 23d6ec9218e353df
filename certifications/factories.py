"""factory_boy factories of certifications."""

from datetime import timedelta

from django.utils import timezone

import factory

from cms.factories import GatedContentFactory
from partners.factories import partner_user

from .models import Certificate, Certification, TierRequirement


class CertificationFactory(GatedContentFactory):
    """A live certification; ``required_courses=[...]`` sets its courses (``exam_prerequisites=[...]`` those of a
    stand-alone exam: ``exam=quiz, exam_standalone=True``)."""

    class Meta:
        model = Certification
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Certification {n}")
    validity_months = 24
    renewal_window_days = 60

    @factory.post_generation
    def required_courses(self, create, extracted, **kwargs):
        if extracted:
            self.required_courses.set(extracted)

    @factory.post_generation
    def renewal_courses(self, create, extracted, **kwargs):
        if extracted:
            self.renewal_courses.set(extracted)

    @factory.post_generation
    def exam_prerequisites(self, create, extracted, **kwargs):
        if extracted:
            self.exam_prerequisites.set(extracted)

    @factory.post_generation
    def commit(self, create, extracted, **kwargs):
        if create:
            self.save()


class CertificateFactory(factory.django.DjangoModelFactory):
    """A current certificate of a partner user, issued a month ago; ``expires_in=timedelta(...)`` sets its expiry."""

    class Meta:
        model = Certificate

    class Params:
        expires_in = timedelta(days=700)

    user = factory.LazyFunction(partner_user)
    certification = factory.SubFactory(CertificationFactory)
    partner = factory.LazyAttribute(lambda o: o.user.partner_membership.partner)
    issued_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    expires_at = factory.LazyAttribute(lambda o: timezone.now() + o.expires_in)


class TierRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierRequirement

    certification = factory.SubFactory(CertificationFactory)
    minimum_holders = 1
