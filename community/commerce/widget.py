"""What the shop's widget shows: a product's questions, each with its first answers.

One reading for both faces of the widget, the framed page (``community/widget.html``) and
the JSON (:func:`as_json`): questions asked about the product (``Thread.product``) that
anyone may read, the newest activity first, :data:`PAGE_SIZE` to a page; under each, the
accepted answer and then the most helpful, at most :data:`ANSWERS_SHOWN` (the rest are one
link away, on the thread's page). An answer by somebody who owns the product is marked
(``owners.owner_marks``: verified or declared) and a host's carries the brand's badge.
Three queries whatever the number of questions: the questions, their answers, the owners
among the answerers.
"""
from dataclasses import dataclass, field

from django.db.models import Case, F, When, Window
from django.db.models.functions import RowNumber

from community.models import Post, Product, Thread
from community.selectors.paging import Slice, page_slice

from .owners import owner_marks

PAGE_SIZE = 10
ANSWERS_SHOWN = 3


@dataclass
class WidgetAnswer:
    pk: int
    author_name: str
    author_url: str
    is_staff: bool
    owner: str | None  # "verified", "declared" or None
    is_accepted: bool
    body_html: str
    created_at: object


@dataclass
class WidgetQuestion:
    pk: int
    title: str
    url: str
    asker_name: str
    created_at: object
    answer_count: int
    answers: list[WidgetAnswer] = field(default_factory=list)

    @property
    def more_answers(self) -> int:
        return max(self.answer_count - len(self.answers), 0)


@dataclass
class WidgetPage(Slice):
    product: Product | None = None


def product_for_widget(sku: str) -> Product | None:
    """The product on sale under ``sku`` (the shop's own key), or None."""
    return (Product.objects.filter(sku=sku[:64], is_active=True)
            .select_related("space").first())


def _questions(product):
    return (Thread.objects.filter(product=product, kind=Thread.Kind.QUESTION, is_deleted=False,
                                  is_hidden=False, merged_into__isnull=True)
            .select_related("author")
            .only("id", "title", "slug", "created_at", "answer_count", "accepted_answer_id",
                  "last_activity_at", "author__username", "author__display_name")
            .order_by("-last_activity_at", "-id"))


def widget_page(product: Product, *, page: int = 1) -> WidgetPage:
    """Page ``page`` of ``product``'s questions with their first answers."""
    found = page_slice(_questions(product), page=page, size=PAGE_SIZE, kind=WidgetPage,
                       product=product)
    threads = found.items
    accepted = {t.accepted_answer_id for t in threads if t.accepted_answer_id}
    answers = list(
        Post.objects.filter(thread__in=[t.pk for t in threads], kind=Post.Kind.ANSWER,
                            is_deleted=False, status=Post.Status.PUBLISHED)
        .select_related("author")
        .only("id", "thread_id", "author_id", "author_role", "body_html", "created_at",
              "helpful_score", "position", "author__username", "author__display_name")
        .alias(is_accepted=Case(When(pk=F("thread__accepted_answer_id"), then=1), default=0))
        .annotate(rank=Window(RowNumber(), partition_by=[F("thread_id")], order_by=[
            # The accepted answer first, then the most helpful, then the oldest.
            F("is_accepted").desc(), F("helpful_score").desc(), F("position").asc()]))
        .filter(rank__lte=ANSWERS_SHOWN)
        .order_by("thread_id", "rank")
    ) if threads else []
    marks = owner_marks(product.pk, {a.author_id for a in answers})
    by_thread: dict[int, list[WidgetAnswer]] = {}
    for answer in answers:
        by_thread.setdefault(answer.thread_id, []).append(WidgetAnswer(
            pk=answer.pk, author_name=answer.author.name,
            author_url=answer.author.get_absolute_url(),
            is_staff=answer.author_role == Post.Role.STAFF,
            owner=marks.get(answer.author_id), is_accepted=answer.pk in accepted,
            body_html=answer.body_html, created_at=answer.created_at))
    found.items = [WidgetQuestion(
        pk=t.pk, title=t.title, url=t.get_absolute_url(), asker_name=t.author.name,
        created_at=t.created_at, answer_count=t.answer_count,
        answers=by_thread.get(t.pk, [])) for t in threads]
    return found


def as_json(found: WidgetPage, *, absolute) -> dict:
    """The page as the JSON endpoint sends it; ``absolute(path)`` makes a full address
    (the shop's page is on another origin)."""
    product = found.product
    return {
        "product": {"sku": product.sku, "name": product.name,
                    "url": absolute(product.get_absolute_url())},
        "page": found.number,
        "has_next": found.has_next,
        "questions": [{
            "id": q.pk, "title": q.title, "url": absolute(q.url), "asked_by": q.asker_name,
            "asked_at": q.created_at.isoformat(), "answer_count": q.answer_count,
            "more_answers": q.more_answers,
            "answers": [{
                "id": a.pk, "author": a.author_name, "author_url": absolute(a.author_url),
                "staff": a.is_staff, "owner": a.owner, "accepted": a.is_accepted,
                "body_html": a.body_html, "answered_at": a.created_at.isoformat(),
            } for a in q.answers],
        } for q in found.items],
    }
