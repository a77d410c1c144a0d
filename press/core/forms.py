"""What every public form's error summary needs."""

from django import forms


def error_anchor(bound: forms.BoundField) -> str:
    """The id an error summary links to for this field: its input, or the first box of
    a list of checkboxes or radio buttons (whose list has no id of its own)."""
    if isinstance(bound.field.widget, forms.RadioSelect):  # checkbox lists included
        return f"{bound.auto_id}_0"
    return bound.auto_id
