"""Mailings: releases, invitations and announcements sent to journalists in their
language, and every delivery followed through the provider's events.

- recipients.py: who a mailing reaches, in which language, and who is excluded and why;
  the same counts computed in SQL for the back office's live count
- lifecycle.py: the mailing's states (check, schedule, resume, cancel)
- sending.py: freezing the recipients and sending in batches, at most once each
- rendering.py: the email in each language, previews and tests
- tracking.py: provider events, unsubscribing, erasure
- report.py: totals, rates of those sent, and the xlsx report
- bounces.py: a provider's or mail server's error in words a press officer understands
"""
