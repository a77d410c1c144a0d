"""Photo credits in each language: the attachment's one-language credit becomes
{default language: credit} (shown in every language until the office translates it),
and the featured image gets a credit of its own."""

import press.core.translated
from django.conf import settings
from django.db import migrations


def credits_to_languages(apps, schema_editor):
    Attachment = apps.get_model("releases", "Attachment")
    for attachment in Attachment.objects.exclude(credit_text="").only("pk", "credit_text"):
        attachment.credit = {settings.LANGUAGE_CODE: attachment.credit_text.strip()}
        attachment.save(update_fields=["credit"])


def credits_to_text(apps, schema_editor):
    Attachment = apps.get_model("releases", "Attachment")
    languages = [settings.LANGUAGE_CODE] + [code for code, _name in settings.LANGUAGES]
    for attachment in Attachment.objects.exclude(credit={}).only("pk", "credit"):
        values = attachment.credit or {}
        text = next((values[code] for code in languages if values.get(code)), "")
        attachment.credit_text = text[:200]
        attachment.save(update_fields=["credit_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0003_topics_and_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="featured_credit",
            field=press.core.translated.TranslatedTextField(
                blank=True,
                default=dict,
                help_text="Who took the photo, in each language; shown under it and in emails.",
                max_length=200,
                verbose_name="featured image credit",
            ),
        ),
        migrations.RenameField(model_name="attachment", old_name="credit", new_name="credit_text"),
        migrations.AddField(
            model_name="attachment",
            name="credit",
            field=press.core.translated.TranslatedTextField(
                blank=True,
                default=dict,
                help_text="In each language (Ville de Bruxelles / City of Brussels).",
                max_length=200,
                verbose_name="photo credit",
            ),
        ),
        migrations.RunPython(credits_to_languages, credits_to_text),
        migrations.RemoveField(model_name="attachment", name="credit_text"),
    ]
