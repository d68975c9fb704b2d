"""write_step_through: one self-contained HTML file holding every frame (checked as text here;
test_viz_browser.py drives it in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from chainrule.viz import write_step_through
from chainrule.viz.player import DEFAULT_TITLE

from tests.graphs import neuron

pytestmark = pytest.mark.needs_dot


def test_page_holds_every_frame_inline_with_its_caption(tmp_path: Path) -> None:
    page = write_step_through(neuron(), tmp_path / "player")
    assert page == tmp_path / "player.html"
    text = page.read_text(encoding="utf-8")
    assert f"<title>{DEFAULT_TITLE}</title>" in text
    frames = re.findall(r'<figure class="frame" id="frame-(\d+)"[^>]*>(.*?)</figure>', text, re.S)
    assert [int(number) for number, _ in frames] == list(range(10))
    for number, body in frames:
        assert body.count("<svg") == 1 and "<?xml" not in body
        caption = re.search(r"<figcaption>(.*?)</figcaption>", body).group(1)
        assert caption.startswith("Forward pass" if number == "0" else f"Step {number} of 9:")
    assert 'max="9"' in text and "Step 0 / 9" in text
    for control in ('id="previous"', 'id="next"', 'id="play"', 'id="slider"', 'id="counter"'):
        assert control in text
    assert text.count(" hidden>") == 9  # only frame 0 shows before the script runs


def test_page_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    text = write_step_through(neuron(), tmp_path / "player.html").read_text(encoding="utf-8")
    without_namespaces = re.sub(r'xmlns(:xlink)?="http://www\.w3\.org/[^"]*"', "", text)
    assert not re.search("https?:|//", without_namespaces)
    for loader in ("<link", " src=", "@import", "url(", "@font-face", "fetch(", "XMLHttpRequest"):
        assert loader not in text
    script = re.search(r"<script>(.*)</script>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert policy == (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    )


def test_ids_are_unique_across_frames(tmp_path: Path) -> None:
    text = write_step_through(neuron(), tmp_path / "player.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


def test_a_title_must_be_text(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="title must be a str"):
        write_step_through(neuron(), tmp_path / "player.html", title=None)
