"""Every resource read and written through the API, as its page would: the same
visibility, the same services (limits, review, events), the same refusals."""
import pytest
from django.urls import reverse

from community.models import EngagementEvent, Post, Thread
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db


def _question(author, space, title="Which kettle for 20 litres?"):
    return conversations.thread_create(author=author, space=space, kind=Thread.Kind.QUESTION,
                                       title=title, body="Looking for advice.")


def test_spaces_and_tags_are_listed_for_anyone(api, space):
    factories.SpaceFactory(name="Yeast")
    conversations.tags_resolve(["lager"])
    spaces = api().get(reverse("api:space-list")).json()
    assert [row["slug"] for row in spaces["results"]] == ["kettles", "yeast"]
    assert api().get(reverse("api:space-detail", args=["kettles"])).json()["name"] == "Kettles"
    assert api().get(reverse("api:tag-list")).json()["results"] == [
        {"name": "lager", "description": ""}]


def test_threads_list_filters_by_space_tag_and_kind_and_hides_what_the_feed_hides(api, space):
    member = factories.UserFactory()
    other = factories.SpaceFactory(name="Yeast")
    asked = _question(member, space)
    chat = conversations.thread_create(author=member, space=other, kind="discussion",
                                       title="Show your brew days", body="Pictures!",
                                       tags=["lager"])
    deleted = _question(member, space, "A question that was removed")
    Thread.objects.filter(pk=deleted.pk).update(is_deleted=True)
    hidden = _question(member, space, "A question waiting for review")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)

    def ids(**params):
        return [row["id"] for row in api().get(reverse("api:thread-list"), params)
                .json()["results"]]

    assert set(ids()) == {asked.pk, chat.pk}
    assert ids(space="kettles") == [asked.pk]
    assert ids(tag="lager") == [chat.pk]
    assert ids(kind="question") == [asked.pk]
    row = api().get(reverse("api:thread-list"), {"space": "yeast"}).json()["results"][0]
    assert row["title"] == "Show your brew days" and row["tags"] == ["lager"]
    assert row["author"]["username"] == member.username
    assert row["url"].endswith(chat.get_absolute_url())


def test_a_thread_and_its_posts_show_what_its_page_shows(api, space):
    asker, helper, host = factories.UserFactory(), factories.UserFactory(), factories.HostFactory()
    thread = _question(asker, space)
    answer = conversations.post_create(author=helper, thread=thread, body="The **30 L** one.")
    held = conversations.post_create(author=helper, thread=thread, body="Another idea.")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    detail = api().get(reverse("api:thread-detail", args=[thread.pk])).json()
    assert detail["title"] == "Which kettle for 20 litres?"
    assert "Looking for advice." in detail["body_html"]
    path = reverse("api:thread-posts", args=[thread.pk])
    anonymous = [p["id"] for p in api().get(path).json()["results"]]
    assert anonymous == [thread.opening_post_id, answer.pk]
    # The held post: its author and the hosts see it, nobody else.
    assert held.pk in [p["id"] for p in api(helper).get(path).json()["results"]]
    assert held.pk in [p["id"] for p in api(host).get(path).json()["results"]]
    assert held.pk not in [p["id"] for p in api(asker).get(path).json()["results"]]
    body = api().get(reverse("api:post-detail", args=[answer.pk])).json()
    assert "<strong>30 L</strong>" in body["body_html"] and body["kind"] == "answer"
    assert api().get(reverse("api:post-detail", args=[held.pk])).status_code == 404


def test_a_thread_waiting_for_review_is_its_author_s_and_the_hosts(api, space):
    author = factories.UserFactory()
    thread = _question(author, space)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    path = reverse("api:thread-detail", args=[thread.pk])
    assert api().get(path).status_code == 404
    assert api(factories.UserFactory()).get(path).status_code == 404
    assert api(author).get(path).status_code == 200
    assert api(factories.HostFactory()).get(path).status_code == 200


def test_a_member_starts_a_thread_through_the_same_service(api, space):
    member = factories.UserFactory()
    response = api(member).post(reverse("api:thread-list"), {
        "space": "kettles", "kind": "question", "title": "How long to boil a wort?",
        "body": "Sixty minutes or ninety?", "tags": ["boil"]})
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    assert thread.author == member and thread.kind == "question"
    assert [t.name for t in thread.tags.all()] == ["boil"]
    assert EngagementEvent.objects.filter(kind="thread_created", thread_id=thread.pk).exists()
    # Announcements are the host's voice: the same predicate refuses a member.
    refused = api(member).post(reverse("api:thread-list"), {
        "space": "kettles", "kind": "announcement", "title": "Big news for everyone",
        "body": "Hello"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the host team can post announcements."


def test_answers_replies_and_edits_go_through_the_services(api, space):
    asker, helper = factories.UserFactory(), factories.UserFactory()
    thread = _question(asker, space)
    path = reverse("api:thread-posts", args=[thread.pk])
    answered = api(helper).post(path, {"body": "Ninety for pilsner."})
    assert answered.status_code == 201 and answered.json()["kind"] == "answer"
    replied = api(asker).post(path, {"body": "Why ninety?", "parent": answered.json()["id"]})
    assert replied.status_code == 201 and replied.json()["kind"] == "reply"
    assert replied.json()["parent"] == answered.json()["id"]
    assert EngagementEvent.objects.filter(kind="post_created", thread_id=thread.pk).count() == 2
    edit = reverse("api:post-detail", args=[answered.json()["id"]])
    assert api(asker).patch(edit, {"body": "Hijacked"}).status_code == 403
    changed = api(helper).patch(edit, {"body": "Ninety for pilsner, sixty for ale."})
    assert changed.status_code == 200 and "sixty for ale" in changed.json()["body_html"]
    assert Post.objects.get(pk=answered.json()["id"]).revisions.count() == 1
    missing = api(asker).post(path, {"body": "To nowhere", "parent": 10**9})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "parent"


def test_a_locked_thread_refuses_a_reply_with_the_page_s_sentence(api, space):
    thread = _question(factories.UserFactory(), space)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = api(factories.UserFactory()).post(
        reverse("api:thread-posts", args=[thread.pk]), {"body": "Me too"})
    assert response.status_code == 403
    assert response.json()["detail"] == "This thread is locked: no new replies."


def test_helpful_votes_are_cast_and_withdrawn(api, space):
    asker, helper = factories.UserFactory(), factories.UserFactory()
    thread = _question(asker, space)
    answer = conversations.post_create(author=helper, thread=thread, body="The 30 L one.")
    path = reverse("api:post-helpful", args=[answer.pk])
    voter = api(asker)
    assert voter.post(path).json() == {"voted": True, "changed": True, "helpful_count": 1}
    assert voter.post(path).json()["changed"] is False
    assert voter.delete(path).json() == {"voted": False, "changed": True,
                                         "helpful_count": 0}
    assert EngagementEvent.objects.filter(kind="vote_withdrawn", post_id=answer.pk).exists()
    own = api(helper).post(path)
    assert own.status_code == 403 and own.json()["detail"] == "You cannot vote on your own post."
    opening = reverse("api:post-helpful", args=[thread.opening_post_id])
    assert api(helper).post(opening).json()["detail"] == "Only answers can be marked helpful."


def test_a_member_s_public_profile(api):
    member = factories.UserFactory(username="ada", display_name="Ada L", bio="Brews on Sundays",
                                   email="ada@example.com")
    body = api().get(reverse("api:member-detail", args=["ada"])).json()
    assert body["name"] == "Ada L" and body["bio"] == "Brews on Sundays"
    assert "email" not in body and "ada@example.com" not in str(body)
    assert set(body["stats"]) >= {"answers", "questions", "accepted"}
    member.is_former_member = True
    member.save()
    assert api().get(reverse("api:member-detail", args=["ada"])).status_code == 404


def test_search_finds_threads_through_their_posts(api, space):
    member = factories.UserFactory()
    thread = _question(member, space, "Stuck fermentation at 1.020")
    conversations.post_create(author=factories.UserFactory(), thread=thread,
                              body="Rouse the yeast and warm it up.")
    body = api().get(reverse("api:search"), {"q": "yeast"}).json()
    assert [row["id"] for row in body["results"]] == [thread.pk]
    assert body["page"] == 1 and body["next"] is None
    assert api().get(reverse("api:search"), {"kind": "poem"}).status_code == 400


def test_projects_and_partner_organisations_are_read_as_their_pages(api, space):
    from partners.models import Organisation
    from purpose import services as purpose

    owner, host = factories.UserFactory(), factories.HostFactory()
    project = purpose.project_propose(author=owner, title="Harvest ale", goal="One recipe",
                                      description="Together", space=space)
    path = reverse("api:project-detail", args=[project.slug])
    assert api().get(path).status_code == 404  # a proposal: its proposer's and the hosts'
    assert api(owner).get(path).status_code == 200
    assert api().get(reverse("api:project-list")).json()["results"] == []
    assert [p["slug"] for p in api(owner).get(reverse("api:project-list"),
                                              {"status": "proposed"}).json()["results"]] == [
        project.slug]
    purpose.project_status_set(actor=host, project=project, to_status="open")
    listed = api().get(reverse("api:project-list")).json()["results"]
    assert [(p["title"], p["status"]) for p in listed] == [("Harvest ale", "open")]
    verified = factories.OrganisationFactory(name="Northfield Hop Farm")
    applied = factories.OrganisationFactory(name="Still Applying",
                                            status=Organisation.Status.APPLIED)
    names = [o["name"] for o in api().get(reverse("api:organisation-list")).json()["results"]]
    assert names == ["Northfield Hop Farm"]
    assert api().get(reverse("api:organisation-detail", args=[verified.slug])).status_code == 200
    assert api().get(reverse("api:organisation-detail", args=[applied.slug])).status_code == 404
    assert api(host).get(reverse("api:organisation-detail", args=[applied.slug])
                         ).status_code == 200


def test_hosts_read_the_health_figures_of_a_period(api, space):
    host, member = factories.HostFactory(), factories.UserFactory()
    _question(member, space)
    figures = api(host, "moderate").get(reverse("api:health"), {"days": "7"}).json()
    assert figures["posts"] == 1 and figures["social_ratio"] == 1.0
    assert figures["unanswered_questions"] == 1
    bad = api(host, "moderate").get(reverse("api:health"), {"since": "2026-02-30"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "since"
    assert api(member).get(reverse("api:health")).status_code == 403
    assert api().get(reverse("api:health")).status_code == 401


def test_hosts_hide_approve_and_delete_posts_through_moderation(api, space):
    host, author = factories.HostFactory(), factories.UserFactory()
    thread = _question(factories.UserFactory(), space)
    post = conversations.post_create(author=author, thread=thread, body="Buy cheap watches")
    path = reverse("api:post-moderation", args=[post.pk])
    moderator = api(host, "moderate")
    hidden = moderator.post(path, {"action": "hide", "reason": "Spam"})
    assert hidden.status_code == 200 and hidden.json()["status"] == "hidden"
    assert api().get(reverse("api:post-detail", args=[post.pk])).status_code == 404
    assert moderator.post(path, {"action": "approve"}).json()["status"] == "published"
    assert moderator.post(path, {"action": "delete", "reason": "Spam"}).status_code == 200
    assert Post.objects.get(pk=post.pk).is_deleted
    assert moderation.ModerationLog.objects.filter(post_id=post.pk).count() == 3
    refused = api(author, "read", "write").post(path, {"action": "hide"})
    assert refused.status_code == 403
