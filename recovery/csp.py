"""The Content Security Policy of the pages a browser shows: the admin and the API docs.

django-csp sends the policy (settings.CONTENT_SECURITY_POLICY); this subclass leaves the JSON
API out before any work is done: a browser never renders its answers as pages (they are
``application/json`` with ``nosniff``), and building the policy on every answer would cost
the read path for nothing.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware

JSON_API_PREFIX = "/api/v1/"


class PagePolicyMiddleware(CSPMiddleware):
    def process_request(self, request):
        if not request.path_info.startswith(JSON_API_PREFIX):
            super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(JSON_API_PREFIX):
            return response
        return super().process_response(request, response)
