"""The few rows the shared plumbing keeps itself."""

from django.db import models


class RateCount(models.Model):
    """How many times one client did one thing in one fixed time window (rate limits).

    Kept in the database that every web server shares, and incremented with a single
    UPDATE, so concurrent requests on several servers never lose a count."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="rate_count_once_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"
