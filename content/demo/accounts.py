"""The demo accounts (editor, two reviewers, translator, admin) and the ``Team`` that loads
the pack.

``ensure_demo_accounts`` creates the accounts that do not exist yet, each with a random
password, puts them in their groups, gives the reviewers a profile that says honestly that
they are demo accounts, and is refused under production settings.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

from content.models import ReviewerProfile

from .files import PackError


@dataclass(frozen=True)
class Team:
    """Who writes, translates and reviews the pack's content."""

    editor: AbstractBaseUser
    reviewers: tuple[AbstractBaseUser, ...]
    translator: AbstractBaseUser | None = None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str | None
    display_name: str = ""
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("editor", "Editors"),
    DemoAccount("reviewer", "Reviewers", display_name="Demo Reviewer A"),
    DemoAccount("reviewer2", "Reviewers", display_name="Demo Reviewer B"),
    DemoAccount("translator", "Translators"),
    DemoAccount("admin", None, superuser=True),
)
#: Shown as the demo reviewers' credentials next to everything they approved: honestly.
DEMO_CREDENTIALS = "demo account, not a clinician"


def ensure_demo_accounts(*, reset_passwords: bool = False) -> tuple[Team, dict[str, str]]:
    """Create the demo accounts that do not exist yet, each with a new random password.

    Returns the team that writes and reviews the pack, and the passwords set now (existing
    accounts keep theirs unless ``reset_passwords``). Refused under production settings:
    demo accounts with printed passwords must never exist there.
    """
    if settings.PRODUCTION:
        raise PackError(
            "Demo accounts are never created under production settings (RECOVERY_ENV="
            "production); the demo pack is for development and evaluation."
        )
    User = get_user_model()
    passwords: dict[str, str] = {}
    users: dict[str, AbstractBaseUser] = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                email=f"{account.username}@demo.invalid",
                is_staff=True,
                is_superuser=account.superuser,
            )
        if user._state.adding or reset_passwords:
            passwords[account.username] = secrets.token_urlsafe(12)
            user.set_password(passwords[account.username])
            created = user._state.adding
            user.save()
            if created and account.group:
                user.groups.add(Group.objects.get(name=account.group))
            if created and account.display_name:
                ReviewerProfile.objects.create(
                    user=user, display_name=account.display_name, credentials=DEMO_CREDENTIALS
                )
        users[account.username] = user
    team = Team(
        editor=users["editor"],
        reviewers=(users["reviewer"], users["reviewer2"]),
        translator=users["translator"],
    )
    return team, passwords
