"""Mailings: releases, invitations and announcements sent to journalists in their
language, and every delivery followed through the provider's events.

- recipients.py: who a mailing reaches, in which language, and who is excluded and why
- sending.py: the mailing's states (schedule, send, cancel), freezing, batch sending
- tracking.py: provider events, unsubscribing, erasure
- report.py: totals and the xlsx report

Import from the submodules: this package is also imported by the models.
"""
