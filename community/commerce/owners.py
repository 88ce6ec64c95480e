"""Who owns what, as a page shows it: one query for the owners among a page's authors."""
from community.models import Ownership, Product

VERIFIED = "verified"
DECLARED = "declared"


def owner_marks(product_id: int | None, member_ids) -> dict[int, str]:
    """``{member id: "verified" | "declared"}`` for the members among ``member_ids`` who own
    the product (one query; none without a product or members)."""
    member_ids = {pk for pk in member_ids if pk}
    if not product_id or not member_ids:
        return {}
    rows = (Ownership.objects.filter(product_id=product_id, member_id__in=member_ids)
            .values_list("member_id", "verified_at"))
    return {pk: VERIFIED if verified_at else DECLARED for pk, verified_at in rows}


def product_of(thread) -> int | None:
    """The id of the product ``thread`` is about: its own, else the product one of its tags
    names (``product_pk``, annotated on the tags by ``selectors.threads.thread_get``)."""
    if thread.product_id:
        return thread.product_id
    return next((tag.product_pk for tag in thread.tags.all()
                 if getattr(tag, "product_pk", None)), None)


def mark_posts(thread, posts) -> None:
    """Set ``owner_mark`` ("verified", "declared" or "") on the answers among ``posts`` by
    owners of the product ``thread`` is about (one query, none without a product)."""
    posts = [post for post in posts if post is not None]
    marks = owner_marks(product_of(thread),
                        {post.author_id for post in posts if post.kind == "answer"})
    for post in posts:
        post.owner_mark = marks.get(post.author_id, "") if post.kind == "answer" else ""


def owned_product_answered(thread, author_id: int) -> int | None:
    """The product ``thread`` is about when ``author_id`` owns it (declared or verified):
    what an answer's event names, so that owners helping shoppers count as commerce
    (at most two queries; none for a thread about no product)."""
    product_id = thread.product_id or (Product.objects.filter(tag__threads=thread)
                                       .values_list("pk", flat=True).first())
    if product_id and Ownership.objects.filter(product_id=product_id,
                                               member_id=author_id).exists():
        return product_id
    return None
