"""factory_boy factories: build the community a test needs, nothing more."""
import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from community.models import Invitation, Space, User
from partners.models import Organisation, PartnerMembership

PASSWORD = "correct horse battery staple"
_HASHED = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = _HASHED
    trust_level = User.Trust.MEMBER

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False and self.email:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class NewMemberFactory(UserFactory):
    trust_level = User.Trust.NEW


class HostFactory(UserFactory):
    username = factory.Sequence(lambda n: f"host{n}")
    is_host = True


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Co {n}")
    status = Organisation.Status.VERIFIED


class PartnerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"partner{n}")

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create:
            PartnerMembership.objects.create(
                user=self, organisation=extracted or OrganisationFactory(), is_admin=True
            )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    inviter = factory.SubFactory(UserFactory)
    kind = Invitation.Kind.EMAIL
    email = factory.Sequence(lambda n: f"friend{n}@example.com")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Space {n}")
    description = "Talk about it here."


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Product"
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda p: p.sku.lower())
