"""Accreditation: how a journalist's badge request is received, reviewed and decided.

Views, admin actions, commands and tasks all call the domain modules: `requests` (the
public form and the status page), `decisions` (one function per move), `invitations`,
`emails`, `privacy`, `selectors` (reads that span relations); `forms`, `uploads`,
`calendar` and `export` serve the pages, the approval email and the spreadsheet.
"""
