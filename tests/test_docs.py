"""docs/backprop.zh.md is the Simplified-Chinese twin of docs/backprop.md, section for section.

The English derivation is the reference (the project grew from a Chinese article on BP1–BP4);
the Chinese file translates its prose and keeps everything else:

* the same headings at the same levels in the same order, with the English numbering;
* on each Chinese heading an HTML anchor ``<a id="…"></a>`` equal to the anchor GitHub makes
  for the English heading, so ``backprop.zh.md#4-the-four-equations`` reaches the section that
  ``backprop.md#4-the-four-equations`` does;
* every formula character for character: each line indented four spaces, and each inline code
  span holding ``=``;
* a link from each file to the other.

Links into either file from the notebooks, the README and docs/ must name an anchor that exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "docs" / "backprop.md"
CHINESE = ROOT / "docs" / "backprop.zh.md"

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
CODE_SPAN = re.compile(r"`([^`]+)`")
NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?(?=\s)")
CJK = re.compile(r"[\u4e00-\u9fff]")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def prose_lines(markdown: str) -> list[str]:
    """The lines outside fenced code blocks (indented blocks are formula lines, kept)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading, in order."""
    found = []
    for line in prose_lines(markdown):
        match = HEADING.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2)))
    return found


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    plain = re.sub(r"<[^>]+>", "", heading)  # inline HTML such as <a id="…"></a>
    plain = re.sub(r"`([^`]*)`", r"\1", plain).strip().lower()
    plain = re.sub(r"[^\w\- ]", "", plain)
    return plain.replace(" ", "-")


def english_anchors() -> list[str]:
    """Each English heading's anchor, numbered -1, -2 … after the first, as GitHub does."""
    seen: dict[str, int] = {}
    anchors = []
    for _, heading in headings(text(ENGLISH)):
        anchor = github_anchor(heading)
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        anchors.append(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def formula_lines(markdown: str) -> list[str]:
    """The lines indented four spaces (the formula blocks), without trailing blanks."""
    return [
        line.rstrip() for line in markdown.splitlines() if line.startswith("    ") and line.strip()
    ]


def inline_formulas(markdown: str) -> list[str]:
    """Every inline code span that holds an ``=``."""
    spans = CODE_SPAN.findall("\n".join(prose_lines(markdown)))
    return [span for span in spans if "=" in span]


def test_github_anchor_is_what_github_makes() -> None:
    assert github_anchor("4. The four equations") == "4-the-four-equations"
    assert github_anchor("Backpropagation: the reference derivation") == (
        "backpropagation-the-reference-derivation"
    )
    assert github_anchor("`fit`, step-by-step (α_1)") == "fit-step-by-step-α_1"


def test_the_same_sections_in_the_same_order() -> None:
    english, chinese = headings(text(ENGLISH)), headings(text(CHINESE))
    assert len(english) >= 6
    assert len(chinese) == len(english), (
        f"{len(english)} sections in English, {len(chinese)} in Chinese"
    )
    for (en_level, en_text), (zh_level, zh_text) in zip(english, chinese, strict=True):
        assert zh_level == en_level, (en_text, zh_text)
        en_number = NUMBERING.search(en_text)
        zh_number = NUMBERING.search(ANCHOR.sub("", zh_text))
        assert (zh_number and zh_number.group()) == (en_number and en_number.group()), zh_text
        assert CJK.search(zh_text), f"the heading {zh_text!r} is not translated"


def test_every_english_anchor_is_a_chinese_heading_anchor() -> None:
    english = english_anchors()
    missing = [anchor for anchor in english if anchor not in ANCHOR.findall(text(CHINESE))]
    assert not missing, f'backprop.zh.md lacks <a id="…"></a> anchors for {missing}'
    on_headings = [ANCHOR.findall(heading) for _, heading in headings(text(CHINESE))]
    assert on_headings == [[anchor] for anchor in english], (
        "each Chinese heading carries the anchor of its English twin, in the same order"
    )


def test_every_formula_line_is_in_the_chinese_file() -> None:
    chinese = set(formula_lines(text(CHINESE)))
    english = formula_lines(text(ENGLISH))
    assert "    (BP2)  δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)" in english
    missing = [line for line in english if line not in chinese]
    assert not missing, "formula lines of backprop.md missing from backprop.zh.md:\n" + "\n".join(
        missing
    )


def test_every_inline_formula_is_in_the_chinese_file() -> None:
    chinese = set(CODE_SPAN.findall(text(CHINESE)))
    english = inline_formulas(text(ENGLISH))
    assert "δ^l = ∂C/∂z^l" in english
    missing = [span for span in english if span not in chinese]
    assert not missing, f"inline formulas of backprop.md missing from backprop.zh.md: {missing}"


def test_each_links_to_the_other_at_its_top() -> None:
    for path, twin in ((ENGLISH, "backprop.zh.md"), (CHINESE, "backprop.md")):
        top = text(path).split("\n## ", 1)[0]
        assert f"]({twin})" in top, f"{path.name} needs a link to {twin} before its first section"


LINK = re.compile(r"\]\(([^)\s]*?backprop(?:\.zh)?\.md)#([^)\s]+)\)")


def linking_files() -> list[Path]:
    return [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "notebooks").glob("*.ipynb")),
    ]


@pytest.mark.parametrize("path", linking_files(), ids=lambda path: path.name)
def test_links_into_the_derivation_name_sections_that_exist(path: Path) -> None:
    anchors = {
        "backprop.md": set(english_anchors()),
        "backprop.zh.md": set(ANCHOR.findall(text(CHINESE))),
    }
    for target, fragment in LINK.findall(text(path)):
        name = Path(target).name
        assert fragment in anchors[name], f"{path.name} links to {name}#{fragment}, no such section"
