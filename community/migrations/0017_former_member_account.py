"""The shared "Former member" account, made once and known by its flag.

It used to be looked up (and made on first use) by the handle "former_member", which anyone
could register first: every deleted account's posts then went to that person. Now the account
is the one with ``is_former_member`` and a handle nobody can sign up with ("former-member":
handles are letters, digits and underscores), inactive, without a usable password. An
account that only has the handle "former_member" without the flag is a member's and is left
as it is: it is never adopted.
"""
from django.contrib.auth.hashers import make_password
from django.db import migrations

FORMER_MEMBER_USERNAME = "former-member"


def former_member_settle(apps, schema_editor):
    User = apps.get_model("community", "User")
    former = User.objects.filter(is_former_member=True).order_by("pk").first()
    if former is None:
        former = User(username=FORMER_MEMBER_USERNAME, display_name="Former member",
                      email=None, is_former_member=True)
    former.username = FORMER_MEMBER_USERNAME
    former.is_active = False
    former.is_staff = former.is_superuser = former.is_host = False
    former.password = make_password(None)
    former.save()


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0016_search_vector_ignores_markup"),
    ]

    operations = [
        migrations.RunPython(former_member_settle, migrations.RunPython.noop),
    ]
