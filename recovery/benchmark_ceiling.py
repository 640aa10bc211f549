"""The benchmark's ceiling: a bare Django view, behind the same middleware, that returns
fixed bytes (a copy of a real list answer) and does no other work. Routed only when
``BENCHMARK_CEILING_FILE`` names the file holding those bytes."""

import os
from pathlib import Path

from django.http import HttpResponse

_BODY = Path(os.environ["BENCHMARK_CEILING_FILE"]).read_bytes()


def ceiling(request):
    return HttpResponse(_BODY, content_type="application/json")
