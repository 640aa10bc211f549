"""My API tokens: each person's personal access tokens for the editorial API. Everyone who
reaches the admin lists their own (never anyone else's), makes one and sees its key once,
on the page that follows, and revokes one after saying yes to what that does.

Every change goes through ``content.workflow.tokens``: these views collect input, call the
domain function and say what was done or why not. Plain POST forms with their CSRF token
(the admin runs under a strict CSP: no scripts here). There is no change, delete or history
page: a token's name and expiry are set once, and its hash is never shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.errors import DomainError
from content.models import PersonalToken
from content.workflow import tokens

#: Where the editorial API's addresses start.
API_PATH = "/api/manage/v1/"


class TokenForm(forms.Form):
    """A new token's name and lifetime. The rules on them are the domain's
    (``create_personal_token``): its refusals are shown on these fields."""

    name = forms.CharField(
        required=False,
        max_length=200,  # the domain says a name is at most 50 characters, with its count
        widget=forms.TextInput(attrs={"autofocus": True, "size": 40}),
        help_text=f"What it is for, to know it again in your list (at most {tokens.MAX_NAME} "
        "characters); e.g. “Import script” or “Laptop”.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires in (days)",
        initial=tokens.DEFAULT_DAYS,
        error_messages={
            "required": f"Say in how many days the token expires: 1 to {tokens.MAX_DAYS}.",
            "invalid": f"Say in how many days the token expires: a whole number from 1 to "
            f"{tokens.MAX_DAYS}.",
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": tokens.MAX_DAYS}),
        help_text=f"From 1 to {tokens.MAX_DAYS} days. It stops working then; make a new one.",
    )


def _staff(request: HttpRequest) -> bool:
    return tokens.has_access(request.user)


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    """The person's own tokens: the list, making one, revoking one (pages of its own)."""

    # Everyone in the admin has tokens of their own; each sees theirs only.
    def has_module_permission(self, request):
        return _staff(request)

    def has_view_permission(self, request, obj=None):
        return _staff(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return _staff(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user_id=request.user.pk)

    def get_urls(self):
        wrap = self.admin_site.admin_view  # staff only, CSRF-checked, never cached
        return [
            path("", wrap(self.changelist_view), name="content_personaltoken_changelist"),
            path("add/", wrap(self.add_view), name="content_personaltoken_add"),
            path(
                "<str:prefix>/revoke/",
                wrap(self.revoke_view),
                name="content_personaltoken_revoke",
            ),
        ]

    def _context(self, request: HttpRequest, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "list_url": reverse("admin:content_personaltoken_changelist"),
            "api_url": request.build_absolute_uri(API_PATH),
            **extra,
        }

    # --- The list ---

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The person's tokens, newest first: name, prefix, dates, state, a revoke link."""
        rows = [
            (token, tokens.state_of(token))
            for token in self.get_queryset(request).order_by("-created", "-pk")
        ]
        context = self._context(
            request,
            "My API tokens",
            rows=rows,
            live=sum(state == tokens.TokenState.LIVE for _, state in rows),
            max_live=tokens.MAX_LIVE,
            add_url=reverse("admin:content_personaltoken_add"),
            **(extra_context or {}),
        )
        return TemplateResponse(request, "admin/content/token_list.html", context)

    # --- Making one ---

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """The form; once a token is made, its key on the page that follows, this once only
        (the answer is never cached, and the key is kept nowhere)."""
        if request.method == "POST":
            form = TokenForm(request.POST)
            if form.is_valid():
                try:
                    token, key = tokens.create_personal_token(
                        user=request.user,
                        name=form.cleaned_data["name"],
                        expires_in_days=form.cleaned_data["expires_in_days"],
                    )
                except DomainError as refusal:
                    _show_refusal(form, refusal)
                else:
                    context = self._context(request, "Your new API token", token=token, key=key)
                    return TemplateResponse(request, "admin/content/token_made.html", context)
        else:
            form = TokenForm()
        context = self._context(request, "Make an API token", form=form, max_days=tokens.MAX_DAYS)
        return TemplateResponse(request, "admin/content/token_add.html", context)

    # --- Revoking one ---

    def revoke_view(self, request: HttpRequest, prefix: str) -> HttpResponse:
        """What revoking does, said first (GET); revoking it (POST). A token that is not the
        person's gets the domain's refusal, as a message on their list."""
        list_url = reverse("admin:content_personaltoken_changelist")
        token = PersonalToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None:
            messages.error(
                request, f"No token has the prefix '{prefix}'; your tokens are listed here."
            )
            return HttpResponseRedirect(list_url)
        try:
            if request.method == "POST":
                revoked = token.revoked
                tokens.revoke_personal_token(user=request.user, token=token)
            else:
                tokens.check_revoke_personal_token(user=request.user, token=token)
        except DomainError as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(list_url)
        if request.method == "POST":
            if revoked:
                messages.info(request, f"The token “{token.name}” was revoked already.")
            else:
                messages.success(
                    request,
                    f"The token “{token.name}” ({token.prefix}) is revoked: calls that send it "
                    "are refused from now on.",
                )
            return HttpResponseRedirect(list_url)
        state = tokens.state_of(token)
        context = self._context(
            request,
            "Revoke an API token",
            token=token,
            state=state,
            consequences=_consequences(token, state),
            revoke_url=request.path,
        )
        return TemplateResponse(request, "admin/content/token_confirm.html", context)


def _show_refusal(form: TokenForm, refusal: DomainError) -> None:
    """The domain's refusal on the fields it names, or above the form."""
    errors = getattr(refusal, "errors", None) or {}
    for field, problems in errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not errors:
        form.add_error(None, refusal.message)


def _consequences(token: PersonalToken, state: tokens.TokenState) -> list[str]:
    if state == tokens.TokenState.REVOKED:
        return ["It is revoked already: revoking it again changes nothing."]
    lines = [
        "Scripts and tools that send it are refused (401 Unauthorized) from their next call on.",
        "This cannot be undone. To go on using the editorial API, make a new token and put "
        "it where this one was.",
        "It stays in your list, marked revoked.",
    ]
    if state == tokens.TokenState.EXPIRED:
        lines.insert(0, "It has expired already: it opens nothing now.")
    elif token.last_used_at is not None:
        used = timezone.localtime(token.last_used_at)
        lines.insert(0, f"It was last used on {used:%Y-%m-%d at %H:%M}.")
    else:
        lines.insert(0, "It has never been used.")
    return lines
