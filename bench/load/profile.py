"""Where the web workers' time went: a summary of py-spy's samples (``--format raw``: one line per distinct stack,
``frame;frame;… count``, outermost first), per endpoint and per kind of work.

    python -m bench.load.profile var/load/profile.txt [--view search]

Each sample is given to the endpoint whose view function is on its stack (``VIEW_FILES``), and to one kind of work:
the innermost frame that belongs to a known part (``PARTS``, in order) decides: waiting on PostgreSQL, compiling
ORM queries, rendering templates, serialising… A sample with no view on its stack is the worker idle or between
requests (gunicorn, middleware around no view).
"""

import argparse
import re
import sys
from collections import Counter

# (kind of work, pattern of a frame's file) — the innermost matching frame of a sample decides.
PARTS = (
    ("PostgreSQL (psycopg: round trips, rows)", re.compile(r"psycopg")),
    ("Elasticsearch client (HTTP round trips)", re.compile(r"elasticsearch|urllib3")),
    ("Redis (cache, broker)", re.compile(r"redis|kombu|celery")),
    ("ORM: compiling SQL", re.compile(r"django/db/models/sql/")),
    ("ORM: querysets, model instances", re.compile(r"django/db/")),
    ("templates", re.compile(r"django/template/|jinja2")),
    ("API schemas (ninja, pydantic)", re.compile(r"ninja/|pydantic")),
    ("Wagtail", re.compile(r"wagtail/|modelcluster|taggit")),
    ("JSON", re.compile(r"json/|orjson")),
    ("auth, sessions, allauth, axes", re.compile(r"allauth|axes/|django/contrib/(auth|sessions)")),
    ("Django (middleware, URLs, responses)", re.compile(r"django/")),
    ("gunicorn (sockets, HTTP parsing)", re.compile(r"gunicorn/")),
    (
        "the hub's own code",
        re.compile(r"^(accounts|certifications|cms|core|courses|elearning|home|lrs|partners|search)/"),
    ),
)
# A frame in one of these files whose function is a route or a page is the endpoint of its sample.
VIEW_FILES = re.compile(r"^(cms|search|courses|home|partners|accounts|certifications)/(api|views|api_\w+)(/\w+)?\.py$")
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def _frame(text: str) -> tuple[str, str]:
    found = FRAME.match(text.strip())
    if not found:
        return text.strip(), ""
    file = found["file"]
    for marker in ("site-packages/", "/work/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
    # The project's files: relative to the checkout, e.g. "search/api.py".
    file = re.sub(r"^(wt/[^/]+|main)/", "", file)
    return found["function"], file


def parse(raw: str):
    """``(frames, count)`` per line; a frame is ``(function, file)``."""
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            yield [_frame(frame) for frame in stack.split(";") if frame], int(count)


# Frames that stand for a route's view although they are not it: the asset list's page is counted and mapped by
# ninja's paginator after the view returned (cms.api.MappedPage).
ALIASES = {"MappedPage.__getitem__": "list_assets", "MappedPage.__len__": "list_assets"}


def view_of(frames) -> str | None:
    for function, file in frames:
        if VIEW_FILES.match(file) and not function.startswith("_"):
            return f"{ALIASES.get(function, function)} ({file})"
    return None


def part_of(frames) -> str:
    for _function, file in reversed(frames):
        for name, pattern in PARTS:
            if pattern.search(file):
                return name
    return "other (Python, C libraries)"


def summary(raw: str, view: str | None = None, top: int = 12) -> str:
    views, parts = Counter(), {}
    total = 0
    for frames, count in parse(raw):
        total += count
        name = view_of(frames) or "(no view: idle, or between requests)"
        views[name] += count
        parts.setdefault(name, Counter())[part_of(frames)] += count
    if not total:
        return "profile: no samples"
    lines = [f"profile: {total} samples of the web workers, by endpoint (share of all samples):"]
    lines += [f"  {count / total:6.1%}  {name}" for name, count in views.most_common(top)]
    chosen = [v for v in views if view and view in v] or [v for v, _ in views.most_common() if not v.startswith("(")]
    for name in chosen[:1] if not view else chosen:
        spent = parts[name]
        lines.append(f"where {name} spends its time ({sum(spent.values())} samples):")
        lines += [f"  {count / sum(spent.values()):6.1%}  {part}" for part, count in spent.most_common()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--view", help="Break down this endpoint's view (a part of its name, e.g. 'search').")
    args = parser.parse_args(argv)
    with open(args.path) as handle:
        print(summary(handle.read(), view=args.view))
    return 0


if __name__ == "__main__":
    sys.exit(main())
