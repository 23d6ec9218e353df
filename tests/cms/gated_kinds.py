"""Every kind of gated content, found the way the hub finds them (``gated_content_models``), with its factory."""

from importlib import import_module

import factory

from cms.gating.models import gated_content_models


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def factory_for(model) -> type[factory.django.DjangoModelFactory]:
    """The factory of ``model``, from its own app's ``factories`` module."""
    from cms.factories import GatedContentFactory

    import_module(f"{model._meta.app_config.name}.factories")
    return next(f for f in _subclasses(GatedContentFactory) if f._meta.model is model)


GATED_KINDS = gated_content_models()


def kind_id(model) -> str:
    return model._meta.model_name
