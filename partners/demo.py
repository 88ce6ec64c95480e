"""The demo partner organisation (a step of ``manage.py seed_demo``)."""
from community.demo import PARTNER
from community.models import User

from .models import Organisation, PartnerMembership


def seed_partner() -> int:
    organisation, created = Organisation.objects.get_or_create(
        name=PARTNER["name"],
        defaults={
            "website": PARTNER["website"],
            "status": Organisation.Status.VERIFIED,
            "description": "Family hop farm growing aroma hops for home brewers.",
        },
    )
    added = int(created)
    for i, username in enumerate(PARTNER["members"]):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        _, new = PartnerMembership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"is_admin": i == 0}
        )
        added += new
    return added
