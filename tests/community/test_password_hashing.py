"""Passwords are stored with Argon2id, which checks in milliseconds (a sign-in used to
spend about 200 ms in PBKDF2's million rounds); older hashes still sign in and are rehashed."""
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.test import Client
from django.urls import reverse

from community.models import User

from .. import factories

pytestmark = pytest.mark.django_db


def test_new_passwords_are_stored_with_argon2id():
    assert make_password("a long and unusual passphrase").startswith("argon2$argon2id$")


def test_a_password_check_takes_well_under_a_tenth_of_a_second():
    encoded = make_password("a long and unusual passphrase")
    hasher = identify_hasher(encoded)
    start = time.perf_counter()
    for _ in range(5):
        assert hasher.verify("a long and unusual passphrase", encoded)
    assert (time.perf_counter() - start) / 5 < 0.1


def test_a_pbkdf2_hash_still_signs_in_and_is_rehashed_with_argon2():
    member = factories.UserFactory(
        password=PBKDF2PasswordHasher().encode(factories.PASSWORD, "saltsaltsaltsalt"))
    client = Client()
    response = client.post(reverse("account_login"),
                           {"login": member.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert User.objects.get(pk=member.pk).password.startswith("argon2$argon2id$")
