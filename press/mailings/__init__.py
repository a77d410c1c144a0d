"""Mailings: releases, invitations and announcements sent to journalists in their
language, and every delivery followed through the provider's events.

- recipients.py: who a mailing reaches, in which language, and who is excluded and why
- lifecycle.py: the mailing's states (check, schedule, resume, cancel)
- sending.py: freezing the recipients and sending in batches, at most once each
- rendering.py: the email in each language, previews and tests
- tracking.py: provider events, unsubscribing, erasure
- report.py: totals and the xlsx report
"""
