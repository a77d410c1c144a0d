"""Signals other parts of the office listen to."""

from django.dispatch import Signal

# Sent with sender=Journalist and journalist=… just before an erasure clears the
# journalist's personal data, so deliveries and badge requests can be anonymised too.
journalist_erased = Signal()
