"""The catalogue's writes: a host adds and edits products, their photos and their families.

Each write is one ``transaction.atomic`` that records its event (``ProductCreated``,
``ProductEdited``), which makes the product list and the product pages stale
(``community.pages.invalidation``). The shop's feed (``community.commerce.feed``) writes in
batches through :func:`products_imported`, and checks each row with :func:`fields_check`,
the same rules a host's form meets.

A family is one level deep: a main product and its accessories. An accessory's parent is a
main product (never an accessory, never itself).
"""
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.engine import events
from community.models import PostImage, Product, ProductImage, Space, Tag, User
from community.models.commerce import DESCRIPTION_MAX, NAME_MAX, SKU_MAX
from community.services import media

HOST_REFUSAL = gettext_lazy("Only the host team adds and edits products.")
LINE_MAX = Product._meta.get_field("line").max_length
URL_MAX = Product._meta.get_field("shop_url").max_length
SLUG_MAX = Product._meta.get_field("slug").max_length
IMAGES_MAX = 8
EDITABLE = ("name", "line", "description", "shop_url", "parent", "space", "tag", "is_active")

_url = URLValidator(schemes=["http", "https"])


def _too_long(sentence: str, most: int) -> str:
    """``sentence`` (a marked "... at most %(most)d characters.") for ``most``."""
    return sentence % {"most": most}


def fields_check(*, sku: str, name: str, line: str = "", description: str = "",
                 shop_url: str = "") -> dict[str, str]:
    """What is wrong with a product's fields, by field (empty when nothing is)."""
    problems = {}
    if not sku:
        problems["sku"] = gettext("A product needs its SKU.")
    elif len(sku) > SKU_MAX:
        problems["sku"] = _too_long(
            gettext("The SKU is too long: at most %(most)d characters."), SKU_MAX)
    elif any(ch.isspace() for ch in sku) or not sku.isprintable():
        problems["sku"] = gettext("A SKU has no spaces or control characters.")
    if not name:
        problems["name"] = gettext("A product needs a name.")
    elif len(name) > NAME_MAX:
        problems["name"] = _too_long(
            gettext("The name is too long: at most %(most)d characters."), NAME_MAX)
    if len(line) > LINE_MAX:
        problems["line"] = _too_long(
            gettext("The brand line is too long: at most %(most)d characters."), LINE_MAX)
    if len(description) > DESCRIPTION_MAX:
        problems["description"] = _too_long(
            gettext("The description is too long: at most %(most)d characters."),
            DESCRIPTION_MAX)
    if shop_url:
        if len(shop_url) > URL_MAX:
            problems["shop_url"] = _too_long(
                gettext("The shop address is too long: at most %(most)d characters."), URL_MAX)
        else:
            try:
                _url(shop_url)
            except ValidationError:
                problems["shop_url"] = gettext(
                    "%(address)s is not a web address (http:// or https://).") % {
                    "address": repr(shop_url[:80])}
    return problems


def family_check(product: Product | None, parent: Product | None) -> str:
    """Why ``parent`` cannot be ``product``'s main product, or ""."""
    if parent is None:
        return ""
    if product is not None and parent.pk == product.pk:
        return gettext("A product cannot be its own accessory.")
    if parent.parent_id is not None:
        return gettext("%(name)s is itself an accessory: choose its main product.") % {
            "name": parent.name}
    if product is not None and product.pk and product.accessories.exists():
        return gettext("%(name)s has accessories of its own, so it is a main product: it "
                       "cannot be an accessory too.") % {"name": product.name}
    return ""


def slug_for(name: str, sku: str, taken) -> str:
    """A new product's address: its name, with its SKU when another product has the name.
    ``taken(slug) -> bool``."""
    base = slugify(name)[:SLUG_MAX - 20].strip("-") or "product"
    if not taken(base):
        return base
    with_sku = f"{base}-{slugify(sku)}"[:SLUG_MAX].strip("-")
    if not taken(with_sku):
        return with_sku
    number = 2
    while taken(f"{with_sku[:SLUG_MAX - 6]}-{number}"):
        number += 1
    return f"{with_sku[:SLUG_MAX - 6]}-{number}"


def _slug_taken(slug: str) -> bool:
    return Product.objects.filter(slug=slug).exists()


def _checked(fields: dict, product: Product | None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    problems = fields_check(
        sku=fields.get("sku", product.sku if product else ""),
        name=fields.get("name", product.name if product else ""),
        line=fields.get("line", ""), description=fields.get("description", ""),
        shop_url=fields.get("shop_url", ""))
    if reason := family_check(product, fields.get("parent")):
        problems["parent"] = reason
    if problems:
        raise ValidationError(problems)
    return fields


def product_create(*, host: User, sku: str, name: str, line: str = "", description: str = "",
                   shop_url: str = "", parent: Product | None = None,
                   space: Space | None = None, tag: Tag | None = None,
                   is_active: bool = True) -> Product:
    """Add a product to the catalogue (``ValidationError`` by field when a rule fails, a
    SKU already in the catalogue included)."""
    permissions.require(permissions.can_edit_products(host), HOST_REFUSAL)
    fields = _checked(dict(sku=sku, name=name, line=line, description=description,
                           shop_url=shop_url, parent=parent), None)
    with transaction.atomic():
        if Product.objects.filter(sku=fields["sku"]).exists():
            raise ValidationError({"sku": gettext("A product with this SKU is in the catalogue.")})
        product = Product.objects.create(
            slug=slug_for(fields["name"], fields["sku"], _slug_taken), space=space, tag=tag,
            is_active=is_active, **fields)
        events.ProductCreated.record(actor=host, product=product.pk)
    return product


def product_edit(*, host: User, product: Product, **changes) -> list[str]:
    """Change a product's fields (any of :data:`EDITABLE`; its SKU and address stay);
    returns the names of the fields that changed (none: nothing is written)."""
    permissions.require(permissions.can_edit_products(host), HOST_REFUSAL)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"product_edit does not change {sorted(unknown)}")
    changes = _checked(changes, product)
    changed = [name for name, value in changes.items() if getattr(product, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(product, name, changes[name])
        product.save(update_fields=[*changed, "updated_at"])
        events.ProductEdited.record(actor=host, product=product.pk, action="edited",
                                    changed=sorted(changed))
    return changed


def product_image_add(*, host: User, product: Product, upload, alt_text: str = "",
                      first: bool = False, source_digest: str = "") -> ProductImage:
    """A photo of the product, through the media pipeline (checked, re-encoded, stripped,
    stored at every size), after the others (``first``: before them). ``source_digest``
    names the feed's file the photo came from (the feed replaces only its own)."""
    permissions.require(permissions.can_edit_products(host), HOST_REFUSAL)
    if product.images.count() >= IMAGES_MAX:
        raise ValidationError((gettext("A product shows at most %(IMAGES_MAX)s photos: remove one "
                                       "first.") % {"IMAGES_MAX": IMAGES_MAX}), code="too_many")
    image = media.image_upload(uploader=host, upload=upload,
                               alt_text=alt_text.strip() or product.name)
    try:
        with transaction.atomic():
            last = product.images.aggregate(last=Max("position"))["last"]
            if first and last is not None:
                product.images.update(position=F("position") + 1)
            position = 0 if first or last is None else last + 1
            made = ProductImage.objects.create(product=product, image=image,
                                               position=position, source_digest=source_digest)
            events.ProductEdited.record(actor=host, product=product.pk, action="image_added")
    except BaseException:
        media.images_delete(PostImage.objects.filter(pk=image.pk))
        raise
    return made


def product_image_remove(*, host: User, image: ProductImage) -> None:
    """Remove a photo from its product (its files go once that is committed)."""
    permissions.require(permissions.can_edit_products(host), HOST_REFUSAL)
    with transaction.atomic():
        product_id = image.product_id
        media.images_delete(PostImage.objects.filter(pk=image.image_id))
        events.ProductEdited.record(actor=host, product=product_id, action="image_removed")


def products_imported(*, actor: User | None, created: list[int], updated: list[int]) -> None:
    """The event of one batch of the shop's feed (inside the batch's transaction); a batch
    that changed nothing records nothing."""
    if created or updated:
        events.ProductsImported.record(actor=actor, products=sorted({*created, *updated}),
                                       created=len(created), updated=len(updated))
