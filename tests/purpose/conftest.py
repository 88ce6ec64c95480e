import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from purpose import services
from purpose.models import Project

from .. import factories


def png(size=(1200, 900), name="design.png", colour=(30, 120, 90)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Brew club")


@pytest.fixture
def lead(db):
    return factories.UserFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead, host, space):
    """An open project led by ``lead`` (proposed by them, approved by ``host``)."""
    made = services.project_propose(author=lead, title="Community harvest ale",
                                    goal="Forty kitchens brew one recipe.",
                                    description="Same hops, same weekend.", space=space)
    services.project_status_set(actor=host, project=made, to_status=Project.Status.OPEN)
    made.refresh_from_db()
    return made
