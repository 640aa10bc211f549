"""The OpenAPI description of the delivery API: what docs/api.md promises, with each kind's
details shape taken from ``content.kinds``.

- ``shapes``: JSON Schema building blocks (``obj``, ``array``, ``page`` ...);
- ``documents``: the documents served (components, plans, problems ...) and ``add_components``,
  the postprocessing hook that adds them (settings: ``content.delivery.schema.add_components``);
- ``parameters``: path, query and header parameters;
- ``operations``: the ``extend_schema`` arguments of each endpoint, as ``views.py`` uses them;
- ``auth``: the API key scheme, registered with drf-spectacular by being imported here.
"""

from .auth import ApiKeyScheme
from .documents import add_components, delivery_only
from .operations import (
    component_detail,
    component_history,
    component_list,
    component_version,
    contraindication_list,
    goal_list,
    locale_list,
    plan_detail,
    plan_list,
    sync,
)

__all__ = [
    "ApiKeyScheme",
    "add_components",
    "component_detail",
    "component_history",
    "component_list",
    "component_version",
    "contraindication_list",
    "delivery_only",
    "goal_list",
    "locale_list",
    "plan_detail",
    "plan_list",
    "sync",
]
