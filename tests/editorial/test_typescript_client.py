"""The TypeScript client of the editorial API (clients/typescript/): its types are generated
from the schema the server serves, and the hand-written import flow (create, patch with
If-Match, submit, approve, publish) compiles against them with ``tsc --strict``. A change to
the API that breaks a client's calls fails here.

npm installs the pinned packages from the registry (``npm ci``, its cache reused); without
npm the test is skipped, except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "typescript"
#: What the client's folder holds in git: the rest (node_modules, generated) is made here.
COMMITTED = ("package.json", "package-lock.json", "tsconfig.json", "src/import.ts")


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        message = "npm is not installed: the TypeScript client cannot be generated and compiled"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run this test: install Node.js 20 and npm)")
        pytest.skip(message)
    return npm


def _run(command: list[str], folder: Path, timeout: int = 300) -> None:
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"`{' '.join(command[1:])}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )


def test_schema_command_writes_what_the_server_serves(client, tmp_path):
    written = tmp_path / "editorial-schema.json"

    call_command("editorial_schema", file=written)

    served = client.get("/api/manage/v1/schema/", HTTP_ACCEPT="application/json")
    assert served.status_code == 200
    assert json.loads(written.read_text()) == served.json()


def test_generated_client_compiles_with_strict_typescript(tmp_path):
    npm = _npm()
    folder = tmp_path / "client"
    for name in COMMITTED:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CLIENT / name, folder / name)
    call_command("editorial_schema", file=folder / "editorial-schema.json")

    _run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"], folder)
    _run([npm, "run", "generate"], folder)  # npx openapi-typescript, as package.json says
    assert "export interface paths" in (folder / "src" / "schema.d.ts").read_text()
    _run([npm, "run", "check"], folder)  # npx tsc --strict --noEmit
