"""Fill the benchmark database: ``populate.py N`` publishes N components through the
workflow, and Spanish translations of every other one (with ``BENCH_MEDIA=1``, each with a
hero picture, and a pranayama with two step pictures besides); ``populate.py --key`` prints a fresh
API key with a rate no benchmark reaches; ``populate.py --token`` prints the sync token of
an app that has synced everything so far;
``populate.py --revise N`` publishes a new version of components 0 to N-1."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402

from content import workflow  # noqa: E402
from content.delivery.freshness import read_table  # noqa: E402
from content.delivery.tokens import SyncPosition, encode_token  # noqa: E402
from content.kinds import EXAMPLE_DETAILS, Kind  # noqa: E402
from content.models import (  # noqa: E402
    Contraindication,
    DeliveryKey,
    Goal,
    ReviewerProfile,
    Version,
)
from content.workflow import (  # noqa: E402
    CitationSpec,
    LinkSpec,
    PlanContent,
    PlanItemSpec,
    TranslationContent,
    VersionContent,
)

BODY = (
    "## Why\n\nA short, practical explanation of what this does and for whom, with the "
    "evidence behind it in plain words.\n\n## How\n\n1. First step, described carefully.\n"
    "2. Second step, with what to notice.\n3. Third step, and when to stop.\n"
)


def person(username, group, credentials=None):
    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=group))
    if credentials:
        ReviewerProfile.objects.get_or_create(
            user=user, defaults={"display_name": username.title(), "credentials": credentials}
        )
    return user


def pictures(editor) -> list[str]:
    """Four pictures uploaded through the workflow, their renditions made here (the job's
    own function, in-process): the SHA-256 of each."""
    import io

    from PIL import Image, ImageDraw

    from content.media.renditions import crops, make_renditions
    from content.workflow.media import AssetFacts, upload_asset

    shas = []
    for n in range(4):
        image = Image.new("RGB", (1600, 1000), (40 + 50 * n, 120, 160 - 30 * n))
        ImageDraw.Draw(image).ellipse((300 + 100 * n, 200, 900 + 100 * n, 800), "white")
        data = io.BytesIO()
        image.save(data, "JPEG", quality=90)
        facts = AssetFacts(f"Benchmark picture {n}", "Benchmark", "CC0 1.0", 0.4, 0.5, "16:9")
        asset = upload_asset(
            user=editor, data=data.getvalue(), original_name=f"b{n}.jpg", facts=facts
        )
        for crop in crops(asset):
            make_renditions.call(asset.pk, crop)
        shas.append(asset.sha256)
    return shas


def media_of(n: int, kind: str, shas: list[str]) -> tuple:
    if not shas:
        return ()
    from content.workflow.snapshot import MediaSpec

    hero = MediaSpec(shas[n % 4], "hero", f"A white circle on a coloured ground, number {n}")
    if kind != Kind.PRANAYAMA:
        return (hero,)
    steps = tuple(
        MediaSpec(shas[(n + s) % 4], "step", f"Breathe in step {s}, slowly", step=s) for s in (1, 2)
    )
    return (hero, *steps)


def populate(count: int) -> None:
    slugs = ["pregnancy", "ssri", "maoi", "glaucoma", "epilepsy", "kidney-disease"]
    for slug in slugs:
        Contraindication.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").title(), "category": "condition"}
        )
    for slug in ["sleep", "stress", "anxiety"]:
        Goal.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    editor = person("bench-editor", "Editors")
    reviewers = [person(f"bench-reviewer-{n}", "Reviewers", "RD") for n in range(2)]
    kinds = list(Kind.values)
    shas = pictures(editor) if os.environ.get("BENCH_MEDIA", "1") == "1" else []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        links = [LinkSpec(slugs[n % 6], "avoid", "Not for people with this condition.")]
        links.append(LinkSpec(slugs[(n + 1) % 6], "caution", "Ask your clinician first."))
        content = VersionContent(
            title=f"Component {n:04} for restful sleep",
            summary="A gentle practice for the evening, studied for sleep quality.",
            body=BODY,
            change_note="First version.",
            evidence_level="B",
            details=EXAMPLE_DETAILS[kind],
            goals=("sleep", "stress"),
            contraindications=tuple(links),
            citations=(
                CitationSpec(
                    title="Yamadera et al. 2007, Sleep and Biological Rhythms",
                    doi="10.1111/j.1479-8425.2007.00262.x",
                ),
            ),
            media=media_of(n, kind, shas),
        )
        version = workflow.create_component(
            user=editor, kind=kind, slug=f"component-{n:04}", content=content
        )
        version = workflow.submit_for_review(version=version, user=editor)
        for reviewer in reviewers[: workflow.review_policy(kind).approvals_required]:
            version = workflow.approve(
                version=version, user=reviewer, seen_hash=version.content_hash
            )
        workflow.publish(version=version, user=reviewers[0])
    slots = ["morning", "midday", "evening", "bedtime", "anytime"]
    for n in range(max(1, count // 25)):
        items = [
            PlanItemSpec(f"component-{(n * 10 + i) % count:04}", slots[i % 5], 1, 4, "daily", i + 1)
            for i in range(10)
        ]
        plan = workflow.create_plan(
            user=editor,
            slug=f"plan-{n:03}",
            content=PlanContent(
                title=f"Plan {n:03}: four weeks of better sleep",
                summary="Ten practices across the day, for four weeks.",
                body=BODY,
                change_note="First version.",
                duration_weeks=4,
                goals=("sleep",),
                items=tuple(items),
            ),
        )
        plan = workflow.submit_for_review(version=plan, user=editor)
        plan = workflow.approve(version=plan, user=reviewers[0], seen_hash=plan.content_hash)
        workflow.publish(version=plan, user=reviewers[1])
    translate(count, reviewers)


def translate(count: int, reviewers) -> None:
    """Spanish, with every other component translated (the rest falls back to English)."""
    workflow.add_locale(user=reviewers[0], code="es", name="Español")
    translator = person("bench-translator", "Translators")
    for n in range(0, count, 2):
        source = Version.objects.get(item__slug=f"component-{n:04}", state="published")
        text = workflow.source_text(source)
        content = TranslationContent(
            title=f"Componente {n:04} para un sueño reparador",
            summary="Una práctica suave para la tarde, estudiada para la calidad del sueño.",
            body=BODY.replace("Why", "Por qué").replace("How", "Cómo"),
            change_note="Traducción.",
            details={
                name: [f"{entry} (es)" for entry in value]
                if isinstance(value, list)
                else f"{value} (es)"
                for name, value in text["details"].items()
            },
            notes={
                part: {key: f"{note} (es)" for key, note in notes.items()}
                for part, notes in text["notes"].items()
            },
        )
        version = workflow.start_translation(
            item=source.item, locale="es", user=translator, content=content
        )
        version = workflow.submit_for_review(version=version, user=translator)
        version = workflow.approve(
            version=version, user=reviewers[1], seen_hash=version.content_hash
        )
        workflow.publish(version=version, user=reviewers[0])


def revise(count: int) -> None:
    editor = User.objects.get(username="bench-editor")
    reviewers = list(User.objects.filter(username__startswith="bench-reviewer-").order_by("pk"))
    for n in range(count):
        live = Version.objects.get(item__slug=f"component-{n:04}", state="published")
        draft = workflow.revise(version=live, user=editor, change_note="Revised for the benchmark.")
        version = workflow.submit_for_review(version=draft, user=editor)
        for reviewer in reviewers[: workflow.review_policy(live.item.kind).approvals_required]:
            version = workflow.approve(
                version=version, user=reviewer, seen_hash=version.content_hash
            )
        workflow.publish(version=version, user=reviewers[0])


if __name__ == "__main__":
    if connection.vendor == "postgresql":  # a benchmark's data need not survive a crash
        connection.cursor().execute("SET synchronous_commit TO off")
    if sys.argv[1:] == ["--key"]:
        _, secret = DeliveryKey.objects.create_key(name="benchmark", requests_per_minute=10**9)
        print(secret)
    elif sys.argv[1:] == ["--token"]:
        generations = read_table()
        print(encode_token(SyncPosition(since=generations.content, epoch=generations.epoch)))
    elif sys.argv[1:2] == ["--revise"]:
        revise(int(sys.argv[2]))
    else:
        populate(int(sys.argv[1]))
