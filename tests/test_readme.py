"""The README's map of the code is the tree: every file is on it, and nothing on it is gone.

The map is an indented tree in the README's "Map of the code" section: a name, or names
separated by commas, then a description from the description column on; a line that starts
at the description column continues the one above. A folder marked ``(whole)`` stands for
everything inside it; packages' ``__init__.py`` files go without saying.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DESCRIPTIONS = 26  # the column descriptions start at
WHOLE = " (whole)"


def _map_lines() -> list[str]:
    text = README.read_text()
    section = text[text.index("## Map of the code") :]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "the map of the code is a fenced block in its section"
    return block[1].splitlines()


def mapped() -> tuple[set[str], set[str]]:
    """The files the map names, and the folders it names whole."""
    files: set[str] = set()
    whole: set[str] = set()
    parents: list[str] = []  # the folder at each depth
    for line in _map_lines():
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent >= DESCRIPTIONS:
            continue  # a description going on
        assert indent % 2 == 0, line
        depth = indent // 2
        names = re.split(r"\s{2,}", line.strip())[0]
        parents = parents[:depth]
        prefix = "".join(parents)
        for name in names.split(", "):
            if name.endswith(WHOLE):
                whole.add(prefix + name.removesuffix(WHOLE))
            elif name.endswith("/"):
                parents.append(name)
            else:
                files.add(prefix + name)
    return files, whole


def tree() -> set[str]:
    """The repository's files, as git sees them (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return {path for path in listed if path and (ROOT / path).exists()}


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
def test_the_map_of_the_code_is_the_tree():
    files, whole = mapped()
    assert len(files) > 100 and whole  # the map was read
    present = {
        path
        for path in tree()
        if Path(path).name != "__init__.py" and not any(path.startswith(w) for w in whole)
    }
    assert sorted(present - files) == [], "on the tree, missing from the README's map"
    assert sorted(files - present) == [], "on the README's map, gone from the tree"
    assert all((ROOT / folder).is_dir() for folder in whole)
