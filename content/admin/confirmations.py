"""What a destructive action will do, said before it is done: the confirmation page of
withdraw, roll back and discard lists the consequences for apps and for other content.

Only the words live here; the action itself, and every rule on it, is the workflow's.
"""

from __future__ import annotations

from typing import NamedTuple

from content.models import Version
from content.workflow import Action
from content.workflow.drafts import discard_frees_slug
from content.workflow.offers import ItemVersions
from content.workflow.publication import published_plans_using

#: The actions that ask "are you sure?" first.
CONFIRMED = {Action.WITHDRAW, Action.ROLL_BACK, Action.DISCARD}


class Confirmation(NamedTuple):
    question: str
    consequences: list[str]
    plans: list[Version]  # published plans the action flags, shown as links
    button: str
    cancel: str


def confirmation(action: Action, version: Version, versions: ItemVersions) -> Confirmation:
    item = version.item
    name = f"“{version.title}” ({item.slug})"
    if action == Action.WITHDRAW and item.source_id is not None:
        return Confirmation(
            question=f"Withdraw the {item.locale.name} translation {name}?",
            consequences=[
                f"Apps asking for '{item.locale.code}' are served the source's text in the "
                f"locale it falls back to, at once, instead of version {version.number}; the "
                f"source '{item.source.slug}' stays live in every locale.",
                "The version stays in the history with your reason. A new draft of the "
                "translation is reviewed again before it goes live.",
            ],
            plans=[],
            button="Withdraw it now",
            cancel="Cancel: keep it live",
        )
    if action == Action.WITHDRAW:
        plans = list(published_plans_using(item))
        return Confirmation(
            question=f"Withdraw {name} from every app?",
            consequences=[
                f"Apps stop receiving version {version.number} at once: it leaves every list, "
                "asking for it answers 404, and the next sync tells apps to delete it.",
                (
                    "1 published plan includes it and is flagged for review; apps receive "
                    "it without this component until it is revised:"
                    if len(plans) == 1
                    else f"{len(plans)} published plans include it and are flagged for review; "
                    "apps receive them without this component until they are revised:"
                )
                if plans
                else "No published plan includes it.",
                "The version stays in the history with your reason. To bring it back, roll back "
                "to it: that is a new draft, reviewed again before it goes live.",
            ],
            plans=plans,
            button="Withdraw it now",
            cancel="Cancel: keep it live",
        )
    if action == Action.ROLL_BACK:
        live = versions.published
        working = versions.working
        return Confirmation(
            question=f"Roll {name} back to version {version.number}?",
            consequences=[
                f"A new draft is made with what version {version.number} said "
                f"(published {version.published_at:%Y-%m-%d}). It goes through review like "
                "any change.",
                f"Until it is approved and published, apps keep receiving version {live.number}."
                if live
                else "Nothing of this item is published now; apps receive nothing until the "
                "new draft is approved and published.",
                *(
                    [
                        f"Version {working.number} ({working.get_state_display().lower()}) is "
                        "closed: it is marked superseded and never published."
                    ]
                    if working
                    else []
                ),
            ],
            plans=[],
            button=f"Roll back to version {version.number}",
            cancel="Cancel",
        )
    if action == Action.DISCARD:
        live = versions.published
        state = version.get_state_display().lower()
        return Confirmation(
            question=f"Discard version {version.number} of {name}?",
            consequences=[
                f"Version {version.number} ({state}) is closed for good: it can no longer be "
                "edited, submitted or published. It stays in the history, with who discarded it.",
                (
                    f"Apps keep receiving version {live.number}, as now."
                    if live
                    else "Nothing of this item is published now; that does not change."
                )
                if not discard_frees_slug(version)
                else f"The item was never published: it leaves the content lists, and its slug "
                f"'{item.slug}' is free for new content.",
            ],
            plans=[],
            button=f"Discard version {version.number}",
            cancel="Cancel: keep working on it",
        )
    raise ValueError(f"{action} asks for no confirmation")
