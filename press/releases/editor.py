"""The one place that picks the rich-text editor of the back office.

The column stays plain HTML text, sanitised by press.core.sanitise on save, so replacing
CKEditor 4 (unmaintained upstream, see the note next to SILENCED_SYSTEM_CHECKS) with
another editor is a change to this function alone.
"""

from ckeditor.widgets import CKEditorWidget


def rich_text_widget():
    return CKEditorWidget(config_name="release")
