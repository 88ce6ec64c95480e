"""Who a handle or a display name seems to be.

Members see a handle and a name next to every post, and the host team's badge next to the
team's. A member must not be able to look like the team, or like a host, or like the
"Former member" account that keeps the posts of deleted accounts: some handles are reserved,
names may not carry the badge's words, and both are compared by their *skeleton* (what a
reader sees: case, accents, look-alike letters from other scripts and digits, separators
all fold away), so "Hana 0kafor" with a Cyrillic "а" is "Hana Okafor".
"""
import unicodedata

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

# Letters of other scripts, digits and signs that a reader takes for a Latin letter.
# "i", "l", "1" and "|" all fold to "l" (and "I" too, once lower-cased).
CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "д": "d", "е": "e", "ё": "e", "з": "e", "и": "u",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ь": "b", "і": "l", "ї": "l", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "l", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Latin look-alikes, digits and signs
    "ı": "l", "ɡ": "g", "ɑ": "a", "i": "l", "|": "l", "!": "l",
    "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "$": "s", "@": "a",
})
DIGRAPHS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def skeleton(text: str) -> str:
    """What ``text`` looks like to a reader: letters and digits only, look-alikes folded."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    text = "".join(ch for ch in text.translate(CONFUSABLES) if ch.isalnum())
    for pair, letter in DIGRAPHS:
        text = text.replace(pair, letter)
    return text


# Handles of the community itself: nobody signs up as one of them, nor as a look-alike.
RESERVED_HANDLES = (
    "former_member", "former", "deleted", "anonymous", "admin", "administrator", "root",
    "system", "host", "hosts", "staff", "support", "help", "helpdesk", "moderator", "mod",
    "team", "official", "security", "abuse", "postmaster", "webmaster", "noreply",
    "no_reply", "community",
)
STAFF_WORDS = ("team", "staff", "host", "support", "admin", "official", "help", "moderator")
# Words of the host team's badge ("Gravity team", components/_role_badge.html) and of the
# roles behind it: a member's name does not carry them.
BADGE_WORDS = ("host", "hosts", "staff", "admin", "administrator", "moderator")

RESERVED_HANDLE_MESSAGE = gettext_lazy(
    "That handle is reserved for the community; please pick another.")
STAFF_HANDLE_MESSAGE = gettext_lazy("That handle looks like a host's; please pick another.")


def _site() -> str:
    return skeleton(settings.SITE_NAME)


def _reserved_skeletons() -> set[str]:
    site = _site()
    return ({skeleton(h) for h in RESERVED_HANDLES} | {site}
            | {site + skeleton(w) for w in STAFF_WORDS}
            | {skeleton(w) + site for w in STAFF_WORDS})


def _staff(exclude_pk=None) -> list[tuple[str, str]]:
    """(handle, display name) of the host team (hosts and admins), but ``exclude_pk``."""
    from community.models import User

    team = User.objects.filter(Q(is_host=True) | Q(is_superuser=True), is_active=True)
    if exclude_pk:
        team = team.exclude(pk=exclude_pk)
    return list(team.values_list("username", "display_name"))


def handle_problem(handle: str, *, user=None) -> str:
    """Why ``handle`` may not be chosen by ``user`` (None: a visitor signing up), or ""."""
    shape = skeleton(handle)
    if shape in _reserved_skeletons():
        return str(RESERVED_HANDLE_MESSAGE)
    pk = getattr(user, "pk", None)
    if any(shape == skeleton(other) for other, _ in _staff(exclude_pk=pk)):
        return str(STAFF_HANDLE_MESSAGE)
    return ""


def display_name_problem(name: str, *, user=None) -> str:
    """Why ``name`` may not be the display name of ``user`` (None: signing up), or "".

    The host team may call themselves anything; members may not carry the badge's words,
    the "Former member" label, nor a host's name or handle (by skeleton)."""
    from community import permissions

    if not name or not name.strip() or (user is not None and permissions.is_staff_host(user)):
        return ""
    shape = skeleton(name)
    site = settings.SITE_NAME
    if _site() and _site() + "team" in shape:
        return gettext("Only the %(site)s team's accounts can say “%(site)s team”; please "
                       "choose another name.") % {"site": site}
    words = "".join(ch if ch.isalnum() else " " for ch in
                    unicodedata.normalize("NFKC", name).casefold()).split()
    if {skeleton(w) for w in words} & {skeleton(w) for w in BADGE_WORDS}:
        return gettext("Words such as “host”, “staff”, “admin” and “moderator” belong to the "
                       "host team's badge; please choose another name.")
    if "formermember" in shape:
        return gettext("“Former member” is how deleted accounts are shown; please choose "
                       "another name.")
    pk = getattr(user, "pk", None)
    for handle, display in _staff(exclude_pk=pk):
        if shape in {skeleton(handle), skeleton(display)} - {""}:
            return gettext("That name looks like a host's name; please choose another.")
    return ""
