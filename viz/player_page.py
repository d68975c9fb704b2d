"""The step-through player's page: HTML skeleton, style and script, all inline.

Nothing here loads anything: no external script, stylesheet, font or image.
The Content-Security-Policy allows no network request at all and only the
one script below (by its SHA-256 hash), so even a label that slipped through
escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib
from string import Template

STYLE = """
:root { color-scheme: light; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #111827; background: #f9fafb; }
header, main { max-width: 1400px; margin: 0 auto; padding: 0 1.25rem; }
h1 { font-size: 1.35rem; margin: 1rem 0 0.5rem; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; padding: 0.6rem 0; }
button { font: inherit; padding: 0.35rem 0.9rem; border: 1px solid #9ca3af; border-radius: 6px;
         background: #fff; cursor: pointer; }
button:hover:not(:disabled) { background: #f3f4f6; }
button:disabled { opacity: 0.45; cursor: default; }
#slider { flex: 1 1 14rem; }
#counter { font-variant-numeric: tabular-nums; min-width: 9rem; font-weight: 600; }
.frame { margin: 0; }
.frame figcaption { min-height: 3.2em; padding: 0.6rem 0.8rem; background: #fff;
                    border-left: 4px solid #c026d3; font-family: ui-monospace, "DejaVu Sans Mono",
                    Menlo, Consolas, monospace; font-size: 0.95rem; white-space: pre-wrap; }
.frame .picture { margin-top: 0.6rem; background: #fff; border: 1px solid #e5e7eb;
                  border-radius: 6px; padding: 0.5rem; overflow-x: auto; }
.frame svg { display: block; width: 100%; height: auto; max-height: 72vh; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; list-style: none; padding: 0;
          margin: 0.8rem 0 1.5rem; font-size: 0.85rem; }
.legend li { display: flex; align-items: center; gap: 0.35rem; }
.swatch { display: inline-block; width: 1.4rem; height: 0.9rem; border: 1px solid #4b5563; }
.line { display: inline-block; width: 1.6rem; height: 0; border-top: 3px solid; }
.hint { color: #4b5563; font-size: 0.85rem; }
"""

SCRIPT = """
(function () {
  "use strict";
  var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
  var last = frames.length - 1;
  var previous = document.getElementById("previous");
  var next = document.getElementById("next");
  var play = document.getElementById("play");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var current = 0;
  var timer = null;

  function show(step) {
    step = Math.max(0, Math.min(last, step));
    frames[current].hidden = true;
    frames[step].hidden = false;
    current = step;
    slider.value = String(step);
    counter.textContent = "Step " + step + " / " + last;
    previous.disabled = step === 0;
    next.disabled = step === last;
    if (step === last) { pause(); }
  }
  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\\u25B6 Play";
    play.setAttribute("aria-pressed", "false");
  }
  function start() {
    if (current === last) { show(0); }
    timer = setInterval(function () { show(current + 1); }, 1500);
    play.textContent = "\\u275A\\u275A Pause";
    play.setAttribute("aria-pressed", "true");
  }

  previous.addEventListener("click", function () { pause(); show(current - 1); });
  next.addEventListener("click", function () { pause(); show(current + 1); });
  play.addEventListener("click", function () {
    if (timer === null) { start(); } else { pause(); }
  });
  slider.addEventListener("input", function () { pause(); show(Number(slider.value)); });
  document.addEventListener("keydown", function (event) {
    if (event.target === slider || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "ArrowRight") { pause(); show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { pause(); show(current - 1); event.preventDefault(); }
  });
  play.disabled = last === 0;
  show(0);
}());
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$policy">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
<header><h1>$title</h1></header>
<main>
<div class="controls">
<button id="previous" type="button">&#9664; Previous</button>
<button id="play" type="button" aria-pressed="false">&#9654; Play</button>
<button id="next" type="button">Next &#9654;</button>
<input id="slider" type="range" min="0" max="$last" value="0" step="1" aria-label="step">
<span id="counter" aria-live="polite">Step 0 / $last</span>
</div>
<p class="hint">Keys: &#8592; and &#8594; step back and forward.</p>
$frames
$legend
</main>
<script>$script</script>
</body>
</html>
"""
)


def content_security_policy(script: str) -> str:
    """Allow no request of any kind, inline styles, and exactly ``script`` (by its hash)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
