from django.contrib import admin

from contacts.models import ContactList, Journalist, Outlet, Suppression


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city"]


@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "outlet", "country", "language"]
    list_select_related = ["outlet"]
    search_fields = ["first_name", "last_name", "email", "outlet__name"]
    autocomplete_fields = ["outlet"]
    filter_horizontal = ["lists"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email_hash", "reason", "created_at"]
    list_filter = ["reason"]
