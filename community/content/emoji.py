"""Emoji shortcodes (``:smile:``), a small list chosen for a community of makers.

The renderer turns a known ``:shortcode:`` into its emoji when a post is written (the same
render as every other rule, so the stored HTML has the character, not an image from another
host); the composer offers the same list as the member types ``:sm``. Unknown shortcodes
stay as typed.
"""
import re

SHORTCODES: dict[str, str] = {
    "smile": "\U0001F604", "grin": "\U0001F601", "joy": "\U0001F602", "wink": "\U0001F609",
    "blush": "\U0001F60A", "heart_eyes": "\U0001F60D", "thinking": "\U0001F914",
    "sweat_smile": "\U0001F605", "cry": "\U0001F622", "sob": "\U0001F62D",
    "scream": "\U0001F631", "sunglasses": "\U0001F60E", "neutral_face": "\U0001F610",
    "confused": "\U0001F615", "slightly_smiling_face": "\U0001F642", "upside_down": "\U0001F643",
    "heart": "\u2764\ufe0f", "broken_heart": "\U0001F494", "thumbsup": "\U0001F44D",
    "+1": "\U0001F44D", "thumbsdown": "\U0001F44E", "-1": "\U0001F44E", "clap": "\U0001F44F",
    "wave": "\U0001F44B", "pray": "\U0001F64F", "muscle": "\U0001F4AA",
    "raised_hands": "\U0001F64C",
    "ok_hand": "\U0001F44C", "eyes": "\U0001F440", "fire": "\U0001F525", "sparkles": "\u2728",
    "star": "\u2B50", "tada": "\U0001F389", "rocket": "\U0001F680", "100": "\U0001F4AF",
    "check": "\u2705", "x": "\u274C", "warning": "\u26A0\ufe0f", "bulb": "\U0001F4A1",
    "question": "\u2753", "coffee": "\u2615", "beer": "\U0001F37A", "beers": "\U0001F37B",
    "wine_glass": "\U0001F377", "tea": "\U0001F375", "hammer": "\U0001F528",
    "wrench": "\U0001F527", "camera": "\U0001F4F7", "seedling": "\U0001F331",
    "sun": "\u2600\ufe0f", "snowflake": "\u2744\ufe0f", "thermometer": "\U0001F321\ufe0f",
    "hourglass": "\u231B", "trophy": "\U0001F3C6", "gift": "\U0001F381", "party": "\U0001F973",
}

SHORTCODE_RE = re.compile(r"(?<![\w:]):([a-z0-9_+-]{1,30}):(?![\w:])")


def replace_shortcodes(text: str) -> str:
    """``text`` with each known ``:shortcode:`` as its emoji."""
    if ":" not in text:
        return text
    return SHORTCODE_RE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), text)


def suggestions(prefix: str, *, limit: int = 8) -> list[tuple[str, str]]:
    """Shortcodes starting with ``prefix`` (lower-cased), at most ``limit``, in order."""
    prefix = (prefix or "").lower()
    return [(name, char) for name, char in SHORTCODES.items() if name.startswith(prefix)][:limit]
