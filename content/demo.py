"""The demo content pack: data files an editor can read (``demo/``), loaded through the
workflow like any other content.

Every item is created by the demo editor, approved by as many demo reviewers as its kind's
review policy asks (never its author), published, and, where the pack says so, revised or
withdrawn: so the loaded content has versions, approvals and audit entries like real content,
and every rule of the domain layer applies to it.

Loading is idempotent and never overrides people: a vocabulary entry, component or plan
whose slug is already in the database (or, for contraindications, is an alias of one) is
left exactly as it is. The whole pack loads in one transaction: all of it or nothing.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from content.errors import ContentInvalid, DomainError
from content.kinds import PLAN, Kind
from content.models import (
    ContentItem,
    Contraindication,
    ContraindicationAlias,
    Goal,
    ReviewerProfile,
    Version,
)
from content.workflow import (
    PlanContent,
    VersionContent,
    approve,
    create_component,
    create_plan,
    edit_draft,
    publish,
    review_policy,
    revise,
    submit_for_review,
    withdraw,
)

PACK_DIR = Path(__file__).resolve().parent.parent / "demo"

COMPONENT_FIELDS = {
    "title",
    "summary",
    "body",
    "change_note",
    "evidence_level",
    "details",
    "goals",
    "contraindications",
    "interactions",
    "citations",
}
PLAN_FIELDS = {"title", "summary", "body", "change_note", "duration_weeks", "goals", "items"}
#: The fields of each entry of a version's lists, and those an entry must have.
LIST_FIELDS = {
    "contraindications": (
        {"contraindication", "severity", "note"},
        {"contraindication", "severity", "note"},
    ),
    "interactions": ({"component", "severity", "note"}, {"component", "severity", "note"}),
    "citations": ({"title", "doi", "pmid", "url"}, {"title"}),
    "items": (
        {"order", "component", "slot", "week_from", "week_to", "frequency", "note"},
        {"order", "component", "slot", "week_from", "week_to", "frequency"},
    ),
}
CONTRAINDICATION_FIELDS = {"slug", "name", "category", "description", "codes"}
GOAL_FIELDS = {"slug", "name", "description"}


class PackError(Exception):
    """The pack's files are not what the loader expects; the message names file and field."""


@dataclass
class PackItem:
    """One component or plan of the pack: its versions in order, each complete."""

    source: str
    slug: str
    kind: str
    versions: list[dict[str, Any]]
    withdraw_reason: str = ""


@dataclass
class Pack:
    contraindications: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    components: list[PackItem]
    plans: list[PackItem]


@dataclass
class Report:
    """What a load did: slugs created and slugs left alone, per section."""

    created: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)

    def note(self, section: str, slug: str, *, created: bool) -> None:
        target = self.created if created else self.kept
        target.setdefault(section, []).append(slug)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


# --- Reading the files ------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path.name}: not valid YAML: {exc}") from None


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a mapping of fields, got {type(data).__name__}.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PackError(f"{where}: unknown field(s) {', '.join(unknown)}.")
    missing = sorted(required - set(data))
    if missing:
        raise PackError(f"{where}: missing field(s) {', '.join(missing)}.")


def _read_item(path: Path, *, plan: bool) -> PackItem:
    data = _load_yaml(path)
    where = f"{path.parent.name}/{path.name}"
    top = {"slug", "versions", "withdraw"} | (set() if plan else {"kind"})
    _check_keys(where, data, top, top - {"withdraw"})
    if data["slug"] != path.stem:
        raise PackError(f"{where}: the slug {data['slug']!r} must match the file name.")
    kind = PLAN if plan else data["kind"]
    if not plan and kind not in Kind.values:
        raise PackError(f"{where}: unknown kind {kind!r}; choose one of {', '.join(Kind.values)}.")
    if not isinstance(data["versions"], list) or not data["versions"]:
        raise PackError(f"{where}: 'versions' must list at least one version.")
    allowed = PLAN_FIELDS if plan else COMPONENT_FIELDS
    versions: list[dict[str, Any]] = []
    for number, given in enumerate(data["versions"], start=1):
        required = allowed - {"body", "interactions", "contraindications", "citations"}
        _check_keys(
            f"{where}, version {number}",
            given,
            allowed,
            required if number == 1 else {"change_note"},
        )
        for name, (fields, needed) in LIST_FIELDS.items():
            entries = given.get(name, [])
            if not isinstance(entries, list):
                raise PackError(f"{where}, version {number}: '{name}' must be a list.")
            for n, entry in enumerate(entries, start=1):
                _check_keys(f"{where}, version {number}, {name} {n}", entry, fields, needed)
        # A later version lists what it changes; everything else carries over.
        versions.append({**(versions[-1] if versions else {}), **given})
    reason = ""
    if "withdraw" in data:
        _check_keys(f"{where}, withdraw", data["withdraw"], {"reason"}, {"reason"})
        reason = str(data["withdraw"]["reason"]).strip()
    return PackItem(
        source=where, slug=data["slug"], kind=kind, versions=versions, withdraw_reason=reason
    )


def read_pack(directory: Path = PACK_DIR) -> Pack:
    """Read and check the pack's layout (``demo/README.md`` documents it)."""
    vocabulary = _load_yaml(directory / "vocabulary.yaml")
    _check_keys(
        "vocabulary.yaml",
        vocabulary,
        {"contraindications", "goals"},
        {"contraindications", "goals"},
    )
    for entry in vocabulary["contraindications"]:
        _check_keys(
            f"vocabulary.yaml, {entry.get('slug')}",
            entry,
            CONTRAINDICATION_FIELDS,
            {"slug", "name", "category"},
        )
    for entry in vocabulary["goals"]:
        _check_keys(f"vocabulary.yaml, {entry.get('slug')}", entry, GOAL_FIELDS, {"slug", "name"})
    return Pack(
        contraindications=vocabulary["contraindications"],
        goals=vocabulary["goals"],
        components=[
            _read_item(path, plan=False)
            for path in sorted((directory / "components").glob("*.yaml"))
        ],
        plans=[
            _read_item(path, plan=True) for path in sorted((directory / "plans").glob("*.yaml"))
        ],
    )


# --- Loading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """Who writes and who reviews the pack's content."""

    editor: AbstractBaseUser
    reviewers: tuple[AbstractBaseUser, ...]


def _save_vocabulary(model, entry: dict[str, Any], where: str) -> None:
    row = model(**entry)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise PackError(f"vocabulary.yaml, {where}: {exc.messages[0]}") from None
    row.save()


def _load_vocabulary(pack: Pack, report: Report) -> None:
    taken = set(Contraindication.objects.values_list("slug", flat=True))
    taken |= set(ContraindicationAlias.objects.values_list("slug", flat=True))
    for entry in pack.contraindications:
        new = entry["slug"] not in taken
        if new:
            _save_vocabulary(Contraindication, entry, entry["slug"])
        report.note("contraindications", entry["slug"], created=new)
    goals = set(Goal.objects.values_list("slug", flat=True))
    for entry in pack.goals:
        new = entry["slug"] not in goals
        if new:
            _save_vocabulary(Goal, entry, entry["slug"])
        report.note("goals", entry["slug"], created=new)


def _renamed_slugs() -> dict[str, str]:
    """Former contraindication slugs and what they are called now."""
    return dict(ContraindicationAlias.objects.values_list("slug", "contraindication__slug"))


def _content(item: PackItem, data: dict[str, Any], renamed: dict[str, str]):
    if item.kind == PLAN:
        return PlanContent.build(**data)
    links = [
        {
            **link,
            "contraindication": renamed.get(link["contraindication"], link["contraindication"]),
        }
        for link in data.get("contraindications", ())
    ]
    return VersionContent.build(**{**data, "contraindications": links})


def _review_and_publish(version: Version, item: PackItem, team: Team) -> Version:
    version = submit_for_review(version=version, user=team.editor)
    needed = review_policy(item.kind).approvals_required
    if needed > len(team.reviewers):
        raise PackError(
            f"{item.source}: a {item.kind} needs {needed} approvals and the pack has "
            f"{len(team.reviewers)} reviewers."
        )
    for reviewer in team.reviewers[:needed]:
        version = approve(
            version=version,
            user=reviewer,
            seen_hash=version.content_hash,
            comment="Demo pack: checked against the sources cited.",
        )
    return publish(version=version, user=team.reviewers[0])


@contextmanager
def _refusal_names(item: PackItem, number: int):
    """Report a refusal of the domain layer with the file and version it came from."""
    try:
        yield
    except DomainError as exc:
        problems = str(exc)
        if isinstance(exc, ContentInvalid) and exc.errors:
            problems = "; ".join(m for messages in exc.errors.values() for m in messages)
        raise PackError(f"{item.source}, version {number}: {problems}") from None


def _load_items(items: list[PackItem], team: Team, report: Report, section: str) -> None:
    slugs = [item.slug for item in items]
    existing = set(ContentItem.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = [item for item in items if item.slug not in existing]
    for item in items:
        report.note(section, item.slug, created=item.slug not in existing)
    renamed = _renamed_slugs()

    # Components name each other in interactions, and a draft can only name a component that
    # exists: every new item gets its first draft before any draft names one created later.
    drafts: dict[str, Version] = {}
    deferred: dict[str, VersionContent] = {}
    for item in new:
        content = _content(item, item.versions[0], renamed)
        with _refusal_names(item, 1):
            if item.kind == PLAN:
                drafts[item.slug] = create_plan(user=team.editor, slug=item.slug, content=content)
                continue
            known = existing | set(drafts)
            opening = content
            if any(i.component not in known for i in content.interactions):
                named = tuple(i for i in content.interactions if i.component in known)
                opening = replace(content, interactions=named)
                deferred[item.slug] = content
            drafts[item.slug] = create_component(
                user=team.editor, kind=item.kind, slug=item.slug, content=opening
            )

    for item in new:
        version = drafts[item.slug]
        with _refusal_names(item, 1):
            if item.slug in deferred:
                version = edit_draft(
                    version=version,
                    user=team.editor,
                    content=deferred[item.slug],
                    expected_edit_count=version.edit_count,
                )
            version = _review_and_publish(version, item, team)
        for number, data in enumerate(item.versions[1:], start=2):
            content = _content(item, data, renamed)
            with _refusal_names(item, number):
                version = revise(version=version, user=team.editor, change_note=content.change_note)
                version = edit_draft(
                    version=version,
                    user=team.editor,
                    content=content,
                    expected_edit_count=version.edit_count,
                )
                version = _review_and_publish(version, item, team)
        if item.withdraw_reason:
            with _refusal_names(item, len(item.versions)):
                withdraw(version=version, user=team.reviewers[0], reason=item.withdraw_reason)


@transaction.atomic
def load_pack(pack: Pack, team: Team) -> Report:
    """Load what of ``pack`` is not in the database yet, through the workflow."""
    report = Report()
    _load_vocabulary(pack, report)
    _load_items(pack.components, team, report, "components")
    _load_items(pack.plans, team, report, "plans")
    return report


# --- Demo accounts ----------------------------------------------------------------------


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
    return Team(
        editor=users["editor"], reviewers=(users["reviewer"], users["reviewer2"])
    ), passwords
