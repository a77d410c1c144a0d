"""Model fields every area declares the same way."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property, lazy

from press.core.typing import StrOrPromise


def staff_member_field(verbose_name: StrOrPromise, **kwargs: Any) -> Any:
    """Who did something (decided, sent, printed…): a user, kept optional so that
    deleting a staff account never deletes the record of what they did."""
    options = {
        "on_delete": models.SET_NULL,
        "null": True,
        "blank": True,
        "related_name": "+",
        **kwargs,
    }
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)


class OneLineTextField(models.CharField):
    """A name, an outlet, a title: a CharField that refuses invisible control and format
    characters (press.core.text), with a message naming the field, in forms and in the
    admin alike."""

    @cached_property
    def validators(self) -> list:
        from press.core.text import OneLineTextValidator

        # CharField adds its length check to this list after it is first built; the
        # label is read when a value is checked (the name may be set after __init__).
        label = lazy(lambda: str(self.verbose_name or self.name or ""), str)()
        return [*super().validators, OneLineTextValidator(label)]
