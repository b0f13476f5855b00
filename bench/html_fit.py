"""Does report.html fit a browser window? Headless Chromium measures every table at a given width.

    python bench/html_fit.py [REPORT_HTML ...] [--width 1400] [--screenshot PNG]

For each page (default: results/report.html and results/known/report.html) Chromium loads a copy
with a measuring script added, at a window `--width` pixels wide, and prints one line per table
that does not fit: a table wider than the page (outside a scrolling box the page scrolls
sideways; inside one, its last columns are hidden until scrolled), or a cell narrower than its
content (text cut). Exit status 1 when anything does not fit. --screenshot
also saves a picture of the first page's top at that width.

Needs Debian's chromium (`apt-get install chromium`); nothing else beyond the standard library.
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
# Runs after layout: each table's right edge against the page's width and against its box, and
# each cell whose content overflows it (scrollWidth > clientWidth: a word or code cut).
MEASURE = """
<script>
window.addEventListener("load", function () {
  var page = document.documentElement.clientWidth, out = {page: page,
      scroll: document.documentElement.scrollWidth, tables: []};
  document.querySelectorAll("table").forEach(function (t, i) {
    var box = t.parentElement, boxed = box.classList.contains("box");
    var r = t.getBoundingClientRect(), cut = [];
    t.querySelectorAll("td, th").forEach(function (c) {
      if (c.scrollWidth > c.clientWidth + 1) cut.push(c.textContent.slice(0, 60));
    });
    var title = "";
    for (var e = box; e && !title; e = e.previousElementSibling) {
      if (/^H[23]$/.test(e.tagName)) title = e.textContent;
    }
    out.tables.push({index: i, title: title, right: Math.round(r.right), width: Math.round(r.width),
                     boxed: boxed, box_right: Math.round(box.getBoundingClientRect().right),
                     visible: r.width > 0, cut: cut.slice(0, 5)});
  });
  var pre = document.createElement("pre");
  pre.id = "fit-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("html_fit: no chromium on PATH (apt-get install chromium)")
    return exe


def measure(page: Path, width: int) -> dict:
    """Chromium's measurements of one page at `width` pixels."""
    html = page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>", 1)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        copy.write_text(html, encoding="utf-8")
        proc = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp}/profile",
                               f"--window-size={width},900", "--virtual-time-budget=5000",
                               "--dump-dom", copy.as_uri()], capture_output=True, text=True,
                              timeout=180)
    found = re.search(r'<pre id="fit-result">(.*?)</pre>', proc.stdout, re.S)
    if not found:
        sys.exit(f"html_fit: chromium gave no measurement for {page}: {proc.stderr[-500:]}")
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))


def problems(result: dict) -> list[str]:
    """What does not fit, one line each."""
    out = []
    if result["scroll"] > result["page"]:
        out.append(f"the page scrolls sideways: {result['scroll']} px content in {result['page']} px")
    for t in result["tables"]:
        if not t["visible"]:
            continue  # folded inside <details>
        name = f"table {t['index']} ({t['title'] or 'untitled'})"
        if t["right"] > result["page"] and not t["boxed"]:
            out.append(f"{name}: {t['width']} px wide, ends at {t['right']} px, no scrolling box")
        elif t["right"] > t["box_right"]:
            out.append(f"{name}: {t['width']} px wide, scrolls inside its box: the columns past "
                       f"{t['box_right']} px are not shown")
        for text in t["cut"]:
            out.append(f"{name}: a cell's content is cut: {text!r}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path,
                        default=[ROOT / "results" / "report.html",
                                 ROOT / "results" / "known" / "report.html"])
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args(argv)
    failed = False
    for page in args.pages:
        result = measure(page, args.width)
        lines = problems(result)
        shown = [t for t in result["tables"] if t["visible"]]
        print(f"{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}: {len(shown)} tables "
              f"at {args.width} px: " + ("every column whole" if not lines else f"{len(lines)} problems"))
        for line in lines:
            print(f"  {line}")
        failed |= bool(lines)
    if args.screenshot:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp}", f"--window-size={args.width},1600",
                            f"--screenshot={args.screenshot.resolve()}", args.pages[0].resolve().as_uri()],
                           capture_output=True, timeout=180, check=True)
        print(f"wrote {args.screenshot}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
