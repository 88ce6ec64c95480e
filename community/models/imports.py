"""What an import brought in: one row per source object, so a second run adds nothing."""
from django.db import models


class ImportedObject(models.Model):
    """``(source, kind, source_id)`` -> the id of the object made from it.

    Written in the same transaction as the objects of each batch: an interrupted import
    continues where it stopped, and a finished one imports nothing twice.
    """

    source = models.CharField(max_length=100)
    kind = models.CharField(max_length=10)
    source_id = models.BigIntegerField()
    object_id = models.BigIntegerField()
    extra = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"],
                                    name="imported_once")
        ]

    def __str__(self):
        return f"{self.source} {self.kind} {self.source_id} -> {self.object_id}"
