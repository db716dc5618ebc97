"""factory_boy factories shared by every app's tests."""

import factory

from kopiena.accounts.models import User
from kopiena.communities.models import Community, CommunityMembership
from kopiena.places.models import Municipality
from kopiena.surveys.models import Survey

PASSWORD = "parole-Kopiena-2026"


def municipality(slug: str = "kekavas_nov") -> Municipality:
    """One of the 43 municipalities the migrations load."""
    return Municipality.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lietotajs{n}@example.lv")
    full_name = factory.Sequence(lambda n: f"Lietotājs {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def staff_of(self, create, extracted, **kwargs):
        if extracted:
            self.staff_of.set(extracted)
        if create:
            self.save()


class AdminFactory(UserFactory):
    is_superuser = True
    is_staff = True


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Kopiena {n}")
    slug = factory.Sequence(lambda n: f"kopiena-{n}")
    municipality = factory.LazyFunction(municipality)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityMembership

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = CommunityMembership.Role.COORDINATOR


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    slug = factory.Sequence(lambda n: f"aptauja-{n}")
    title = factory.LazyAttribute(lambda o: {"lv": f"Aptauja {o.slug}", "en": f"Survey {o.slug}"})
    municipality = factory.LazyFunction(municipality)
