"""Admin screens. Vocabularies, locales and API keys are managed here by reviewers; the
editors', translators' and reviewers' content screens, the picture library and each person's
API tokens are built on ``content.workflow``. The site itself (its name, its home page) is
``recovery.admin_site``."""

from . import (  # noqa: F401  (registers the model admins)
    items,
    keys,
    locales,
    media_library,
    notifications,
    review_queue,
    tokens,
    vocabulary,
    vocabulary_translations,
    webhooks,
)
