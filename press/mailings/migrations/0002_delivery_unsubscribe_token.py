"""Unsubscribing gets a token of its own, apart from the invitation's personal link.

Deliveries sent before this migration carried one token in both links: their
unsubscribe token is set to that same value, so the unsubscribe links already in
mailboxes keep working. Every delivery created afterwards has two distinct tokens."""

from django.db import migrations, models

import press.mailings.models


def copy_token(apps, schema_editor):
    Delivery = apps.get_model("mailings", "Delivery")
    Delivery.objects.update(unsubscribe_token=models.F("token"))


class Migration(migrations.Migration):
    dependencies = [
        ("mailings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="unsubscribe_token",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="unsubscribe token"
            ),
        ),
        migrations.RunPython(copy_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="unsubscribe_token",
            field=models.CharField(
                default=press.mailings.models.delivery_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="unsubscribe token",
            ),
        ),
    ]
