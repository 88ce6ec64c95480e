"""Curation: members' collections of threads and posts, who sees and changes them, who
hears of additions, the pages, and curation in the host's engagement mix."""
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.engine import engagement
from community.host import dashboard
from community.models import (
    Collection,
    CollectionFollow,
    CollectionItem,
    EngagementEvent,
    Notification,
)
from community.services import collections, conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db
EVENT = EngagementEvent.Kind


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Fermenting")


@pytest.fixture
def curator():
    return factories.UserFactory(display_name="Cora Curator")


@pytest.fixture
def question(space):
    return conversations.thread_create(author=factories.UserFactory(display_name="Ada Asker"),
                                       space=space, kind="question",
                                       title="Fermentation stopped after two days",
                                       body="Is it stuck?")


@pytest.fixture
def answer(question):
    return conversations.post_create(author=factories.UserFactory(display_name="Hugo Helper"),
                                     thread=question, body="Swirl the fermenter and wait.")


@pytest.fixture
def board(curator):
    return collections.collection_create(owner=curator, title="Best of fermentation",
                                         description="Answers I keep going back to.")


def _threads(space, n, author=None):
    author = author or factories.UserFactory()
    return [conversations.thread_create(author=author, space=space, kind="discussion",
                                        title=f"Brew log number {i}", body="Notes.")
            for i in range(n)]


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# Services: the rules -------------------------------------------------------------------

def test_creating_records_an_event_and_refuses_bad_titles(curator):
    made = collections.collection_create(owner=curator, title="  Yeast notes  ")
    assert made.title == "Yeast notes" and made.is_public
    event = EngagementEvent.objects.get(kind=EVENT.COLLECTION_CREATED)
    assert event.actor == curator and event.payload == {"collection": made.pk, "public": True}
    with pytest.raises(ValidationError, match="Give the collection a title"):
        collections.collection_create(owner=curator, title="   ")
    with pytest.raises(ValidationError, match="the most is 80"):
        collections.collection_create(owner=curator, title="x" * 81)


def test_a_member_keeps_a_limited_number_and_a_new_member_fewer(settings, curator):
    settings.COLLECTIONS_PER_MEMBER, settings.COLLECTIONS_PER_NEW_MEMBER = 2, 1
    for n in range(2):
        collections.collection_create(owner=curator, title=f"Board {n}")
    with pytest.raises(ValidationError, match="2 collections, the most you can keep"):
        collections.collection_create(owner=curator, title="One more")
    newcomer = factories.NewMemberFactory()
    collections.collection_create(owner=newcomer, title="First board")
    with pytest.raises(ValidationError, match="New members have this limit"):
        collections.collection_create(owner=newcomer, title="Second board")


def test_a_new_member_puts_no_links_in_a_description_and_blocked_words_refuse():
    from community.models import CommunitySettings

    newcomer = factories.NewMemberFactory()
    with pytest.raises(ValidationError, match="links or web addresses"):
        collections.collection_create(owner=newcomer, title="Deals",
                                      description="Cheap hops at cheap-hops.example.com")
    s = CommunitySettings.get()
    s.blocked_words = "casino"
    s.save()
    with pytest.raises(ValidationError, match="does not allow"):
        collections.collection_create(owner=factories.UserFactory(), title="Casino brews")


def test_items_are_added_once_in_order_and_an_opening_post_stands_for_its_thread(
        board, curator, question, answer):
    first = collections.collection_item_add(actor=curator, collection=board,
                                            post=question.opening_post)
    assert first.thread == question and first.post is None
    second = collections.collection_item_add(actor=curator, collection=board, post=answer,
                                             note="The swirl trick")
    assert [i.pk for i in board.items.all()] == [first.pk, second.pk]
    with pytest.raises(ValidationError, match="already in “Best of fermentation”"):
        collections.collection_item_add(actor=curator, collection=board, thread=question)
    event = EngagementEvent.objects.filter(kind=EVENT.COLLECTION_ITEM_ADDED).last()
    assert (event.post_id, event.thread_id, event.subject_user_id) == (
        answer.pk, question.pk, answer.author_id)


def test_a_full_collection_refuses_one_more(settings, board, curator, space):
    settings.COLLECTION_ITEMS_MAX = 2
    threads = _threads(space, 3)
    for thread in threads[:2]:
        collections.collection_item_add(actor=curator, collection=board, thread=thread)
    with pytest.raises(ValidationError, match="holds 2 items, the most"):
        collections.collection_item_add(actor=curator, collection=board, thread=threads[2])


def test_hidden_and_deleted_posts_cannot_be_collected(board, curator, answer):
    moderation.review_hide(actor=factories.HostFactory(), post=answer, reason="Checking")
    answer.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be collected"):
        collections.collection_item_add(actor=curator, collection=board, post=answer)


def test_only_the_owner_changes_a_collection(board, answer):
    other = factories.UserFactory()
    for write in (
        lambda: collections.collection_edit(actor=other, collection=board, title="Mine now",
                                            description="", is_public=True),
        lambda: collections.collection_item_add(actor=other, collection=board, post=answer),
        lambda: collections.collection_delete(actor=other, collection=board),
    ):
        with pytest.raises(PermissionDenied):
            write()
    board.refresh_from_db()
    assert board.title == "Best of fermentation" and board.deleted_at is None


def test_moving_swaps_neighbours_and_stops_at_the_ends(board, curator, space):
    a, b, c = (collections.collection_item_add(actor=curator, collection=board, thread=t)
               for t in _threads(space, 3))
    assert collections.collection_item_move(actor=curator, item=c, direction="up")
    assert [i.pk for i in board.items.all()] == [a.pk, c.pk, b.pk]
    assert not collections.collection_item_move(actor=curator, item=a, direction="up")
    assert collections.collection_item_move(actor=curator, item=a, direction="down")
    assert [i.pk for i in board.items.all()] == [c.pk, a.pk, b.pk]
    assert EngagementEvent.objects.filter(kind=EVENT.COLLECTION_REORDERED).count() == 2
    with pytest.raises(ValidationError):
        collections.collection_item_move(actor=curator, item=a, direction="sideways")


def test_removing_an_item(board, curator, question):
    item = collections.collection_item_add(actor=curator, collection=board, thread=question)
    collections.collection_item_remove(actor=curator, item=item)
    assert not board.items.exists()
    assert EngagementEvent.objects.filter(kind=EVENT.COLLECTION_ITEM_REMOVED,
                                          thread_id=question.pk).exists()


def test_following_reuses_follow_set_and_private_ones_cannot_be_followed(board, curator):
    fan = factories.UserFactory()
    assert collections.collection_follow_set(user=fan, collection=board, follow=True)
    assert not collections.collection_follow_set(user=fan, collection=board, follow=True)
    event = EngagementEvent.objects.get(kind=EVENT.FOLLOWED)
    assert event.payload == {"follow": True, "collection": board.pk}
    assert collections.collection_follow_set(user=fan, collection=board, follow=False)
    secret = collections.collection_create(owner=curator, title="Secret", is_public=False)
    with pytest.raises(PermissionDenied):
        collections.collection_follow_set(user=fan, collection=secret, follow=True)
    with pytest.raises(PermissionDenied):  # nor their own
        collections.collection_follow_set(user=curator, collection=board, follow=True)


def test_hosts_feature_public_collections_only_and_private_ones_leave_the_list(board, curator):
    host = factories.HostFactory()
    with pytest.raises(PermissionDenied):
        collections.collection_feature_set(actor=curator, collection=board, featured=True)
    assert collections.collection_feature_set(actor=host, collection=board, featured=True)
    board.refresh_from_db()
    assert board.featured_by == host and board.featured_at is not None
    event = EngagementEvent.objects.get(kind=EVENT.COLLECTION_FEATURED)
    assert event.subject_user_id == curator.pk
    collections.collection_edit(actor=curator, collection=board, title=board.title,
                                description="", is_public=False)
    board.refresh_from_db()
    assert board.featured_at is None
    with pytest.raises(PermissionDenied):
        collections.collection_feature_set(actor=host, collection=board, featured=True)


def test_deleting_keeps_it_restorable_for_thirty_days(board, curator):
    collections.collection_delete(actor=curator, collection=board)
    assert not Collection.objects.live().filter(pk=board.pk).exists()
    collections.collection_restore(actor=curator, collection=board)
    assert Collection.objects.live().filter(pk=board.pk).exists()
    collections.collection_delete(actor=curator, collection=board)
    Collection.objects.filter(pk=board.pk).update(
        deleted_at=timezone.now() - timedelta(days=31))
    board.refresh_from_db()
    with pytest.raises(ValidationError, match="too long ago"):
        collections.collection_restore(actor=curator, collection=board)
    actions = list(EngagementEvent.objects.filter(kind=EVENT.COLLECTION_EDITED)
                   .values_list("payload__action", flat=True))
    assert actions == ["deleted", "restored", "deleted"]


# Permissions ---------------------------------------------------------------------------

def test_permission_predicates(board, curator):
    from django.contrib.auth.models import AnonymousUser

    other, host = factories.UserFactory(), factories.HostFactory()
    secret = collections.collection_create(owner=curator, title="Secret", is_public=False)
    anon = AnonymousUser()
    assert permissions.can_view_collection(anon, board)
    assert not permissions.can_view_collection(anon, secret)
    assert not permissions.can_view_collection(host, secret)
    assert permissions.can_view_collection(curator, secret)
    assert permissions.can_edit_collection(curator, board)
    assert not permissions.can_edit_collection(other, board)
    assert not permissions.can_edit_collection(host, board)
    assert permissions.can_feature_collection(host, board)
    assert not permissions.can_feature_collection(host, secret)
    assert not permissions.can_feature_collection(other, board)
    moderation.suspend(actor=host, user=curator, reason="Spam",
                       ends_at=timezone.now() + timedelta(days=2))
    curator = type(curator).objects.get(pk=curator.pk)
    assert not permissions.can_edit_collection(curator, board)


def test_a_private_collection_is_not_found_for_anyone_else(client_as, curator):
    secret = collections.collection_create(owner=curator, title="Secret", is_public=False)
    url = secret.get_absolute_url()
    for visitor in (None, factories.UserFactory(), factories.HostFactory()):
        assert client_as(visitor).get(url).status_code == 404
        assert client_as(visitor).get(reverse("collection_edit", args=[secret.pk])
                                      ).status_code in (302, 404)
    assert client_as(curator).get(url).status_code == 200


# Notifications -------------------------------------------------------------------------

def test_followers_hear_of_additions_to_a_public_collection(board, curator, question):
    fan = factories.UserFactory()
    collections.collection_follow_set(user=fan, collection=board, follow=True)
    collections.collection_item_add(actor=curator, collection=board, thread=question)
    engagement.process_pending()
    notice = Notification.objects.get(recipient=fan)
    assert notice.kind == Notification.Kind.CURATED
    assert notice.url == board.get_absolute_url()
    from community.engine.notifications import describe

    assert "Best of fermentation" in describe(notice) and "a collection you follow" in describe(
        notice)
    assert _kinds(curator) == []


def test_a_private_collection_tells_nobody(curator, question):
    secret = collections.collection_create(owner=curator, title="Secret", is_public=False)
    collections.collection_item_add(actor=curator, collection=secret, thread=question)
    engagement.process_pending()
    assert _kinds(question.author) == []


def test_the_author_hears_once_a_day_at_most(curator, space):
    author = factories.UserFactory()
    first, second, third = _threads(space, 3, author=author)
    board = collections.collection_create(owner=curator, title="Favourites")
    collections.collection_item_add(actor=curator, collection=board, thread=first)
    collections.collection_item_add(actor=curator, collection=board, thread=second)
    engagement.process_pending()
    assert _kinds(author) == [Notification.Kind.COLLECTED]
    # A day and an hour later (the stored time of the notice that was sent), they hear again.
    EngagementEvent.objects.filter(kind=EVENT.COLLECTION_ITEM_ADDED).update(
        created_at=timezone.now() - timedelta(hours=25))
    collections.collection_item_add(actor=curator, collection=board, thread=third)
    engagement.process_pending()
    assert _kinds(author) == [Notification.Kind.COLLECTED] * 2
    # Their own post in their own collection tells them nothing.
    mine = collections.collection_create(owner=author, title="My logs")
    EngagementEvent.objects.filter(kind=EVENT.COLLECTION_ITEM_ADDED).update(
        created_at=timezone.now() - timedelta(hours=25))
    collections.collection_item_add(actor=author, collection=mine, thread=first)
    engagement.process_pending()
    assert len(_kinds(author)) == 2


def test_the_notice_leads_to_the_collection(client_as, board, curator, question):
    collections.collection_item_add(actor=curator, collection=board, thread=question)
    engagement.process_pending()
    notice = Notification.objects.get(recipient=question.author)
    client = client_as(question.author)
    assert client.get(reverse("notifications")).status_code == 200
    response = client.get(reverse("notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()


# Pages ---------------------------------------------------------------------------------

def test_the_collection_page_lists_items_in_order_with_what_each_is(client, board, curator,
                                                                      question, answer):
    collections.collection_item_add(actor=curator, collection=board, post=answer,
                                    note="The swirl trick")
    collections.collection_item_add(actor=curator, collection=board, thread=question)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Best of fermentation" in page and "Cora Curator" in page
    assert page.index("Answer in “Fermentation stopped") < page.index("Question</span>")
    assert reverse("post_permalink", args=[answer.pk]) in page
    assert question.get_absolute_url() in page
    assert "The swirl trick" in page and "0 followers" in page


def test_an_empty_collection_says_so(client_as, board, curator):
    assert "Nothing here yet" in client_as(None).get(board.get_absolute_url()).content.decode()
    assert "Add to collection" in client_as(curator).get(board.get_absolute_url()
                                                         ).content.decode()


def test_a_deleted_post_shows_as_gone_not_as_its_text(client, board, curator, answer):
    collections.collection_item_add(actor=curator, collection=board, post=answer)
    conversations.post_delete(actor=answer.author, post=answer)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "no longer available" in page and "Swirl the fermenter" not in page


def test_up_and_down_buttons_reorder_without_javascript(client_as, board, curator, space):
    one, two = (collections.collection_item_add(actor=curator, collection=board, thread=t)
                for t in _threads(space, 2))
    client = client_as(curator)
    page = client.get(board.get_absolute_url()).content.decode()
    assert 'aria-label="Move “Brew log number 1” up"' in page
    assert 'aria-label="Move “Brew log number 0” up"' not in page  # the first has no "up"
    response = client.post(reverse("collection_item_move", args=[two.pk]), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{two.pk}")
    page = client.get(board.get_absolute_url()).content.decode()
    assert page.index("Brew log number 1") < page.index("Brew log number 0")
    client.post(reverse("collection_item_remove", args=[one.pk]))
    assert list(board.items.values_list("pk", flat=True)) == [two.pk]


def test_follow_button_with_and_without_htmx(client_as, board):
    fan = factories.UserFactory()
    client = client_as(fan)
    url = reverse("collection_follow", args=[board.pk])
    partial = client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "Following ✓" in text and "1 follower" in text and "<html" not in text
    response = client.post(url, {"follow": "0"})
    assert response.status_code == 302
    assert not CollectionFollow.objects.filter(user=fan).exists()
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Follow collection" in page


def test_create_edit_delete_and_restore_through_the_pages(client_as, curator):
    client = client_as(curator)
    response = client.post(reverse("collection_create"),
                           {"title": "", "description": "Kept text", "is_public": "public"})
    assert response.status_code == 200 and "Kept text" in response.content.decode()
    response = client.post(reverse("collection_create"),
                           {"title": "Hop swaps", "description": "", "is_public": "private"})
    made = Collection.objects.get(title="Hop swaps")
    assert response["Location"] == made.get_absolute_url() and not made.is_public
    client.post(reverse("collection_edit", args=[made.pk]),
                {"title": "Hop swaps that worked", "description": "", "is_public": "public"})
    made.refresh_from_db()
    assert made.title == "Hop swaps that worked" and made.is_public
    confirm = client.get(reverse("collection_delete", args=[made.pk])).content.decode()
    assert "Delete “Hop swaps that worked”?" in confirm and "Keep it" in confirm
    response = client.post(reverse("collection_delete", args=[made.pk]), follow=True)
    page = response.content.decode()
    assert "is deleted" in page and "Restore “Hop swaps that worked”" in page
    assert client_as(None).get(made.get_absolute_url()).status_code == 404
    client = client_as(curator)
    client.post(reverse("collection_restore", args=[made.pk]))
    assert client_as(None).get(made.get_absolute_url()).status_code == 200


def test_a_refused_title_keeps_what_was_typed_with_a_400(client_as, settings, curator):
    settings.COLLECTIONS_PER_MEMBER = 0
    response = client_as(curator).post(reverse("collection_create"), {
        "title": "One too many", "description": "My words", "is_public": "public"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "the most you can keep" in page and "My words" in page


def test_add_to_collection_from_a_post_with_the_select_or_a_new_one(client_as, curator, board,
                                                                       answer):
    client = client_as(curator)
    thread_page = client.get(answer.thread.get_absolute_url()).content.decode()
    assert f"{reverse('collection_add')}?post={answer.pk}" in thread_page
    form = client.get(f"{reverse('collection_add')}?post={answer.pk}").content.decode()
    assert "Best of fermentation" in form and "New collection…" in form
    response = client.post(reverse("collection_add"), {
        "post": answer.pk, "collection": board.pk, "note": "Works for me"})
    assert response.status_code == 302
    assert CollectionItem.objects.get(collection=board).note == "Works for me"
    again = client.get(f"{reverse('collection_add')}?post={answer.pk}").content.decode()
    assert "Best of fermentation (already added)" in again
    duplicate = client.post(reverse("collection_add"), {"post": answer.pk,
                                                        "collection": board.pk})
    assert duplicate.status_code == 400 and "already in" in duplicate.content.decode()
    # "New collection…": the form to make one, which starts with the post.
    response = client.post(reverse("collection_add"), {"post": answer.pk, "collection": "new"})
    assert response["Location"] == f"{reverse('collection_create')}?post={answer.pk}"
    form = client.get(response["Location"]).content.decode()
    assert "It will start with Hugo Helper" in form
    client.post(reverse("collection_create"), {"post": answer.pk, "title": "Swirls",
                                               "description": "", "is_public": "public"})
    assert CollectionItem.objects.filter(collection__title="Swirls", post=answer).exists()
    # Someone else's collection is not a choice.
    other = collections.collection_create(owner=factories.UserFactory(), title="Not yours")
    response = client.post(reverse("collection_add"), {"post": answer.pk,
                                                       "collection": other.pk})
    assert response.status_code == 200 and not other.items.exists()


def test_anonymous_readers_get_no_add_control_and_a_hidden_post_is_not_found(
        client_as, answer, curator):
    page = client_as(None).get(answer.thread.get_absolute_url()).content.decode()
    assert "Add to collection" not in page
    moderation.review_hide(actor=factories.HostFactory(), post=answer, reason="Checking")
    response = client_as(curator).get(f"{reverse('collection_add')}?post={answer.pk}")
    assert response.status_code == 404
    assert client_as(curator).get(f"{reverse('collection_add')}?post=abc").status_code == 404


def test_collections_page_puts_featured_first_and_pages(client, settings, curator):
    older = collections.collection_create(owner=curator, title="Featured pick")
    for n in range(21):
        collections.collection_create(owner=factories.UserFactory(), title=f"Board {n}")
    collections.collection_create(owner=curator, title="Secret", is_public=False)
    collections.collection_feature_set(actor=factories.HostFactory(), collection=older,
                                       featured=True)
    page = client.get(reverse("collection_list")).content.decode()
    assert page.index("Featured pick") < page.index("Board 20")
    assert "Secret" not in page and "Older →" in page
    second = client.get(reverse("collection_list") + "?page=2").content.decode()
    assert "Board 0" in second and "Featured pick" not in second


def test_profile_tab_shows_public_ones_to_others_and_all_to_the_owner(client_as, curator,
                                                                       board):
    collections.collection_create(owner=curator, title="Secret", is_public=False)
    url = reverse("profile", args=[curator.username]) + "?activity=collections"
    for visitor in (None, factories.UserFactory()):
        page = client_as(visitor).get(url).content.decode()
        assert "Best of fermentation" in page and "Secret" not in page
    page = client_as(curator).get(url).content.decode()
    assert "Best of fermentation" in page and "Secret" in page and "Private" in page
    empty = reverse("profile", args=[factories.UserFactory().username]) + (
        "?activity=collections")
    assert "No collections yet." in client_as(None).get(empty).content.decode()


def test_the_profile_tab_kept_for_anonymous_readers_shows_a_new_collection(client, settings,
                                                                            curator):
    settings.PAGE_CACHE = True
    url = reverse("profile", args=[curator.username]) + "?activity=collections"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    collections.collection_create(owner=curator, title="Brand new board")
    response = client.get(url)
    assert "Brand new board" in response.content.decode()


def test_my_collections_lists_mine_and_an_empty_state(client_as, curator):
    assert "You have no collections yet" in client_as(curator).get(
        reverse("collection_mine")).content.decode()
    collections.collection_create(owner=curator, title="Secret", is_public=False)
    assert "Secret" in client_as(curator).get(reverse("collection_mine")).content.decode()


# Query budgets ---------------------------------------------------------------------------

def test_collection_page_costs_the_same_with_many_items(client_as, django_assert_max_num_queries,
                                                         curator, board, space):
    author = factories.UserFactory()
    threads = _threads(space, 30, author=author)
    for thread in threads[:15]:
        collections.collection_item_add(actor=curator, collection=board, thread=thread)
        reply = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                          body="Nice log.")
        collections.collection_item_add(actor=curator, collection=board, post=reply)
    # The collection and its items, the followers; a member's session, user and follow.
    for visitor, budget in ((None, 3), (factories.UserFactory(), 5), (curator, 5)):
        client = client_as(visitor)
        client.get(board.get_absolute_url())
        with django_assert_max_num_queries(budget):
            response = client.get(board.get_absolute_url())
        assert response.content.decode().count('class="card collection-item"') == 30


def test_list_pages_cost_a_few_queries_with_many_collections(
        client_as, django_assert_max_num_queries, curator, space):
    threads = _threads(space, 3)
    for n in range(25):
        made = collections.collection_create(owner=curator, title=f"Board {n}")
        for thread in threads:
            collections.collection_item_add(actor=curator, collection=made, thread=thread)
    client = client_as(curator)
    for url, budget in ((reverse("collection_list"), 2), (reverse("collection_mine"), 3),
                        # the profile: 10 with the products its owner owns
                        (reverse("profile", args=[curator.username]) + "?activity=collections",
                         10)):
        client.get(url)
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


# The engagement mix ----------------------------------------------------------------------

def test_curation_counts_in_the_engagement_mix(client_as, curator, board, question, answer):
    collections.collection_item_add(actor=curator, collection=board, thread=question)
    collections.collection_item_add(actor=curator, collection=board, post=answer)
    host = factories.HostFactory()
    staff_board = collections.collection_create(owner=host, title="Host picks")
    collections.collection_item_add(actor=host, collection=staff_board, thread=question)
    mix = {row["name"]: row["count"] for row in dashboard.engagement_mix(dashboard.Period())}
    assert mix["curation"] == 3  # the member made one and added two; staff do not count
    page = client_as(host).get(reverse("host_dashboard")).content.decode()
    # A row of the mix's table, generated from its definition (a cell or a row header).
    assert re.search(r"Curation</t[dh]>\s*<td>3</td>", page[page.index("Engagement mix"):])


def test_my_data_download_holds_my_collections(client_as, curator, board, question):
    import json

    collections.collection_item_add(actor=curator, collection=board, thread=question,
                                    note="Start here")
    collections.collection_create(owner=curator, title="Secret", is_public=False)
    data = json.loads(client_as(curator).get(reverse("my_data_download")).content)
    titles = {c["title"]: c for c in data["collections"]}
    assert set(titles) == {"Best of fermentation", "Secret"}
    assert titles["Best of fermentation"]["items"] == [{
        "thread_id": question.pk, "post_id": None, "note": "Start here",
        "added_at": board.items.get().added_at.isoformat()}]
    assert titles["Secret"]["public"] is False
