"""Events: the outbox every announcement is written to, and the signed webhooks that carry
them to receivers (Standard Webhooks 1.0). Below the read model and the workflow: both
call ``emit`` in the transaction of what they announce."""

from .outbox import content_event, emit, vocabulary_event

__all__ = ["content_event", "emit", "vocabulary_event"]
