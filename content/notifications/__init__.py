"""Notifications: telling people of what concerns them, in the admin and by email.

- ``recipients``: who is told of what, asked of the workflow's checks and its records.
- ``handlers``: each committed event (``content.events``) becomes notifications.
- ``reminders``: the daily job telling reviewers of items due, or overdue, for review.
- ``notify``: making the notifications, as each person chose (``preferences``).
- ``mail``: the emails, one per notification at once, or a daily digest.
- ``jobs``: the periodic jobs the worker's clock runs (``content.workflow.jobs.PERIODIC``).

A notification holds a title and a link, never clinical text: what a version says stays
in the admin, behind its login.
"""
