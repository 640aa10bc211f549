"""The forms of the content screens: the version form, and ``ContentForms``, which holds it
with the formsets of the version's parts (``part_forms``). They only collect what an editor
writes and turn it into the workflow's ``VersionContent`` / ``PlanContent``; every rule is
checked by the domain layer when the content is saved or submitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django_jsonform.forms.fields import JSONFormField

from content.kinds import DETAILS_SCHEMAS, PLAN, Kind
from content.models import EvidenceLevel, Goal
from content.workflow import (
    CitationSpec,
    InteractionSpec,
    LinkSpec,
    PlanContent,
    PlanItemSpec,
    VersionContent,
)
from content.workflow.snapshot import MediaSpec
from content.workflow.validation import MAX_BODY_CHARS

from .part_forms import PART_FORMSETS

TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 80})


def _goal_choices() -> list[tuple[str, str]]:
    return list(Goal.objects.values_list("slug", "name"))


EVIDENCE_HELP = (
    "The strongest evidence the citations give for what this content claims. A: systematic "
    "reviews, meta-analyses or high-quality randomised controlled trials. B: smaller or "
    "less rigorous trials, cohort studies. C: expert opinion, clinical guidance. D: "
    "anecdote, laboratory (in vitro) studies or theory."
)


class VersionForm(forms.Form):
    """What every version says; the kind's details and a plan's duration are added per kind."""

    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"size": 80}))
    summary = forms.CharField(max_length=1000, widget=TEXTAREA)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60, "data-max-length": MAX_BODY_CHARS}),
        help_text=(
            f"Markdown, up to {MAX_BODY_CHARS:,} characters. Apps receive it as Markdown and "
            "as the HTML shown beside it; raw HTML is not passed on."
        ),
    )
    goals = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    change_note = forms.CharField(
        widget=TEXTAREA, help_text="What changed in this version, and why."
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["goals"].choices = _goal_choices()
        if kind == PLAN:
            self.fields["duration_weeks"] = forms.IntegerField(
                min_value=1, max_value=52, label="Duration (weeks)"
            )
        else:
            # No default: health content never claims evidence unless an editor chooses it.
            # A draft may be saved without it; submitting asks for it.
            self.fields["evidence_level"] = forms.ChoiceField(
                required=False,
                choices=[("", "Not chosen yet (required to submit)"), *EvidenceLevel.choices],
                help_text=EVIDENCE_HELP,
            )
            self.fields["details"] = JSONFormField(
                schema=DETAILS_SCHEMAS[kind], label=f"{Kind(kind).label} details"
            )

    def clean_body(self) -> str:
        return checked_body(self.cleaned_data["body"])


def checked_body(body: str) -> str:
    """``body``, or the refusal of one over the limit. Not the field's max_length: the
    browser would cut a longer paste silently, where the page counts and warns, and this
    says so in words and keeps the text."""
    if len(body) > MAX_BODY_CHARS:
        raise forms.ValidationError(
            f"The body is {len(body):,} characters long; the limit is {MAX_BODY_CHARS:,}. "
            "Shorten it: nothing was saved, and your text is still here."
        )
    return body


class ContentForms:
    """The version form and the formsets of its parts, built for one kind, bound or not."""

    def __init__(self, kind: str, data=None, initial: Any = None):
        self.kind = kind
        initial = initial or {}
        self.version = VersionForm(data, kind=kind, initial=initial.get("version"))
        group = "plan" if kind == PLAN else "component"
        self.formsets = {
            name: formset_class(data, prefix=prefix, initial=initial.get(name))
            for name, formset_class, prefix in PART_FORMSETS[group]
        }

    def __iter__(self):
        return iter(self.formsets.values())

    @property
    def media(self):
        return self.version.media

    def is_valid(self) -> bool:
        return self.version.is_valid() & all(f.is_valid() for f in self.formsets.values())

    def typed_body(self) -> str:
        """The body as typed (or as the draft says), for the preview."""
        return self.version["body"].value() or ""

    def saved_edit_count(self) -> int:
        """The edit count the page was loaded with (once valid)."""
        return self.version.cleaned_data["edit_count"] or 0

    def typed_media(self) -> tuple[MediaSpec, ...]:
        """The pictures as typed (or as the draft says), for the preview."""
        return self.formsets["media"].typed()

    def show_refusal(self, errors: Mapping[str, list[str]]) -> None:
        """Show the domain's problems with each part at its formset (``errors`` by part, as
        ``ContentInvalid.errors`` gives them)."""
        for name, formset in self.formsets.items():
            formset.show_refusal(name, list(errors.get(name, ())))

    def _rows(self, name: str) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.formsets[name].kept_rows()
        ]

    def content(self) -> VersionContent | PlanContent:
        data = self.version.cleaned_data
        common = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "change_note": data["change_note"],
            "goals": tuple(data["goals"]),
        }
        if self.kind == PLAN:
            return PlanContent(
                **common,
                duration_weeks=data["duration_weeks"],
                items=tuple(PlanItemSpec(**row) for row in self._rows("items")),
                media=self.formsets["media"].specs(),
            )
        return VersionContent(
            **common,
            evidence_level=data["evidence_level"],
            details=data["details"],
            contraindications=tuple(LinkSpec(**row) for row in self._rows("contraindications")),
            interactions=tuple(InteractionSpec(**row) for row in self._rows("interactions")),
            citations=tuple(CitationSpec(**row) for row in self._rows("citations")),
            media=self.formsets["media"].specs(),
        )


def initial_from(content: VersionContent | PlanContent, edit_count: int) -> dict[str, Any]:
    """The forms' initial data for what a version says."""
    version = {
        "title": content.title,
        "summary": content.summary,
        "body": content.body,
        "goals": list(content.goals),
        "change_note": content.change_note,
        "edit_count": edit_count,
    }
    media = [{**m.__dict__, "order": n} for n, m in enumerate(content.media, 1)]
    if isinstance(content, PlanContent):
        version["duration_weeks"] = content.duration_weeks
        return {
            "version": version,
            "items": [item.__dict__ for item in content.items],
            "media": media,
        }
    version["evidence_level"] = content.evidence_level
    version["details"] = content.details
    return {
        "version": version,
        "media": media,
        "contraindications": [link.__dict__ for link in content.contraindications],
        "interactions": [i.__dict__ for i in content.interactions],
        "citations": [c.__dict__ for c in content.citations],
    }
