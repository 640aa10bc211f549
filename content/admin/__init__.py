"""Admin screens. Vocabularies and API keys are managed here by reviewers; the editors'
and reviewers' content screens are built on ``content.workflow``. The site itself (its name,
its home page) is ``recovery.admin_site``."""

from . import items, keys, notifications, review_queue, vocabulary, webhooks  # noqa: F401  (registers the model admins)
