"""The docs stand alone: README, docs/, the schema and every source file's docstrings and comments
cite policy documents by title and document number (README, "Policy documents"), never a file,
folder, clause shorthand or tracker issue that lives outside this repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".md", ".py", ".graphql", ".mjs", ".toml", ".ini", ".sh", ".mako", ".json"}
THIS = Path(__file__).resolve()

# what a reader outside the engineers' machine cannot open or resolve
OUTSIDE = {
    "a file of the engineers' shared folder": re.compile(r"\.\./shared/|/work/shared\b"),
    "the requirements map": re.compile(r"\bREQUIREMENTS\b"),
    "the style guide": re.compile(r"\bSTYLE\.md\b"),
    "the policy seed files": re.compile(r"\bseeds/|\b\d{3}_[0-9a-f]{16}\b"),
    "clause shorthand of a seed file (000 §8, 002 (二)3)": re.compile(
        r"\b0\d\d\s*(?:§|[(（][一二三四五六七八九十]+[)）])"),
    "requirement ids (R3.2)": re.compile(r"\bR\d+(?:\.\d+)+\b"),
    # the engineers' tracker is not the product's: a reader has no issue 11 to open
    "an issue of the engineers' tracker (issue 11, #10, item 5)": re.compile(
        r"\bissues?\s*#?\d+|\(#\d+|#\d+\s+items?\b|\bthe issue(?:'s)?\b"
        # a bare number sign (of #11): not a repository's (owner/name#12), an entity (&#12;)
        # or a colour of the report's style sheet (#999;)
        r"|(?<![\w&/])#\d+\b(?!;)"
        r"|\bitems? \d+\b(?! of part)"),
}
# a policy document number: issuer containing 发 (国发, 国办发, 发改财金, 黔发改财金, 承发改经贸, …),
# year in 〔〕, serial and 号 — decision numbers (…罚〔2026〕17号, …许〔…〕) are not policy documents
POLICY_NUMBER = re.compile(r"[\u4e00-\u9fff]*发[\u4e00-\u9fff]*〔\d{4}〕\d+号")


def _files() -> list[Path]:
    """The repository's own text files: what git tracks or would (not what .gitignore hides:
    virtualenvs, node_modules, data)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = []
    for name in listed.splitlines():
        path = ROOT / name
        if not path.is_file() or path.resolve() == THIS or path.name == "package-lock.json":
            continue
        if path.suffix in SUFFIXES or path.parent.name in ("scripts", ".ci"):
            found.append(path)
    return found


def _policy_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.find("\n## Policy documents")
    assert start >= 0, "README has no 'Policy documents' section"
    end = readme.find("\n## ", start + 1)
    return readme[start: end if end >= 0 else None]


def test_nothing_points_outside_the_repository() -> None:
    offences = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in OUTSIDE.items():
                if pattern.search(line):
                    offences.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()[:100]}")
    assert not offences, "\n".join(offences)


def test_every_policy_document_cited_is_listed_with_its_title() -> None:
    section = _policy_section()
    rows = [line for line in section.splitlines() if line.startswith("| ") and "〔" in line]
    assert rows, "the 'Policy documents' table lists no document"
    for row in rows:
        assert re.search(r"《[^》]+》", row), f"no title (《…》) in: {row}"
    listed = {number for row in rows for number in POLICY_NUMBER.findall(row)}
    missing = []
    for path in _files():
        for number in set(POLICY_NUMBER.findall(path.read_text(encoding="utf-8"))) - listed:
            missing.append(f"{path.relative_to(ROOT)}: {number}")
    assert not missing, "cited but not in README's 'Policy documents':\n" + "\n".join(sorted(missing))
