"""Domain errors: every refusal of the content rules, with a message a person can act on."""


class DomainError(Exception):
    """A content rule refused an action. ``str(error)`` says why and what to do instead."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionRefused(DomainError):
    """The user lacks the role the action needs, or is the version's own author."""

    code = "permission"


class InvalidTransition(DomainError):
    """The version is not in a state the action applies to."""

    code = "state"


class ImmutableRecordError(DomainError):
    """Something tried to change or delete a record that is written once: an audit entry,
    an approval, or a version after it was submitted."""

    code = "immutable"


class FrozenVersionError(ImmutableRecordError):
    """Something tried to change a version after it was submitted."""

    code = "frozen"


class StaleEdit(DomainError):
    """A draft was changed by someone else since the editor loaded it."""

    code = "stale"


class ContentInvalid(DomainError):
    """The version's content breaks a rule (details schema, citations, links)."""

    code = "invalid"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class PreviewRefused(DomainError):
    """A preview link cannot be opened: it is not one this server signed, it expired or was
    revoked, or what it shows changed since it was made. ``reason`` says which, for apps:
    ``invalid``, ``expired``, ``revoked`` or ``changed``."""

    code = "preview"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ConcurrentChange(DomainError):
    """Someone else changed the same content at the same moment, and the action lost the race
    every time it was tried again."""

    code = "concurrent"
