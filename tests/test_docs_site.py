"""The documentation site as a reader sees it (issue 27): built with mkdocs, every page
opened at 1280 px in headless Chromium (Debian's package; .ci/run installs it), its math
typeset by the KaTeX served with the site, and no code block, table or formula wider than
its column. Skipped, saying why, without mkdocs (the docs extra) or Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium: apt-get install chromium"),
    pytest.mark.skipif(
        shutil.which("mkdocs") is None and not (Path(sys.executable).parent / "mkdocs").exists(),
        reason="needs mkdocs: pip install -e '.[docs]'",
    ),
]

# A page of the site measured inside a 1280-px frame: what KaTeX typeset, what is still raw
# LaTeX, and every code block, table or display formula that scrolls sideways.
PROBE = r"""<!doctype html><html><body><pre id="result">pending</pre>
<iframe id="page" style="width:1280px;height:1000px;border:0"></iframe>
<script>
const frame = document.getElementById("page");
const pages = new URLSearchParams(location.search).get("pages").split(",");
const results = {};
function next() {
  if (!pages.length) {
    document.getElementById("result").textContent = JSON.stringify(results);
    return;
  }
  const page = pages.shift();
  frame.onload = () => setTimeout(() => {
    const doc = frame.contentDocument;
    const content = doc.querySelector(".md-content") || doc.body;
    const wide = [];
    for (const el of content.querySelectorAll("pre, table, .katex-display")) {
      if (el.scrollWidth > el.clientWidth + 1) wide.push(el.textContent.trim().slice(0, 60));
    }
    results[page] = {
      marked: content.querySelectorAll(".arithmatex").length,
      typeset: content.querySelectorAll(".arithmatex .katex").length,
      raw: (content.innerText.match(/\\\(|\\\[|\$\$/g) || []).length,
      page_wider_than_window: doc.documentElement.scrollWidth > doc.documentElement.clientWidth,
      wide: wide,
    };
    next();
  }, 300);
  frame.src = page;
}
next();
</script></body></html>"""

CONTROL = """<!doctype html><html><body><div class="md-content">
<pre style="width:400px;overflow:auto">{}</pre></div></body></html>""".format("x" * 400)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site, served on a free local port; yields (its folder, its URL)."""
    folder = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    (folder / "probe.html").write_text(PROBE)
    (folder / "control.html").write_text(CONTROL)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def measure(url: str, pages: list[str]) -> dict[str, dict]:
    """Each page's measures, from one Chromium run that opens them one after the other."""
    assert CHROMIUM is not None
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100",
         f"--virtual-time-budget={1000 * len(pages)}", "--dump-dom",
         f"{url}/probe.html?pages={','.join(pages)}"],
        capture_output=True, text=True, timeout=300,
    ).stdout  # fmt: skip
    found = re.search(r'<pre id="result">(\{.*?\})</pre>', dom, re.S)
    assert found, f"the probe reported nothing: {dom[:300]}"
    results: dict[str, dict] = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<"))
    return results


def pages(folder: Path) -> list[str]:
    """Every page of the site's navigation, as a path under its root."""
    return sorted(
        str(index.parent.relative_to(folder)).replace(".", "") + "/"
        for index in folder.rglob("index.html")
        if not any(part in ("assets", "search") for part in index.parts)
    )


def test_the_probe_sees_a_block_wider_than_its_column(site):
    _folder, url = site
    assert measure(url, ["control.html"])["control.html"]["wide"]


def test_every_page_is_typeset_and_fits_1280_pixels(site):
    folder, url = site
    seen = [page.lstrip("/") or "./" for page in pages(folder)]
    assert {"./", "update-rules/", "tutorial/", "api/optimizers/"} <= set(seen)
    results = measure(url, seen)
    assert set(results) == set(seen)
    problems = {}
    for page, result in results.items():
        if result["typeset"] != result["marked"] or result["raw"]:
            problems[page] = f"math not typeset: {result}"
        if result["page_wider_than_window"] or result["wide"]:
            problems[page] = f"wider than 1280 px: {result['wide']}"
    assert not problems, problems
    assert sum(result["typeset"] for result in results.values()) >= 8  # (rules, decay)
