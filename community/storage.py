"""Static files as served in production: hashed names, compressed copies (whitenoise)."""
import functools

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """A file's address is worked out once per process: the manifest does not change
    while the process runs, and every page asks for the same few files (``{% static %}``
    cost a member's page more than its one query)."""

    @functools.lru_cache(maxsize=1024)  # noqa: B019  (one storage per process)
    def url(self, name, force=False):
        return super().url(name, force)
