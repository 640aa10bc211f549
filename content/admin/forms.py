"""The forms of the content screens. They only collect what an editor writes and turn it
into the workflow's ``VersionContent`` / ``PlanContent``; every rule is checked by the
domain layer when the content is saved or submitted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django_jsonform.forms.fields import JSONFormField

from content.kinds import DETAILS_SCHEMAS, PLAN, Frequency, Kind, Slot
from content.models import (
    ContentItem,
    Contraindication,
    EvidenceLevel,
    Goal,
    InteractionSeverity,
    LinkSeverity,
)
from content.workflow import (
    CitationSpec,
    InteractionSpec,
    LinkSpec,
    PlanContent,
    PlanItemSpec,
    VersionContent,
)
from content.workflow.validation import MAX_BODY_CHARS

TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 80})
BLANK = ("", "---------")


def _choices(choices) -> list[tuple[str, str]]:
    """Choices with a blank first, so that an untouched extra row of a formset stays empty."""
    return [BLANK, *choices]


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


def _component_choices() -> list[tuple[str, str]]:
    # A translation is an item of its own ("glycine-bedtime@es"), never linked to: plans and
    # interactions name the source, which apps receive in every locale.
    components = (
        ContentItem.objects.exclude(kind=PLAN)
        .filter(source__isnull=True)
        .values_list("slug", "slug")
    )
    return _choices(components)


NOTE = forms.Textarea(attrs={"rows": 3, "cols": 60})
WEEK = forms.NumberInput(attrs={"class": "part-number"})


class PartForm(forms.Form):
    """One row of a version's parts. The choices of its choice fields are read from the
    database once per formset (``read_choices``) and handed to each row as ``choices``."""

    @classmethod
    def read_choices(cls) -> dict[str, list[tuple[str, str]]]:
        """Return the choices of the fields whose options live in the database, by field."""
        return {}

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, options in (self.read_choices() if choices is None else choices).items():
            self.fields[name].choices = options


class LinkForm(PartForm):
    contraindication = forms.ChoiceField(choices=())
    severity = forms.ChoiceField(choices=_choices(LinkSeverity.choices))
    note = forms.CharField(widget=NOTE)

    @classmethod
    def read_choices(cls):
        names = Contraindication.objects.values_list("slug", "name")
        return {"contraindication": _choices((slug, f"{name} ({slug})") for slug, name in names)}


class InteractionForm(PartForm):
    component = forms.ChoiceField(choices=())
    severity = forms.ChoiceField(choices=_choices(InteractionSeverity.choices))
    note = forms.CharField(widget=NOTE)

    @classmethod
    def read_choices(cls):
        return {"component": _component_choices()}


class CitationForm(PartForm):
    title = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}))
    doi = forms.CharField(max_length=200, required=False, label="DOI")
    pmid = forms.CharField(max_length=20, required=False, label="PMID")
    url = forms.URLField(max_length=500, required=False, label="URL", assume_scheme="https")


class PlanItemForm(PartForm):
    order = forms.IntegerField(
        min_value=1, widget=forms.NumberInput(attrs={"class": "part-number", "data-part-order": ""})
    )
    component = forms.ChoiceField(choices=())
    slot = forms.ChoiceField(choices=_choices(Slot.choices))
    week_from = forms.IntegerField(min_value=1, widget=WEEK)
    week_to = forms.IntegerField(min_value=1, widget=WEEK)
    frequency = forms.ChoiceField(choices=_choices(Frequency.choices))
    note = forms.CharField(required=False, widget=NOTE)

    @classmethod
    def read_choices(cls):
        return {"component": _component_choices()}


class PartFormSet(forms.BaseFormSet):
    """The rows of one part. Saved rows are ticked "Delete" to remove them; rows not saved
    yet have no "Delete" (the page's script removes them, or they are left empty).

    ``heading`` names the part and ``row_name`` one row of it, for the page; ``orderable``
    rows get "Move up" / "Move down" buttons that renumber their ``order`` fields."""

    heading = ""
    row_name = ""
    orderable = False

    @cached_property
    def _choices(self) -> dict[str, list[tuple[str, str]]]:
        return self.form.read_choices()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "choices": self._choices}


def _formset(form, prefix: str, *, heading: str, row_name: str, orderable: bool = False):
    """A formset of ``form`` with one empty row to fill: the page works without its script,
    which adds more rows from the formset's ``empty_form``."""
    formset = forms.formset_factory(
        form, formset=PartFormSet, extra=1, can_delete=True, can_delete_extra=False
    )
    formset.heading, formset.row_name, formset.orderable = heading, row_name, orderable
    return formset, prefix


PART_FORMSETS = {
    "component": [
        (
            "contraindications",
            *_formset(LinkForm, "links", heading="Contraindications", row_name="contraindication"),
        ),
        (
            "interactions",
            *_formset(
                InteractionForm, "interactions", heading="Interactions", row_name="interaction"
            ),
        ),
        (
            "citations",
            *_formset(CitationForm, "citations", heading="Citations", row_name="citation"),
        ),
    ],
    "plan": [
        (
            "items",
            *_formset(
                PlanItemForm,
                "items",
                heading="Plan items (in order)",
                row_name="plan item",
                orderable=True,
            ),
        )
    ],
}


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

    def _rows(self, name: str) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.formsets[name]
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
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
            )
        return VersionContent(
            **common,
            evidence_level=data["evidence_level"],
            details=data["details"],
            contraindications=tuple(LinkSpec(**row) for row in self._rows("contraindications")),
            interactions=tuple(InteractionSpec(**row) for row in self._rows("interactions")),
            citations=tuple(CitationSpec(**row) for row in self._rows("citations")),
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
    if isinstance(content, PlanContent):
        version["duration_weeks"] = content.duration_weeks
        return {"version": version, "items": [item.__dict__ for item in content.items]}
    version["evidence_level"] = content.evidence_level
    version["details"] = content.details
    return {
        "version": version,
        "contraindications": [link.__dict__ for link in content.contraindications],
        "interactions": [i.__dict__ for i in content.interactions],
        "citations": [c.__dict__ for c in content.citations],
    }
