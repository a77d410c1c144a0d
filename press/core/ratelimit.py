"""Rate limits on public forms: fixed windows counted in the database.

`rate_limit_hit` adds one to the client's count for this window and says whether the
limit is now passed; the increment is one UPDATE (or the first INSERT of the window),
so concurrent submissions on several web servers each count exactly once.
"""

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from press.core.models import RateCount

# Windows older than this many of their own length are deleted as new ones start.
KEPT_WINDOWS = 2


def rate_limit_hit(*, scope: str, client: str, limit: int, window_seconds: int) -> bool:
    """Count one more action of `client` in `scope`; True once more than `limit` were
    counted in the current window of `window_seconds`."""
    window = int(time.time() // window_seconds)
    key = f"{scope}:{client}"[:200]
    with transaction.atomic():
        rows = RateCount.objects.filter(key=key, window=window)
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, window=window, count=1)
            except IntegrityError:
                # Another request opened the window meanwhile: count in it.
                rows.update(count=F("count") + 1)
            else:
                RateCount.objects.filter(
                    key__startswith=f"{scope}:", window__lt=window - KEPT_WINDOWS
                ).delete()
        count = rows.values_list("count", flat=True).first() or 0
    return count > limit
