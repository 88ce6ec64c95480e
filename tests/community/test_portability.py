"""export_community / import_community: a community leaves whole and arrives whole."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from community import portability
from community.models import ModerationLog, Post, Thread, User, Vote
from purpose.models import Project
from tests.community.test_import_stackexchange import SMALL, run, write_dump

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    found = {m._meta.label: m._base_manager.count() for m in portability.owned_models()}
    found["thread tags"] = Thread.tags.through.objects.count()
    return found


def accepted() -> dict[str, str]:
    return dict(Thread.objects.filter(accepted_answer__isnull=False)
                .values_list("title", "accepted_answer__body"))


def empty_the_site() -> None:
    """What a fresh install holds: no community at all (TRUNCATE, as the log is append-only)."""
    tables = ", ".join(m._meta.db_table for m in portability.owned_models())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the test's pending checks
        cursor.execute(f"TRUNCATE {tables} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def community(tmp_path):
    call_command("seed_demo", "--allow-production", "--quiet-progress", verbosity=0)
    run(write_dump(tmp_path / "dump", **SMALL))
    return tmp_path


def export(path) -> str:
    out = StringIO()
    call_command("export_community", str(path), verbosity=0, stdout=out)
    return out.getvalue()


def test_a_round_trip_keeps_every_count_and_every_accepted_answer(community, client):
    before, answers = counts(), accepted()
    tags = sorted(Thread.objects.filter(tags__isnull=False).values_list("title", "tags__name"))
    assert before["community.Post"] > 50 and before["community.Vote"] > 0
    assert before["partners.Organisation"] > 0 and before["community.ModerationLog"] > 0
    assert len(answers) >= 2
    # The importer indexes answers for search (the words are in the answers alone).
    assert "How long should I lager?" in client.get(reverse("search"), {"q": "weeks"}) \
        .content.decode()
    formers = set(User.objects.filter(is_former_member=True).values_list("username",
                                                                          flat=True))
    assert len(formers) == 3  # the shared one, and the dump's "gone" and "ghost"
    file = community / "out.jsonl"
    export(file)
    text = file.read_text(encoding="utf-8")
    assert '"password"' not in text and "pbkdf2" not in text
    assert "Zoë Brewer" in text  # unicode kept as it is

    empty_the_site()
    assert counts()["community.User"] == 0
    call_command("import_community", str(file), verbosity=0, stdout=StringIO())

    assert counts() == before
    assert accepted() == answers
    # The shared former member is still the one with the reserved handle; the import's
    # placeholders keep theirs (and their posts).
    from community.services.users import FORMER_MEMBER_USERNAME, former_member_get

    assert former_member_get().username == FORMER_MEMBER_USERNAME
    assert set(User.objects.filter(is_former_member=True).values_list("username",
                                                                      flat=True)) == formers
    assert Thread.objects.get(title="Asked by someone who left").author.name == "gone (deleted)"
    assert sorted(Thread.objects.filter(tags__isnull=False)
                  .values_list("title", "tags__name")) == tags
    # Post HTML is rendered again, pages and search work, and new rows get fresh ids.
    assert not Post.objects.filter(body_html="").exclude(body="").exists()
    assert before["purpose.Project"] == 2 and before["purpose.ContributionVote"] > 0
    project = Project.objects.get(title__startswith="Harvest Ale")
    assert "<li>" in project.description_html and '"description_html"' not in text
    assert "Chosen by the community" in client.get(project.get_absolute_url()).content.decode()
    thread = Thread.objects.get(title="How long should I lager?")
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and "Four to six weeks" in page.content.decode()
    assert "How long should I lager?" in client.get(reverse("search"), {"q": "lager"}) \
        .content.decode()
    assert "How long should I lager?" in client.get(reverse("search"), {"q": "weeks"}) \
        .content.decode()
    assert not any(u.has_usable_password() for u in User.objects.all())
    newcomer = User.objects.create_user("after_import", "after@example.com", "x-Pass-9931")
    assert newcomer.pk > max(User.objects.exclude(pk=newcomer.pk).values_list("pk", flat=True))
    Vote.objects.create(post=thread.opening_post, voter=newcomer, kind="like")


def test_loading_refuses_a_site_that_is_not_empty(community):
    formers = set(User.objects.filter(is_former_member=True).values_list("username",
                                                                          flat=True))
    assert len(formers) == 3  # the shared one, and the dump's "gone" and "ghost"
    file = community / "out.jsonl"
    export(file)
    before = counts()
    with pytest.raises(CommandError, match="This site is not empty"):
        call_command("import_community", str(file), verbosity=0)
    assert counts() == before


def test_a_file_that_is_not_an_export_stops_with_one_sentence(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"model": "community.user", "pk": 1, "fields": {}}\n')
    with pytest.raises(CommandError, match="not a community export"):
        call_command("import_community", str(other), verbosity=0)
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_community", str(tmp_path / "missing.jsonl"), verbosity=0)


def test_a_tampered_file_brings_no_markup_and_no_foreign_rows(community):
    formers = set(User.objects.filter(is_former_member=True).values_list("username",
                                                                          flat=True))
    assert len(formers) == 3  # the shared one, and the dump's "gone" and "ghost"
    file = community / "out.jsonl"
    export(file)
    lines = file.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines[1:], start=1):
        item = json.loads(line)
        if item["model"] == "community.post":
            item["fields"]["body"] = "<script>alert(1)</script> hello"
            item["fields"]["body_format"] = "markdown"
            item["fields"]["body_html"] = "<script>alert(2)</script>"
            lines[index] = json.dumps(item)
            tampered_pk = item["pk"]
            break
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    empty_the_site()
    call_command("import_community", str(file), verbosity=0, stdout=StringIO())
    html = Post.objects.get(pk=tampered_pk).body_html
    assert "<script" not in html and "hello" in html

    # A line of a model no export holds (an admin's session, say) stops the whole load.
    empty_the_site()
    lines.append(json.dumps({"model": "auth.group", "pk": 9, "fields": {"name": "x"}}))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="never holds"):
        call_command("import_community", str(file), verbosity=0, stdout=StringIO())
    assert counts()["community.User"] == 0 and not ModerationLog.objects.exists()
