"""The rows of a version's parts on the draft form: contraindication links, interactions,
citations, plan items and pictures, each a formset of ``PartForm`` rows (``PART_FORMSETS``).
Like the rest of the draft form they only collect what an editor writes; every rule is the
domain layer's."""

from __future__ import annotations

import re

from django import forms
from django.utils.functional import cached_property

from content.kinds import PLAN, Frequency, Slot
from content.models import (
    Asset,
    ContentItem,
    Contraindication,
    InteractionSeverity,
    LinkSeverity,
    MediaRole,
)
from content.workflow.snapshot import MediaSpec

from .pictures import thumbnails

BLANK = ("", "---------")


def _choices(choices) -> list[tuple[str, str]]:
    """Choices with a blank first, so that an untouched extra row of a formset stays empty."""
    return [BLANK, *choices]


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


class PictureChoices(list):
    """The library's pictures as choices, with each one's thumbnail address (SHA-256: URL)."""

    def __init__(self, choices, thumbnails: dict[str, str]):
        super().__init__(choices)
        self.thumbnails = thumbnails


class PictureSelect(forms.Select):
    """The library's pictures by title, each option carrying its thumbnail's address, and the
    chosen picture's thumbnail beside the list (``content/pictures.js`` shows a new choice's).
    """

    template_name = "content/widgets/picture_select.html"

    def __init__(self, attrs=None):
        super().__init__({"data-picture-select": "", **(attrs or {})})
        self.thumbnails: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if url := self.thumbnails.get(str(value)):
            option["attrs"]["data-thumbnail"] = url
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [self.thumbnails[v] for v in context["widget"]["value"] if v in self.thumbnails]
        context["widget"]["thumbnail"] = chosen[0] if chosen else ""
        return context


ALT_HELP = (
    "What the picture shows, for people who cannot see it (screen readers say it): not its "
    "title or file name. Leave it empty only for a decorative picture."
)


class MediaForm(PartForm):
    """A picture the version shows: an asset of the library, its role (a step's number), its
    alt text, or decorative."""

    order = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "part-number", "data-part-order": ""}),
    )
    asset = forms.ChoiceField(
        label="Picture",
        choices=(),
        widget=PictureSelect,
        help_text="From the picture library (Pictures): upload new pictures there first.",
    )
    role = forms.ChoiceField(choices=_choices(MediaRole.choices))
    step = forms.IntegerField(
        min_value=1, required=False, widget=WEEK, help_text="A step picture's step number."
    )
    alt = forms.CharField(label="Alt text", required=False, widget=NOTE, help_text=ALT_HELP)
    decorative = forms.BooleanField(
        required=False,
        help_text="Only ornament: screen readers skip it, and it has no alt text.",
    )

    @classmethod
    def read_choices(cls):
        assets = list(Asset.objects.order_by("title", "id"))
        thumbs = thumbnails(assets)
        return {
            "asset": PictureChoices(
                _choices((a.sha256, f"{a.title} ({a.width}\u00d7{a.height})") for a in assets),
                {a.sha256: thumbs[a.pk].url for a in assets if thumbs[a.pk]},
            )
        }

    def __init__(self, *args, choices=None, **kwargs):
        choices = self.read_choices() if choices is None else choices
        super().__init__(*args, choices=choices, **kwargs)
        self.fields["asset"].widget.thumbnails = getattr(choices["asset"], "thumbnails", {})


class PartFormSet(forms.BaseFormSet):
    """The rows of one part. Saved rows are ticked "Delete" to remove them; rows not saved
    yet have no "Delete" (the page's script removes them, or they are left empty).

    ``heading`` names the part and ``row_name`` one row of it, for the page; ``orderable``
    rows get "Move up" / "Move down" buttons that renumber their ``order`` fields.
    ``refused`` holds the domain's problems with the part that name no row of it."""

    heading = ""
    row_name = ""
    orderable = False
    refused: list[str] = []

    @cached_property
    def _choices(self) -> dict[str, list[tuple[str, str]]]:
        return self.form.read_choices()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "choices": self._choices}

    def kept_rows(self) -> list[forms.Form]:
        """The rows that are parts of the content, in the order the content lists them: the
        filled-in rows not ticked "Delete" (of a form not posted, the draft's own rows)."""
        if not self.is_bound:
            return list(self.forms[: self.initial_form_count()])
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def show_refusal(self, part: str, problems: list[str]) -> None:
        """Show the domain's ``problems`` with this part where they belong: one that names a
        row by its place in the content ("media[2].alt: ...") on that row, the others above
        the rows."""
        rows = self.kept_rows()
        self.refused = []
        for problem in problems:
            found = re.match(rf"{re.escape(part)}\[(\d+)\]", problem)
            place = int(found.group(1)) if found else 0
            if 1 <= place <= len(rows):
                row = rows[place - 1]
                row.refused = [*getattr(row, "refused", []), problem]
            else:
                self.refused.append(problem)


def _number(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


class MediaFormSet(PartFormSet):
    """The pictures: in the order of their order numbers (rows without one last)."""

    def kept_rows(self) -> list[forms.Form]:
        rows = super().kept_rows()
        if not self.is_bound:
            return rows
        return sorted(rows, key=lambda form: _last_if_none(form.cleaned_data.get("order")))

    def specs(self) -> tuple[MediaSpec, ...]:
        """The pictures as the content says them (of a valid, posted form)."""
        return tuple(_spec(form.cleaned_data) for form in self.kept_rows())

    def typed(self) -> tuple[MediaSpec, ...]:
        """The pictures as typed (or as the draft says), valid or not, for the preview."""
        typed = []
        for place, form in enumerate(self):
            value = {name: form[name].value() for name in form.fields}
            if not value["asset"] or value.get("DELETE"):
                continue
            data = {
                "asset": str(value["asset"]),
                "role": str(value["role"] or ""),
                "alt": str(value["alt"] or ""),
                "step": _number(value["step"]),
                "decorative": bool(value["decorative"]),
            }
            typed.append(((_last_if_none(_number(value["order"])), place), _spec(data)))
        return tuple(spec for _, spec in sorted(typed, key=lambda entry: entry[0]))


def _last_if_none(order: int | None) -> tuple[bool, int]:
    return (order is None, order or 0)


def _spec(row: dict) -> MediaSpec:
    return MediaSpec(
        asset=row["asset"],
        role=row["role"],
        alt=row["alt"],
        step=row["step"],
        decorative=row["decorative"],
    )


def _formset(
    form,
    prefix: str,
    *,
    heading: str,
    row_name: str,
    orderable: bool = False,
    formset=PartFormSet,
):
    """A formset of ``form`` with one empty row to fill: the page works without its script,
    which adds more rows from the formset's ``empty_form``."""
    formset = forms.formset_factory(
        form, formset=formset, extra=1, can_delete=True, can_delete_extra=False
    )
    formset.heading, formset.row_name, formset.orderable = heading, row_name, orderable
    return formset, prefix


#: The pictures of components and plans alike.
PICTURES = (
    "media",
    *_formset(
        MediaForm,
        "media",
        heading="Pictures (in order)",
        row_name="picture",
        orderable=True,
        formset=MediaFormSet,
    ),
)

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
        PICTURES,
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
        ),
        PICTURES,
    ],
}
