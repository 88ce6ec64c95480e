"""Who owns what, as a page shows it: one query for the owners among a page's authors."""
from community.models import Ownership

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
