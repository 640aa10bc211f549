"""Proxy models that give the admin its screens: components, plans and the review queue.
They add no tables and no behaviour; the workflow is still the only writer."""

from __future__ import annotations

from django.db import models

from content.kinds import PLAN

from .content import ContentItem, Version


class ComponentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(kind=PLAN)


class PlanManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=PLAN)


class Component(ContentItem):
    objects = ComponentManager()

    class Meta:
        proxy = True


class Plan(ContentItem):
    objects = PlanManager()

    class Meta:
        proxy = True


class ReviewQueueEntry(Version):
    class Meta:
        proxy = True
        verbose_name = "version waiting for review"
        verbose_name_plural = "review queue"
