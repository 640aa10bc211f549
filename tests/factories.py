"""factory-boy factories. Users and vocabularies are rows; content is built through the
workflow (``VersionContentFactory`` and ``PlanContentFactory`` give valid content to hand
to it)."""

from __future__ import annotations

import copy

import factory
from django.contrib.auth.models import Group, User

from content.events.webhooks import new_secret
from content.kinds import EXAMPLE_DETAILS, Kind
from content.models import (
    Contraindication,
    ContraindicationCategory,
    EventType,
    Goal,
    ReviewerProfile,
    WebhookEndpoint,
)
from content.workflow import CitationSpec, PlanContent, PlanItemSpec, VersionContent

#: Valid details per kind (the examples that ship with the kinds' schemas).
DETAILS_BY_KIND = EXAMPLE_DETAILS


def member_of(*default_groups: str):
    """A post-generation hook adding the user to ``groups=[...]``, or to the default groups."""

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        names = extracted if extracted is not None else default_groups
        if create and names:
            user.groups.add(*(Group.objects.get(name=name) for name in names))

    return groups


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    groups = member_of()


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    groups = member_of("Editors")


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")
    groups = member_of("Reviewers")
    profile = factory.RelatedFactory(
        "tests.factories.ReviewerProfileFactory", factory_related_name="user"
    )


class TranslatorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"translator{n}")
    groups = member_of("Translators")


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("name")
    credentials = "RD"


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"goal-{n}")
    name = factory.LazyAttribute(lambda g: g.slug.replace("-", " ").capitalize())


class ContraindicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contraindication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"condition-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").capitalize())
    category = ContraindicationCategory.CONDITION
    description = "A condition for tests."


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An enabled endpoint that receives every event (give ``url=`` a test receiver's)."""

    class Meta:
        model = WebhookEndpoint
        skip_postgeneration_save = True

    url = "https://hooks.example.org/recovery"
    description = factory.Sequence(lambda n: f"Receiver {n}")
    event_types = factory.LazyFunction(lambda: [t.value for t in EventType])
    secret = factory.LazyFunction(new_secret)

    @factory.post_generation
    def owners(endpoint, create, extracted, **kwargs):
        if create and extracted:
            endpoint.owners.add(*extracted)


class ContentFactory(factory.Factory):
    """Content values are made with their ``build()``, which accepts plain dicts for the
    parts (links, interactions, citations, plan items), as a test writes them."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.build(**kwargs)

    _build = _create


class VersionContentFactory(ContentFactory):
    """Valid content for a component of ``kind`` (a factory parameter)."""

    class Meta:
        model = VersionContent

    class Params:
        kind = Kind.SUPPLEMENT

    title = factory.Sequence(lambda n: f"Component {n}")
    summary = "A short summary of what it is and how to use it."
    body = "## How\n\nDo it *gently*."
    change_note = "First version."
    evidence_level = "B"
    details = factory.LazyAttribute(lambda o: copy.deepcopy(DETAILS_BY_KIND[o.kind]))
    citations = (
        CitationSpec(
            title="Yamadera et al. 2007, Sleep and Biological Rhythms",
            doi="10.1111/j.1479-8425.2007.00262.x",
        ),
    )


class PlanContentFactory(ContentFactory):
    """Valid content for a plan of ``duration_weeks``. It has no items unless given some
    (``plan_item``, or dicts): each names a component that must be published first."""

    class Meta:
        model = PlanContent

    title = factory.Sequence(lambda n: f"Plan {n}")
    summary = "A gentle four-week plan."
    change_note = "First version."
    duration_weeks = 4
    items = ()


def plan_item(component, slot, order, weeks=(1, 4), frequency="daily", note="") -> PlanItemSpec:
    """One item of a plan: ``component`` (a slug) in ``slot``, from week to week."""
    return PlanItemSpec(component, slot, weeks[0], weeks[1], frequency, order, note)
