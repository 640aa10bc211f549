"""The picture library: every uploaded picture with its thumbnail; uploading one (the file
and what is said of it); and a picture's page, where its title, credit, licence and crop
are changed and its focal point is set by clicking on it, beside its renditions and the
versions that show it.

Every change goes through ``content.workflow.media`` (``upload_asset``, ``change_asset``):
these views collect input and show the domain's refusal on the form, with what was typed
kept. Pictures are never deleted here: the versions that show them protect them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from content.errors import ContentInvalid, DomainError
from content.kinds import PLAN
from content.media.renditions import ready
from content.models import Asset, CropRatio, MediaLink, Rendition
from content.workflow import policy
from content.workflow.media import AssetFacts, change_asset, upload_asset

from .pictures import is_ready, picker_image, thumbnail, whole_renditions

#: What the file field offers to choose (the domain decides what is accepted).
ACCEPT = "image/jpeg,image/png,image/webp,image/avif"
FRACTION = forms.NumberInput(attrs={"step": "any", "min": "0", "max": "1", "class": "focal"})


class AssetForm(forms.Form):
    """What is said of a picture, and how it is cut."""

    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="What the picture shows, for editors choosing it (apps never see it).",
    )
    credit = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Who made it, as they ask to be credited; apps show it with the picture.",
    )
    licence = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text="e.g. CC0 1.0, CC BY 4.0, or 'own work, all rights reserved'.",
    )
    ratio = forms.ChoiceField(
        required=False,
        choices=CropRatio.choices,
        help_text="Apps are sent the picture cut to this shape, around the focal point.",
    )
    focal_x = forms.FloatField(
        required=False,
        label="Focal point x",
        widget=FRACTION,
        help_text="Across, from the left: 0 to 1 (0.5 is the middle).",
    )
    focal_y = forms.FloatField(
        required=False,
        label="Focal point y",
        widget=FRACTION,
        help_text="Down, from the top: 0 to 1. Leave x and y empty for the centre.",
    )

    def facts(self) -> AssetFacts:
        data = self.cleaned_data
        return AssetFacts(
            title=data["title"],
            credit=data["credit"],
            licence=data["licence"],
            focal_x=data["focal_x"],
            focal_y=data["focal_y"],
            ratio=data["ratio"],
        )


class UploadForm(AssetForm):
    """A new picture: the file, and what is said of it."""

    file = forms.FileField(
        label="Picture file",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="A JPEG, PNG, WebP or AVIF picture (no SVG). Its metadata (camera, place) "
        "is removed on upload.",
    )
    field_order = ["file"]


def refusal_on_fields(form: forms.Form, exc: ContentInvalid) -> None:
    """Show each of the domain's problems on the field it names (above the fields if it
    names none, as for the focal point, which is two fields)."""
    for name, problems in (exc.errors or {None: [str(exc)]}).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _initial(asset: Asset) -> dict:
    names = ("title", "credit", "licence", "ratio", "focal_x", "focal_y")
    return {name: getattr(asset, name) for name in names}


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = [
        "picture",
        "title",
        "pixels",
        "credit",
        "licence",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display_links = ["title"]
    search_fields = ["title", "credit", "licence", "original_name"]
    actions = None

    class Media:
        css = {"all": ["content/media.css"]}

    def has_add_permission(self, request):
        return request.user.has_perm(policy.UPLOAD)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(policy.CHANGE_ASSET)

    def has_delete_permission(self, request, obj=None):
        return False  # the versions that show a picture protect it

    def get_queryset(self, request):
        whole = Rendition.objects.filter(crop="").order_by("width")
        return (
            super()
            .get_queryset(request)
            .select_related("uploaded_by")
            .prefetch_related(Prefetch("renditions", queryset=whole, to_attr="whole"))
        )

    @admin.display(description="picture")
    def picture(self, asset: Asset) -> str:
        found = thumbnail(asset, asset.whole)
        if found is None:
            return mark_safe('<span class="thumbnail-waiting">renditions being made</span>')
        return format_html(
            '<img class="thumbnail list-thumbnail" src="{}" width="{}" height="{}" alt="">',
            found.url,
            found.width,
            found.height,
        )

    @admin.display(description="size in pixels")
    def pixels(self, asset: Asset) -> str:
        return f"{asset.width} \u00d7 {asset.height}"

    # --- Pages ---

    def _page(self, request, form, title: str, asset: Asset | None = None, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "asset": asset,
            "changelist_url": reverse("admin:content_asset_changelist"),
            **extra,
        }
        if asset is not None:
            context.update(self._about(asset))
        return TemplateResponse(request, "admin/content/asset_page.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                asset = upload_asset(
                    user=request.user,
                    data=upload,
                    original_name=upload.name,
                    facts=form.facts(),
                )
            except ContentInvalid as exc:
                refusal_on_fields(form, exc)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"'{asset.title}' is in the library. The job worker is making its "
                    "renditions (a minute at most); then click on it here to set its focal "
                    "point.",
                )
                return HttpResponseRedirect(reverse("admin:content_asset_change", args=[asset.pk]))
        return self._page(request, form, "Upload a picture", choose_again=posted)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        asset = self.get_object(request, object_id)
        if asset is None or not self.has_view_permission(request, asset):
            raise Http404("No such picture.")
        if not self.has_change_permission(request, asset):
            if request.method == "POST":
                raise PermissionDenied
            return self._page(request, None, str(asset), asset)
        posted = request.method == "POST"
        form = AssetForm(request.POST if posted else None, initial=_initial(asset))
        if posted and form.is_valid():
            try:
                asset = change_asset(user=request.user, asset=asset, facts=form.facts())
            except ContentInvalid as exc:
                refusal_on_fields(form, exc)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, self._changed(asset))
                if "_continue" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(reverse("admin:content_asset_changelist"))
        return self._page(request, form, f"Change {asset}", asset)

    @staticmethod
    def _changed(asset: Asset) -> str:
        said = f"'{asset.title}' saved."
        if ready(asset):
            return said
        return (
            f"{said} The job worker is making its renditions for the new crop; versions "
            "that show it can be published once they are made."
        )

    # --- What a picture's page shows beside the form ---

    def _about(self, asset: Asset) -> dict:
        whole = whole_renditions([asset]).get(asset.pk, [])
        return {
            "facts": [
                ("File", asset.original_name or "-"),
                ("Size in pixels", self.pixels(asset)),
                ("Type", asset.content_type),
                ("Bytes", f"{asset.size:,}"),
                ("SHA-256", asset.sha256),
                ("Uploaded", f"{asset.uploaded_at:%d %b %Y %H:%M} by {asset.uploaded_by}"),
            ],
            "picker": picker_image(whole),
            "whole_ready": is_ready(asset, whole),
            "crop_ready": ready(asset),
            "renditions": _renditions(asset),
            "uses": _uses(asset),
        }


def _renditions(asset: Asset) -> list[tuple[str, list[Rendition]]]:
    """``asset``'s renditions by crop: the whole picture, its crop now, and earlier crops."""
    groups: dict[str, list[Rendition]] = {}
    for row in Rendition.objects.filter(asset=asset).order_by("crop", "format", "width"):
        groups.setdefault(row.crop, []).append(row)

    def label(crop: str) -> str:
        if crop == "":
            return "The whole picture (shown in the admin; sent to apps when no ratio is set)"
        if crop == asset.crop:
            return f"Cut now: {crop} (sent to apps)"
        return f"An earlier cut: {crop} (kept for versions published with it)"

    order = sorted(groups, key=lambda crop: (crop != "", crop != asset.crop, crop))
    return [(label(crop), groups[crop]) for crop in order]


def _uses(asset: Asset) -> list[dict]:
    """The versions that show ``asset``, newest first, each with a link to its item."""
    links = (
        MediaLink.objects.filter(asset=asset)
        .select_related("version__item")
        .order_by("version__item__slug", "-version__number", "order")
    )
    uses = []
    for link in links:
        item = link.version.item
        screen = "plan" if item.kind == PLAN else "component"
        uses.append(
            {
                "slug": item.slug,
                "number": link.version.number,
                "state": link.version.get_state_display(),
                "role": link.get_role_display().partition(":")[0],
                "step": link.step,
                "url": reverse(f"admin:content_{screen}_change", args=[item.pk]),
            }
        )
    return uses
