"""The one place that picks the rich-text editor of the back office.

The column stays plain HTML text, sanitised by press.core.sanitise on save, so replacing
CKEditor 4 (unmaintained upstream, see the note next to SILENCED_SYSTEM_CHECKS) with
another editor is a change to this function alone.
"""

from ckeditor.widgets import CKEditorWidget
from django.conf import settings
from django.utils.csp import CSP

# What CKEditor 4 needs beyond the site's policy (settings.SECURE_CSP), on the pages that
# show it only: its toolbar and dialogs are built with inline event handlers (onclick=,
# onmousedown=…), so scripts need 'unsafe-inline'; it positions panels and sizes its
# editing frame with style attributes, so styles need 'unsafe-inline'; the text being
# edited may show images from anywhere over HTTPS and its own data: icons. Nothing else
# is loosened (no eval, no plugin, no outside script). The nonce stays out of this policy
# on purpose: a nonce makes browsers ignore 'unsafe-inline'.
RICH_TEXT_EDITOR_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "https:", "data:"],
}


def rich_text_widget():
    return CKEditorWidget(config_name="release")
