"""factory_boy factories of certifications."""

import factory

from cms.factories import GatedContentFactory

from .models import Certification


class CertificationFactory(GatedContentFactory):
    """A live certification; ``required_courses=[...]`` sets its courses."""

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
    def commit(self, create, extracted, **kwargs):
        if create:
            self.save()
