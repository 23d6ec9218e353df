"""What the load test needs in the database besides ``bench.generate_data``'s population, and its partner users.

    python -m bench.load.population --users 200 --out users.json     (run by ``bench.load.run``, inside the stack)

- Learning and portal content: ``bench.portal_latency.ensure_portal_content`` (bulletins, programs, portal links,
  60 courses of 12 lessons), plus three quizzes (a bank of 10 single-choice questions each, 5 drawn per attempt,
  pass mark 100 %, unlimited attempts) as the courses' final quizzes.
- The population's one sample file scanned by the real ClamAV daemon (production serves only clean files).
- The search index rebuilt (the generator bulk-inserts, which indexes nothing).
- The simulated users: active members of active partners, each with its own API token (``api_token_issue``)
  and its own portal session (Django's ``login``, as ``Client.force_login`` makes it), written to a JSON file
  that only the load run reads.
"""

import argparse
import json
import random
import sys
import time


def ensure_quizzes(rng: random.Random) -> str:
    """Three quizzes, each the final quiz of a third of the courses (bulk inserts, like the generator's)."""
    from courses.models import Choice, Course, Question, QuestionBank, Quiz

    if Quiz.objects.filter(key__startswith="load-").exists():
        return "quizzes present"
    quizzes = []
    for n in range(3):
        bank = QuestionBank.objects.create(key=f"load-bank-{n}", name=f"Load bank {n}")
        questions = Question.objects.bulk_create(
            Question(bank=bank, kind=Question.Kind.SINGLE, text=f"Load question {n}.{q}?", sort_order=q)
            for q in range(10)
        )
        right = {question.pk: rng.randrange(4) for question in questions}
        Choice.objects.bulk_create(
            Choice(question=question, text=f"Answer {c}", is_correct=c == right[question.pk], sort_order=c)
            for question in questions
            for c in range(4)
        )
        quizzes.append(
            Quiz.objects.create(
                key=f"load-quiz-{n}", title=f"Load quiz {n}", bank=bank, questions_per_attempt=5, pass_mark=100
            )
        )
    for course in Course.objects.filter(final_quiz=None).only("pk"):
        Course.objects.filter(pk=course.pk).update(final_quiz=quizzes[course.pk % 3])
    return "added 3 quizzes as the courses' final quizzes"


def ensure_sample_file() -> str:
    """The population's one file, stored again if the storage lost it: the stack's S3 server (moto) keeps its
    objects in memory, so a run that reuses the database (``--reuse``) starts with an empty bucket."""
    from django.core.files.base import ContentFile

    from cms.models import Asset
    from cms.storage import private_storage

    name = Asset.objects.exclude(file="").values_list("file", flat=True).first()
    if not name or private_storage().exists(name):
        return "sample file present"
    private_storage().save(name, ContentFile(b"%PDF-1.4\n% benchmark\n"))
    return f"sample file {name} stored again"


def scan_files() -> str:
    from cms.services.scanning import file_scans_rescan

    return f"virus scans: {file_scans_rescan()}"


def index_filled() -> bool:
    """Whether the search index holds documents. The stack's Elasticsearch starts a new cluster each time, so a
    run that reuses the database (``--reuse``) has no index: searches would all go to the database fallback."""
    from search.client import get_client
    from search.index import alias_name

    client = get_client()
    try:
        return client is not None and client.count(index=alias_name())["count"] > 0
    except Exception:  # no alias yet, or no cluster: either way there is no index to keep
        return False


def reindex() -> str:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("search_reindex", verbosity=0)
    return f"search index rebuilt in {time.monotonic() - started:.0f}s"


def partner_users(count: int, rng: random.Random) -> list[dict]:
    """``count`` partner users, each with a fresh API token and a signed-in portal session."""
    from django.conf import settings
    from django.test import Client

    from partners.models import PartnerMembership
    from partners.services import api_token_issue

    memberships = list(
        PartnerMembership.objects.filter(user__is_active=True, partner__is_active=True)
        .select_related("user")
        .order_by("pk")[: count * 3]
    )
    rng.shuffle(memberships)
    users = []
    for membership in memberships[:count]:
        _token, plaintext = api_token_issue(user=membership.user, name="load test")
        client = Client()
        client.force_login(membership.user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        users.append(
            {
                "username": membership.user.get_username(),
                "token": plaintext,
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
            }
        )
    return users


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--no-reindex", action="store_true", help="Keep the search index when it has documents.")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from bench.portal_latency import ensure_portal_content

    rng = random.Random(args.seed)
    print(ensure_portal_content(rng), flush=True)
    print(ensure_quizzes(rng), flush=True)
    print(ensure_sample_file(), flush=True)
    print(scan_files(), flush=True)
    if not (args.no_reindex and index_filled()):
        print(reindex(), flush=True)
    users = partner_users(args.users, rng)
    if len(users) < args.users:
        print(f"Only {len(users)} partner users in the database; generate the population first.")
        return 2
    with open(args.out, "w") as handle:
        json.dump(users, handle)
    print(f"{len(users)} partner users with their own token and session -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
