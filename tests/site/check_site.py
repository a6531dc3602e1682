"""Check the website that ``make site`` built into docs/, as a reader's browser shows it.

Run by ``make site-test`` (after ``make site``)::

    .venv/bin/python tests/site/check_site.py [--docs docs] [--shots docs/screenshots]

It fails (exit status 1, with a list of what is wrong) when:

* a local link or image of any page of the site is broken: every ``href`` and ``src``
  of every HTML page is resolved against the page and must name an existing file (and,
  for ``page.html#id``, an element with that id); a ``file://`` address is an error too
  (it points into the builder's own file system);
* a schedule's help page (``reference/schedule_*.html``) does not show its plot, or an
  example plot is blank;
* headless Chromium, rendering the home page, the reference index, a schedule's page
  and two articles, logs a JavaScript error (an uncaught exception, a script blocked, a
  local file that did not load) or takes a screenshot that is blank (one colour covering
  nearly all of it).

Before it judges the site it shows that it can see such failures: a page that throws
and a blank page must be caught, or the check fails as blind.

The screenshots (PNG, 1280 x 1600) stay in ``--shots`` for a person to look at. Chromium
runs with every host name unresolvable, so the check gives the same answer with and
without a network: the libraries pkgdown loads from CDNs are missing, as they are for a
reader without a network, and the page must still work (``pkgdown/extra.js``).
"""

from __future__ import annotations

import argparse
import html.parser
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

#: The pages rendered in the browser, relative to docs/.
PAGES = [
    "index.html",
    "reference/index.html",
    "reference/schedule_cosine.html",
    "articles/getting-started.html",
    "articles/python-api.html",
]

#: Console lines that are JavaScript errors (Chromium logs console messages as
#: ``[...:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)``).
JS_ERROR = re.compile(
    r"Uncaught|jQuery\.Deferred exception|blocked by CORS|Refused to|"
    r"Failed to load resource.*source: file://"
)

#: A screenshot or a plot is blank when one colour covers more than this share of it.
BLANK_SHARE = 0.995


class _Refs(html.parser.HTMLParser):
    """Collects the local references and the element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.ids.add(value)
            if name in ("href", "src") and tag in ("a", "link", "img", "script", "iframe",
                                                   "source", "area"):
                self.refs.append((tag, value))
                if tag == "img" and name == "src":
                    self.images.append(value)


def parse(page: Path) -> _Refs:
    """The references and ids of ``page``.

    Args:
        page: an HTML file.

    Returns:
        The parser, with ``refs``, ``ids`` and ``images`` filled.
    """
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def blank_share(png: Path) -> float:
    """The share of the image's pixels that have its most common colour.

    A transparent image (R's plots on the reference pages are) is seen on a white page,
    as the reader sees it.

    Args:
        png: an image file.

    Returns:
        A number in (0, 1]: 1 for an image of one colour.
    """
    with Image.open(png) as img:
        rgba = img.convert("RGBA")
        rgb = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
        counts = rgb.getcolors(maxcolors=rgb.width * rgb.height)
    assert counts is not None
    return max(n for n, _ in counts) / (rgb.width * rgb.height)


def check_links(docs: Path) -> list[str]:
    """Every local ``href``/``src`` of every page of ``docs`` that names no file or id.

    Args:
        docs: the site's folder.

    Returns:
        One line per broken reference: the page, the tag and the address.
    """
    pages = sorted(p for p in docs.rglob("*.html") if "screenshots" not in p.parts)
    parsed = {p.resolve(): parse(p) for p in pages}
    problems = []
    for page, refs in parsed.items():
        for tag, ref in refs.refs:
            url = urlsplit(ref)
            where = f"{page.relative_to(docs.resolve())}: <{tag}> {ref}"
            if url.scheme == "file":
                problems.append(f"{where} (a file:// address: the builder's file system)")
                continue
            if url.scheme or ref.startswith("//"):
                continue  # http(s), mailto, data, javascript: not local
            if not url.path:
                target = page
            else:
                target = (page.parent / unquote(url.path)).resolve()
                if url.path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where} (no such file)")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{where} (no element with id {url.fragment!r})")
    return problems


def check_schedule_plots(docs: Path) -> list[str]:
    """Each schedule's help page shows at least one example plot, and none is blank.

    Args:
        docs: the site's folder.

    Returns:
        One line per page without a plot or with a blank plot.
    """
    problems = []
    pages = sorted((docs / "reference").glob("schedule_*.html"))
    if not pages:
        return [f"no schedule pages in {docs / 'reference'}"]
    for page in pages:
        images = [page.parent / unquote(urlsplit(src).path) for src in parse(page).images
                  if not urlsplit(src).scheme and src.endswith(".png")]
        images = [img for img in images if img.is_file() and "figures" not in img.parts]
        if not images:
            problems.append(f"reference/{page.name}: no example plot")
        for img in images:
            share = blank_share(img)
            if share > BLANK_SHARE:
                problems.append(f"reference/{page.name}: the plot {img.name} is blank "
                                f"({share:.1%} one colour)")
    return problems


def find_chromium() -> str:
    """The Chromium executable (Debian's ``chromium``; ``make site-test`` installs it).

    Returns:
        Its path.

    Raises:
        SystemExit: when there is none.
    """
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("check_site: no Chromium found; `make site-test` installs Debian's "
                     "chromium (apt-get install chromium)")


def render(chromium: str, page: Path, png: Path, profile: Path) -> list[str]:
    """Render ``page`` in headless Chromium into ``png``; its JavaScript errors.

    Args:
        chromium: the executable.
        page: the HTML file.
        png: where the screenshot goes.
        profile: a scratch user-data directory.

    Returns:
        The console lines that are JavaScript errors (empty when none).
    """
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
           "--window-size=1280,1600", f"--screenshot={png}", page.resolve().as_uri()]
    if png.exists():
        png.unlink()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    log = out.stdout + out.stderr
    if not png.is_file():
        return [f"no screenshot (Chromium exit status {out.returncode}): {log[-2000:]}"]
    return [line.strip() for line in log.splitlines() if ":CONSOLE" in line and
            JS_ERROR.search(line)]


def self_test(chromium: str, tmp: Path) -> list[str]:
    """Show that a JavaScript error and a blank page are caught.

    Args:
        chromium: the executable.
        tmp: a scratch directory.

    Returns:
        What the check failed to see (empty when it sees both).
    """
    throwing = tmp / "throws.html"
    throwing.write_text("<html><body><h1>A page whose script fails</h1>"
                        "<script>undefinedFunction();</script></body></html>")
    blank = tmp / "blank.html"
    blank.write_text("<html><body></body></html>")
    problems = []
    if not render(chromium, throwing, tmp / "throws.png", tmp / "profile"):
        problems.append("self-test: a page that throws left no error in the console log")
    render(chromium, blank, tmp / "blank.png", tmp / "profile")
    if not (tmp / "blank.png").is_file() or blank_share(tmp / "blank.png") <= BLANK_SHARE:
        problems.append("self-test: a blank page was not seen as blank")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run every check; print what is wrong and where the screenshots are.

    Args:
        argv: the command-line arguments (``sys.argv[1:]`` when ``None``).

    Returns:
        The exit status: 0 when the site passes, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--shots", type=Path, default=None,
                        help="where the screenshots go (default: DOCS/screenshots)")
    args = parser.parse_args(argv)
    docs: Path = args.docs
    shots: Path = args.shots or docs / "screenshots"
    if not (docs / "index.html").is_file():
        print(f"check_site: {docs / 'index.html'} not found; build the site first "
              "(make site)", file=sys.stderr)
        return 1
    problems = check_links(docs) + check_schedule_plots(docs)
    chromium = find_chromium()
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        problems += self_test(chromium, tmp)
        for page in PAGES:
            png = shots / (page.replace("/", "_").removesuffix(".html") + ".png")
            if not (docs / page).is_file():
                problems.append(f"{page}: no such page")
                continue
            problems += [f"{page}: JavaScript error: {e}"
                         for e in render(chromium, docs / page, png, tmp / "profile")]
            if png.is_file():
                share = blank_share(png)
                if share > BLANK_SHARE:
                    problems.append(f"{page}: the screenshot is blank ({share:.1%} one colour)")
            print(f"screenshot: {png}")
    n_pages = sum(1 for p in docs.rglob("*.html") if "screenshots" not in p.parts)
    if problems:
        print(f"check_site: {len(problems)} problem(s) in {docs}:", file=sys.stderr)
        for p in problems:
            print(f"  * {p}", file=sys.stderr)
        return 1
    print(f"check_site: {n_pages} pages, their links and images, and {len(PAGES)} pages in "
          f"headless Chromium: no problem; the screenshots are in {shots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
