"""Import a component from a YAML file through the editorial API, then review and publish it.

    python docs/examples/import_component.py --base-url http://127.0.0.1:8000 \\
        --editor-token "$EDITOR_TOKEN" --reviewer-token "$REVIEWER_TOKEN" \\
        [--second-reviewer-token "$REVIEWER2_TOKEN"] docs/examples/four-seven-eight-breathing.yaml

As the editor (whose token is sent): create the item as a draft, or, if the slug exists,
start a new draft from its latest version (or take up the draft already open) and replace
its content with PUT and the draft's ETag as If-Match; then submit it. As the reviewer (and
the second reviewer, for kinds that need two approvals): approve the content hash the
submission answered. As the reviewer: publish it. Each step is printed; a refusal stops the
import with the API's own ``detail`` and a non-zero exit. Every transition carries an
Idempotency-Key, so a step retried after a lost connection acts once.

The YAML file holds ``slug`` and ``kind``; every other field is the version's content (see
docs/examples/four-seven-eight-breathing.yaml). Needs ``requests`` and ``PyYAML``.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

import requests
import yaml

API = "/api/manage/v1/"
TIMEOUT = 30
#: How often a transition is sent again, with the same Idempotency-Key, after a lost answer.
ATTEMPTS = 3


class Refused(Exception):
    """The API refused a step: its status and the problem's ``detail``."""

    def __init__(self, step: str, answer: requests.Response) -> None:
        try:
            problem = answer.json()
        except ValueError:
            problem = {}
        detail = problem.get("detail") if isinstance(problem, dict) else None
        super().__init__(f"{step}: refused with {answer.status_code}: {detail or answer.text}")


class Person:
    """Calls to the editorial API as the owner of one personal access token."""

    def __init__(self, base_url: str, token: str, role: str) -> None:
        self.base = base_url.rstrip("/") + API
        self.role = role
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(
        self,
        step: str,
        method: str,
        path: str,
        *,
        ok: tuple[int, ...] = (200,),
        **kwargs: Any,
    ) -> requests.Response:
        answer = self.session.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
        if answer.status_code not in ok:
            raise Refused(step, answer)
        return answer

    def transition(self, step: str, path: str, body: dict[str, Any], ok=(200,)):
        """POST an action with an Idempotency-Key, sent again (same key) if the connection
        fails: the server acts once and answers the first answer again."""
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self.call(step, "POST", path, ok=ok, json=body, headers=headers)
            except (requests.ConnectionError, requests.Timeout):
                if attempt == ATTEMPTS:
                    raise
                print(f"  {step}: no answer, sending it again with the same Idempotency-Key")


def version_path(slug: str, number: int) -> str:
    return f"items/{slug}/versions/{number}/"


def read_component(path: Path) -> tuple[str, str, dict[str, Any]]:
    """The file's ``kind``, ``slug`` and content (every other field)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"kind", "slug"} <= set(data):
        raise SystemExit(f"{path}: a mapping with 'kind', 'slug' and the content's fields")
    content = dict(data)
    return content.pop("kind"), content.pop("slug"), content


def open_draft(editor: Person, kind: str, slug: str, content: dict[str, Any]) -> dict:
    """The draft that says ``content``: a new item's first, or a new draft of an existing one
    (started from its latest version, or the one already open), its content replaced."""
    found = editor.call("look up the item", "GET", f"items/{slug}/", ok=(200, 404))
    if found.status_code == 404:
        answer = editor.transition(
            "create", "items/", {"kind": kind, "slug": slug, "content": content}, ok=(201,)
        )
        version = answer.json()
        print(f"created {slug} v{version['number']} ({version['state']})")
        return version

    item = found.json()
    if item["kind"] != kind:
        raise SystemExit(f"'{slug}' exists as a {item['kind']}, not a {kind}: choose another slug")
    working = item["working_version"]
    if working is None:
        latest = max(v["number"] for v in item["versions"] if v["state"] != "discarded")
        answer = editor.transition(
            "start a draft",
            f"{version_path(slug, latest)}start-draft/",
            {"change_note": content.get("change_note", "")},
            ok=(201,),
        )
        print(f"started {slug} v{answer.json()['number']} from v{latest}")
    else:
        answer = editor.call("read the open draft", "GET", version_path(slug, working))
        if answer.json()["state"] != "draft":
            state = answer.json()["state"]
            raise SystemExit(
                f"'{slug}' v{working} is {state.replace('_', ' ')}: finish its review, or "
                "discard it, before importing again"
            )
        print(f"taking up the open draft {slug} v{working}")
    number = answer.json()["number"]
    answer = editor.call(
        "replace the content",
        "PUT",
        version_path(slug, number),
        json=content,
        headers={"If-Match": answer.headers["ETag"]},
    )
    print(f"replaced the content of v{number} (ETag {answer.headers.get('ETag')})")
    return answer.json()


def import_component(path: Path, editor: Person, reviewers: list[Person]) -> dict:
    kind, slug, content = read_component(path)
    version = open_draft(editor, kind, slug, content)
    at = version_path(slug, version["number"])

    version = editor.transition("submit", f"{at}submit/", {}).json()
    seen = version["content_hash"]
    print(f"submitted v{version['number']}: content hash {seen}")

    approvals = version["approvals"]
    approval = {"content_hash": seen, "comment": f"Reviewed the import of {path.name}."}
    for reviewer in reviewers:
        if approvals["given"] >= approvals["required"]:
            break
        version = reviewer.transition(f"approve ({reviewer.role})", f"{at}approve/", approval)
        version = version.json()
        approvals = version["approvals"]
        print(f"approved by the {reviewer.role}: {approvals['given']} of {approvals['required']}")
    if approvals["given"] < approvals["required"]:
        raise SystemExit(
            f"{slug} needs {approvals['required']} approvals and has {approvals['given']}: "
            "pass --second-reviewer-token (another reviewer's token); the version stays in review"
        )

    version = reviewers[0].transition("publish", f"{at}publish/", {}).json()
    print(f"published {slug} v{version['number']} ({version['state']})")
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("yaml", type=Path, help="the component's YAML file")
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--editor-token", required=True, help="an editor's personal token")
    parser.add_argument("--reviewer-token", required=True, help="a reviewer's personal token")
    parser.add_argument(
        "--second-reviewer-token", help="another reviewer's, for kinds that need two approvals"
    )
    args = parser.parse_args(argv)

    editor = Person(args.base_url, args.editor_token, "editor")
    reviewers = [Person(args.base_url, args.reviewer_token, "reviewer")]
    if args.second_reviewer_token:
        reviewers.append(Person(args.base_url, args.second_reviewer_token, "second reviewer"))
    try:
        import_component(args.yaml, editor, reviewers)
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"cannot reach {args.base_url}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
