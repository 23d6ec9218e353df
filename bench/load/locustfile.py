"""The simulated partner users of ``make load`` (Locust, headless; started by ``bench.load.run``).

Each Locust user is one partner user of the population with its own API token and its own portal session
(``LOAD_USERS_FILE``, written by ``bench.load.population``), its own client address, and its own web process
(``LOAD_HOSTS``, round-robin: "two of everything" spreads users over two gunicorn masters). It browses as a
partner does: the ids it opens come from what the hub answered it (a list's assets, the catalogue's courses).
Every answer is checked (status and shape); anything else is a failure in the report.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, events, task

from bench.load import mix

_USERS = json.loads(Path(os.environ["LOAD_USERS_FILE"]).read_text()) if os.environ.get("LOAD_USERS_FILE") else []
_HOSTS = [h.strip().rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",") if h.strip()]
_NEXT = itertools.count()


@events.init_command_line_parser.add_listener
def _check(parser, **_kwargs):
    if not _USERS or not _HOSTS:
        raise SystemExit("Set LOAD_USERS_FILE and LOAD_HOSTS (bench.load.run does): see bench/load/run.py.")


class PartnerUser(FastHttpUser):
    wait_time = between(*mix.THINK_SECONDS)
    host = _HOSTS[0] if _HOSTS else "http://127.0.0.1"
    # Many users, one process: one connection per user is what partners' browsers and integrations open.
    concurrency = 1
    insecure = True

    def on_start(self):
        index = next(_NEXT)
        me = _USERS[index % len(_USERS)]
        self.rng = random.Random(index)
        self.base = _HOSTS[index % len(_HOSTS)]
        # Behind the TLS proxy production has: it says https and appends the partner's address.
        proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": mix.address_of(index)}
        self.api = {**proxy, "Authorization": f"Bearer {me['token']}", "Accept": "application/json"}
        self.portal = {**proxy, "Cookie": me["session_cookie"], "Accept": "text/html"}
        # No redirect is followed behind the user's back: a portal page sending to the sign-in is a failure, and
        # the download's signed URL is fetched as a request of its own. (Locust 2.41's allow_redirects=False
        # misspells geventhttpclient's attribute; this is the attribute it means, set once.)
        self.client.client.redirect_response_codes = frozenset()
        self.asset_ids, self.course_ids, self.lesson_ids = [], [], []
        self.course, self.quiz_id, self.quiz_done = None, None, False
        self.asset_list()
        self.courses()
        self.enroll()

    @task
    def act(self):
        getattr(self, mix.pick_action(self.rng))()

    # --- helpers ---------------------------------------------------------------------------------------------

    def _get(self, path, name, headers, expect=(200,), **kwargs):
        """GET ``path`` as ``name``; the answer when its status is expected (a failure in the report otherwise)."""
        with self.client.get(
            self.base + path, name=mix.NAMES[name], headers=headers, catch_response=True, **kwargs
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return None
            response.success()
            return response

    def _json(self, path, name, expect=(200,), **kwargs):
        response = self._get(path, name, self.api, expect=expect, **kwargs)
        return response.json() if response is not None and response.status_code == 200 else response

    def _post(self, path, name, payload, expect):
        with self.client.post(
            self.base + path, name=mix.NAMES[name], headers=self.api, json=payload, catch_response=True
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return None
            response.success()
            return response

    def _asset(self):
        return self.rng.choice(self.asset_ids) if self.asset_ids else None

    # --- the actions (mix.WEIGHTS) ---------------------------------------------------------------------------

    def feed(self):
        self._json("/api/v1/feed", "feed")

    def asset_list(self):
        page = self._json(f"/api/v1/assets?page_size=20&{self.rng.choice(mix.ASSET_FILTERS)}", "asset_list")
        if page:
            seen = [item["id"] for item in page["results"]]
            self.asset_ids = (seen + self.asset_ids)[:100]

    def asset_detail(self):
        if (asset := self._asset()) is not None:
            self._json(f"/api/v1/assets/{asset}", "asset_detail")

    def search(self):
        words = self.rng.choice(mix.SEARCH_WORDS)
        self._json(f"/api/v1/search?q={words.replace(' ', '+')}&page_size=20", "search")

    def suggest(self):
        self._json(f"/api/v1/search/suggest?q={self.rng.choice(mix.SUGGEST_PREFIXES).replace(' ', '+')}", "suggest")

    def download(self):
        if (asset := self._asset()) is None:
            return
        answer = self._get(f"/api/v1/assets/{asset}/download", "download", self.api, expect=(302,))
        if answer is not None:
            location = answer.headers.get("Location") or answer.headers.get("location")
            with self.client.get(location, name=mix.NAMES["download_file"], catch_response=True) as file:
                if file.status_code != 200 or not file.content:
                    file.failure(f"{file.status_code}: the signed URL gave no file")

    def courses(self):
        page = self._json("/api/v1/courses", "courses")
        if page:
            self.course_ids = [course["id"] for course in page["results"]]

    def course_detail(self, course_id=None):
        course_id = course_id or (self.rng.choice(self.course_ids) if self.course_ids else None)
        if course_id is None:
            return None
        return self._json(f"/api/v1/courses/{course_id}", "course_detail")

    def enroll(self):
        """Enrol in one course with a quiz (on start): the course whose lessons and quiz this user takes."""
        for course_id in self.course_ids[:5]:
            course = self.course_detail(course_id)
            if course and course.get("final_quiz"):
                if self._post(f"/api/v1/courses/{course_id}/enroll", "enroll", None, expect=(200, 201)):
                    self.course, self.quiz_id = course_id, course["final_quiz"]["id"]
                    # Lessons are opened in the course enrolled in (any other answers 409 "Enrol first").
                    self.lesson_ids = [lesson["id"] for module in course["modules"] for lesson in module["lessons"]]
                return

    def lesson(self):
        if self.lesson_ids:
            self._json(f"/api/v1/lessons/{self.rng.choice(self.lesson_ids)}", "lesson")

    def quiz(self):
        """Start an attempt at the course's quiz and submit an answer per question (chosen at random: a pass at
        100 % is rare, and a passed quiz answers 409 to a new start, which ends this user's quizzing)."""
        if self.quiz_id is None or self.quiz_done:
            return
        started = self._post(
            f"/api/v1/quizzes/{self.quiz_id}/attempts?course_id={self.course}",
            "quiz_start",
            None,
            expect=(200, 201, 409),
        )
        if started is None or started.status_code == 409:
            self.quiz_done = started is not None
            return
        attempt = started.json()
        answers = {str(q["id"]): [self.rng.choice(q["choices"])["id"]] for q in attempt["questions"]}
        graded = self._post(f"/api/v1/attempts/{attempt['id']}/submit", "quiz_submit", {"answers": answers}, (200,))
        if graded is not None and graded.json().get("passed"):
            self.quiz_done = True

    def portal_home(self):
        self._get("/", "portal_home", self.portal)

    def portal_library(self):
        self._get(f"/library/?q={self.rng.choice(mix.SEARCH_WORDS).replace(' ', '+')}", "portal_library", self.portal)

    def portal_asset(self):
        if (asset := self._asset()) is not None:
            self._get(f"/library/{asset}/", "portal_asset", self.portal)

    def portal_learning(self):
        self._get("/learning/", "portal_learning", self.portal)

    def portal_course(self):
        if self.course_ids:
            # 302: a learner enrolled in the course is sent on to where they left off (the portal's resume).
            self._get(
                f"/learning/{self.rng.choice(self.course_ids)}/", "portal_course", self.portal, expect=(200, 302)
            )
