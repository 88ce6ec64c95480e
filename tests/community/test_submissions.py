"""A form sent twice makes one thing; a refused one can be corrected and sent again."""
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import submissions
from community.forms import SubmissionNonceMixin

pytestmark = pytest.mark.django_db


class Made:
    def __init__(self, url):
        self.url = url

    def get_absolute_url(self):
        return self.url


def sent(nonce):
    form = SubmissionNonceMixin({"nonce": nonce})
    assert form.is_valid()
    return form


def test_a_repeat_makes_nothing_and_finds_what_the_first_made(member):
    nonce, calls = uuid.uuid4().hex, []
    first = submissions.once(member, sent(nonce), lambda: calls.append(1) or Made("/t/1/"))
    again = submissions.once(member, sent(nonce), lambda: calls.append(2) or Made("/t/2/"))

    assert first.made.url == "/t/1/" and not first.repeat and first.error is None
    assert again.repeat and again.url == "/t/1/" and again.made is None
    assert calls == [1]


def test_a_refusal_goes_on_the_form_and_frees_the_nonce(member):
    nonce = uuid.uuid4().hex
    form = sent(nonce)

    def refuse():
        raise ValidationError("Too many links.")

    refused = submissions.once(member, form, refuse)
    assert refused.error is not None and form.non_field_errors() == ["Too many links."]
    made = submissions.once(member, sent(nonce), lambda: Made("/p/"),
                            url_of=lambda _: "/project/#updates")
    assert made.made.url == "/p/"
    assert submissions.once(member, sent(nonce), lambda: Made("/x/")).url == \
        "/project/#updates"


def test_any_other_failure_propagates_and_frees_the_nonce(member):
    nonce = uuid.uuid4().hex

    def deny():
        raise PermissionDenied("Locked.")

    with pytest.raises(PermissionDenied):
        submissions.once(member, sent(nonce), deny)
    assert submissions.once(member, sent(nonce), lambda: Made("/t/")).made.url == "/t/"
