"""Reads of the catalogue: the product list by brand line, and a product's page.

A product's questions are the question threads asked about it (``Thread.product``) or
carrying its tag; each shows its first answers, those by owners of the product marked
(``commerce.owners.owner_marks``). The page costs the same few queries whatever the number
of questions, answers or accessories.
"""
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber

from community.commerce.owners import owner_marks
from community.models import Moment, Post, PostImage, Product, ProductImage, Thread
from community.selectors.paging import Slice, page_slice

LIST_PAGE = 24
QUESTIONS_PAGE = 10
ANSWERS_SHOWN = 2
RELATED = 5
MOMENTS = 3


def _images():
    return Prefetch("images", queryset=ProductImage.objects.select_related("image").only(
        "product_id", "position", "image__alt_text", "image__variants", "image__width",
        "image__height"))


@dataclass
class ProductList(Slice):
    lines: list = field(default_factory=list)
    line: str = ""


def product_list(*, line: str = "", page: int = 1) -> ProductList:
    """Products on sale, by line then name, each with its first ``photo`` (or None); the
    lines to choose from (three queries)."""
    products = Product.objects.filter(is_active=True).select_related("parent").only(
        "name", "slug", "line", "description", "parent__name", "parent__slug")
    lines = list(Product.objects.filter(is_active=True).exclude(line="")
                 .order_by("line").values_list("line", flat=True).distinct())
    if line:
        products = products.filter(line=line)
    products = products.order_by("line", "name", "pk").prefetch_related(_images())
    shown = page_slice(products, page=page, size=LIST_PAGE, kind=ProductList, lines=lines,
                       line=line)
    for product in shown.items:
        product.photo = first_image(product)
    return shown


def product_get(slug: str) -> Product:
    """The product with what its page's header shows (``Product.DoesNotExist``)."""
    return (Product.objects.select_related("parent", "space", "tag")
            .prefetch_related(_images()).get(slug=slug))


def product_questions_of(product: Product):
    """Question threads about ``product``: asked from its page or carrying its tag."""
    about = Q(product=product)
    if product.tag_id:
        about |= Q(pk__in=Thread.tags.through.objects.filter(tag_id=product.tag_id)
                   .values("thread_id"))
    return Thread.objects.filter(about, kind=Thread.Kind.QUESTION, is_deleted=False,
                                 is_hidden=False, merged_into__isnull=True)


@dataclass
class Questions(Slice):
    marks: dict = field(default_factory=dict)  # member id -> "verified" | "declared"


def _first_answers(thread_ids) -> dict[int, list[Post]]:
    rank = Window(RowNumber(), partition_by=[F("thread_id")], order_by=[F("position").asc()])
    rows = (Post.objects.filter(thread_id__in=thread_ids, kind=Post.Kind.ANSWER,
                                status=Post.Status.PUBLISHED, is_deleted=False)
            .annotate(rank=rank).filter(rank__lte=ANSWERS_SHOWN)
            .select_related("author")
            .only("thread_id", "position", "body_html", "created_at", "author_role",
                  "author__username", "author__display_name", "author__avatar",
                  "author__is_host", "author__is_superuser")
            .order_by("thread_id", "position"))
    answers: dict[int, list[Post]] = {}
    for post in rows:
        answers.setdefault(post.thread_id, []).append(post)
    return answers


def product_questions(product: Product, *, page: int = 1) -> Questions:
    """One page of the product's questions, latest activity first, each with its first
    answers (``thread.first_answers``) and who among the people shown owns the product
    (``owner_mark`` on each question and answer: "verified", "declared" or ""; three
    queries)."""
    threads = (product_questions_of(product).select_related("author", "space")
               .only("title", "slug", "kind", "created_at", "last_activity_at",
                     "answer_count", "accepted_answer_id", "author_is_staff", "product_id",
                     "space__name", "space__slug", "author__username",
                     "author__display_name", "author__avatar", "author__is_host",
                     "author__is_superuser")
               .order_by("-last_activity_at", "-pk"))
    shown = page_slice(threads, page=page, size=QUESTIONS_PAGE, kind=Questions)
    answers = _first_answers([t.pk for t in shown.items])
    people = {t.author_id for t in shown.items}
    for thread in shown.items:
        thread.first_answers = answers.get(thread.pk, [])
        people.update(post.author_id for post in thread.first_answers)
    shown.marks = owner_marks(product.pk, people)
    for thread in shown.items:  # what each name carries on the page
        thread.owner_mark = shown.marks.get(thread.author_id, "")
        for post in thread.first_answers:
            post.owner_mark = shown.marks.get(post.author_id, "")
    return shown


def family(product: Product) -> tuple[Product | None, list[Product]]:
    """The main product (None when ``product`` is one) and the accessories of the family,
    ``product`` itself left out (one query)."""
    main = product.parent
    of = main or product
    accessories = list(Product.objects.filter(parent=of).exclude(pk=product.pk)
                       .order_by("name", "pk").only("name", "slug", "is_active", "parent_id"))
    return main, accessories


def related_threads(product: Product) -> list[Thread]:
    """Conversations near the product: discussions and announcements carrying its tag
    (first) or in its space, the liveliest first (one query)."""
    tagged = Q(pk__in=Thread.tags.through.objects.filter(tag_id=product.tag_id)
               .values("thread_id")) if product.tag_id else None
    near = (tagged or Q()) | (Q(space_id=product.space_id) if product.space_id else Q())
    if not near:
        return []
    first = Case(When(tagged, then=Value(0)), default=Value(1),
                 output_field=IntegerField()) if tagged else Value(1)
    return list(Thread.objects.filter(near, is_deleted=False, is_hidden=False,
                                      merged_into__isnull=True)
                .exclude(kind=Thread.Kind.QUESTION)
                .only("title", "slug", "kind", "post_count", "last_activity_at")
                .order_by(first, "-social_score", "-last_activity_at", "-pk")[:RELATED])


def related_moments(product: Product) -> list[Moment]:
    """Moments of the product's space, the latest first (one query)."""
    if not product.space_id:
        return []
    return list(Moment.objects.filter(space_id=product.space_id, thread__is_deleted=False,
                                      thread__is_hidden=False)
                .select_related("cover").order_by("-opens_at", "-pk")[:MOMENTS])


def first_image(product: Product) -> PostImage | None:
    images = list(product.images.all())
    return images[0].image if images else None
