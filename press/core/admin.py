"""The back office: Django's admin, branded Presse, with titles in the office's words.

Each area registers its own models in its own admin.py; they derive from OfficeAdmin
so that pages read "New mailing" and "Mailings" instead of Django's generic "Add
mailing" and "Select mailing to change" (which French renders as "Ajout de envoi").
"""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from press.core.typing import StrOrPromise

admin.site.site_header = _("Presse — press office")
admin.site.site_title = "Presse"
admin.site.index_title = _("Press office")


class OfficeAdmin(admin.ModelAdmin):
    """A model admin whose page titles name things naturally in both languages.

    `add_title` is the title of the add page and the label of the add button ("New
    mailing"); a change page is titled by the model's name with the object below it."""

    add_title: StrOrPromise | None = None

    def changelist_view(self, request, extra_context=None):
        context = {
            "title": capfirst(self.opts.verbose_name_plural),
            "add_label": self.add_title,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def add_view(self, request, form_url="", extra_context=None):
        titles = {"title": self.add_title, "add_label": self.add_title} if self.add_title else {}
        context = {**titles, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context=context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {"title": capfirst(self.opts.verbose_name), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=context)
