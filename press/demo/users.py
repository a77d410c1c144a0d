import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from press import permissions

# Demo only: every demo account shares this password; `make run` prints it.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "presse-demo-2024")

DEMO_STAFF = [
    # username, first name, last name, group (None: superuser)
    ("admin", "Claire", "Dumont", None),
    ("officer", "Julien", "Martens", permissions.PRESS_OFFICER),
    ("reviewer", "Sofia", "Ricci", permissions.ACCREDITATION_REVIEWER),
    ("desk", "Tom", "Peeters", permissions.CHECKIN_DESK),
    ("viewer", "Anna", "Kowalska", permissions.VIEWER),
]


def seed_users() -> list[str]:
    User = get_user_model()
    permissions.sync_staff_groups()
    created = []
    for username, first, last, group_name in DEMO_STAFF:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@conference.example.org",
                "is_staff": True,
                "is_superuser": group_name is None,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            created.append(username)
    return created
