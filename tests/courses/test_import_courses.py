"""The importer's course sections: question banks, quizzes, courses. Idempotent, validated whole, all or nothing."""

import copy
import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from cms.factories import AssetFactory
from courses.factories import QuestionBankFactory, QuestionFactory, QuizFactory, course_with
from courses.library import courses_using_assets
from courses.models import (
    Choice,
    Course,
    CourseModule,
    Enrollment,
    Lesson,
    LessonCompletion,
    Question,
    QuestionBank,
    Quiz,
)
from courses.services.enrollment import course_enroll, lesson_complete
from partners.factories import PartnerFactory, RoleFactory, StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


def make_manifest() -> dict:
    return {
        "question_banks": [
            {
                "key": "sdwan-basics",
                "name": "SD-WAN basics",
                "description": "Branches, links and steering.",
                "questions": [
                    {
                        "kind": "single",
                        "text": "What replaces an MPLS circuit?",
                        "explanation": "Two broadband links and SD-WAN.",
                        "choices": [
                            {"text": "Tape backup", "correct": False},
                            {"text": "SD-WAN", "correct": True},
                            {"text": "A bigger router"},
                        ],
                    },
                    {
                        "kind": "multiple",
                        "text": "Which are underlay links?",
                        "choices": [
                            {"text": "Broadband", "correct": True},
                            {"text": "LTE", "correct": True},
                            {"text": "A stapler"},
                        ],
                    },
                    {
                        "kind": "true_false",
                        "text": "Failover between links is automatic.",
                        "choices": [{"text": "True", "correct": True}, {"text": "False"}],
                    },
                    {
                        "kind": "single",
                        "text": "Who signs off the business case?",
                        "choices": [{"text": "The telecom budget owner", "correct": True}, {"text": "HR"}],
                    },
                ],
            }
        ],
        "quizzes": [
            {
                "key": "sdwan-m1",
                "title": "Finding opportunities",
                "bank": "sdwan-basics",
                "questions_per_attempt": 3,
                "pass_mark": 75,
                "attempt_limit": 3,
                "time_limit_minutes": 15,
                "shuffle_questions": False,
                "shuffle_choices": False,
                "late_submission": "grade",
                "answers_shown": "never",
            },
            {
                "key": "sdwan-final",
                "title": "Selling SD-WAN: final quiz",
                "bank": "sdwan-basics",
                "answers_shown": "never",  # like the module quiz drawing from the same bank
            },
        ],
        "courses": [
            {
                "key": "fundamentals",
                "title": "Product fundamentals",
                "state": "live",
                "modules": [
                    {
                        "title": "The portfolio",
                        "lessons": [
                            {"title": "Six products", "body": [{"type": "text", "html": "<p>Six of them.</p>"}]},
                            {"title": "Licensing", "body": [{"type": "text", "html": "<p>Subscriptions.</p>"}]},
                        ],
                    }
                ],
            },
            {
                "key": "sdwan-selling",
                "title": "Selling SD-WAN",
                "summary": "Find, build the case, close.",
                "state": "live",
                "level": "intermediate",
                "estimated_minutes": 90,
                "owner": "trainer@vendor.test",
                "review_by": "2099-01-01",
                "audience": {"min_tier": "silver", "roles": ["sales"]},
                "prerequisites": ["fundamentals"],
                "final_quiz": "sdwan-final",
                "modules": [
                    {
                        "title": "Find the opportunity",
                        "summary": "Triggers and discovery.",
                        "quiz": "sdwan-m1",
                        "lessons": [
                            {
                                "title": "The branch problem",
                                "estimated_minutes": 8,
                                "body": [
                                    {"type": "text", "html": "<p>Branches outgrow MPLS.</p><script>alert(1)</script>"},
                                    {
                                        "type": "callout",
                                        "kind": "tip",
                                        "html": '<p onclick="x()">Ask when it renews.</p>',
                                    },
                                    {"type": "asset", "asset": "sdwan-battlecard", "note": "Print it."},
                                ],
                            },
                            {
                                "title": "Discovery questions",
                                "estimated_minutes": 6,
                                "body": [{"type": "video", "url": "https://www.youtube.com/watch?v=abc123"}],
                            },
                        ],
                    },
                    {
                        "title": "Pricing",
                        "lessons": [
                            {"title": "Licences", "body": [{"type": "asset", "asset": "price-list"}]},
                            {"title": "Discounts"},
                        ],
                    },
                ],
            },
        ],
    }


@pytest.fixture
def stored():
    """What the manifest refers to and does not bring: an owner, a tier, a role and two library assets."""
    StaffUserFactory(email="trainer@vendor.test")
    TierFactory(key="silver", name="Silver", rank=20)
    RoleFactory(key="sales", name="Sales")
    return {
        "battlecard": AssetFactory(key="sdwan-battlecard", title="SD-WAN battlecard"),
        "price_list": AssetFactory(key="price-list", title="Price list"),
    }


def run(tmp_path, data, *args) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """Every row the course sections write, with ids and update times: equal means nothing was written."""
    return {
        "banks": list(QuestionBank.objects.order_by("pk").values_list("pk", "key", "name", "description")),
        "questions": list(Question.objects.order_by("pk").values_list("pk", "bank_id", "kind", "text", "sort_order")),
        "choices": list(Choice.objects.order_by("pk").values_list("pk", "question_id", "text", "is_correct")),
        "quizzes": list(Quiz.objects.order_by("pk").values()),
        "courses": list(Course.objects.order_by("pk").values_list("pk", "key", "live", "updated_at", "final_quiz")),
        "revisions": sorted(rev.pk for course in Course.objects.all() for rev in course.revisions.all()),
        "modules": list(CourseModule.objects.order_by("pk").values_list("pk", "course_id", "title", "sort_order")),
        "lessons": [
            (lesson.pk, lesson.module_id, lesson.title, lesson.sort_order, list(lesson.body.raw_data))
            for lesson in Lesson.objects.order_by("pk")
        ],
    }


def structure(course: Course) -> list:
    return [
        (module.title, module.quiz.key if module.quiz else None, [lesson.title for lesson in module.lessons.all()])
        for module in course.modules.all()
    ]


def test_import_creates_banks_quizzes_and_courses(tmp_path, stored):
    out = run(tmp_path, make_manifest())
    assert "question_banks: 1 created, 0 updated, 0 unchanged" in out
    assert "quizzes: 2 created, 0 updated, 0 unchanged" in out
    assert "courses: 2 created, 0 updated, 0 unchanged" in out

    bank = QuestionBank.objects.get(key="sdwan-basics")
    assert (bank.name, bank.description) == ("SD-WAN basics", "Branches, links and steering.")
    questions = list(bank.questions.all())
    assert [(q.kind, q.sort_order) for q in questions] == [
        ("single", 0),
        ("multiple", 1),
        ("true_false", 2),
        ("single", 3),
    ]
    assert questions[0].explanation == "Two broadband links and SD-WAN."
    assert [(c.text, c.is_correct) for c in questions[0].choices.all()] == [
        ("Tape backup", False),
        ("SD-WAN", True),
        ("A bigger router", False),
    ]
    assert [c.is_correct for c in questions[1].choices.all()] == [True, True, False]

    quiz = Quiz.objects.get(key="sdwan-m1")
    assert quiz.bank == bank
    assert (quiz.title, quiz.questions_per_attempt, quiz.pass_mark, quiz.attempt_limit, quiz.time_limit_minutes) == (
        "Finding opportunities",
        3,
        75,
        3,
        15,
    )
    assert (quiz.shuffle_questions, quiz.shuffle_choices, quiz.late_submission, quiz.answers_shown) == (
        False,
        False,
        "grade",
        "never",
    )
    final = Quiz.objects.get(key="sdwan-final")
    assert (final.pass_mark, final.attempt_limit, final.questions_per_attempt, final.shuffle_questions) == (
        70,
        None,
        None,
        True,
    )
    assert final.answers_shown == "never"

    course = Course.objects.get(key="sdwan-selling")
    assert course.live and course.is_live_for_partners()
    assert (course.level, course.estimated_minutes, course.summary) == (
        "intermediate",
        90,
        "Find, build the case, close.",
    )
    assert course.owner.email == "trainer@vendor.test" and str(course.review_by) == "2099-01-01"
    assert course.min_tier.key == "silver" and [r.key for r in course.roles.all()] == ["sales"]
    assert [c.key for c in course.prerequisites.all()] == ["fundamentals"]
    assert course.final_quiz == final
    assert structure(course) == [
        ("Find the opportunity", "sdwan-m1", ["The branch problem", "Discovery questions"]),
        ("Pricing", None, ["Licences", "Discounts"]),
    ]
    assert [m.sort_order for m in course.modules.all()] == [0, 1]
    assert [lesson.sort_order for lesson in course.modules.all()[0].lessons.all()] == [0, 1]
    first = course.modules.all()[0].lessons.all()[0]
    assert first.estimated_minutes == 8
    assert [block.block_type for block in first.body] == ["text", "callout", "asset"]
    assert structure(Course.objects.get(key="fundamentals")) == [
        ("The portfolio", None, ["Six products", "Licensing"])
    ]
    assert course.revisions.count() == 1 and course.live_revision_id


def test_lesson_bodies_are_cleaned_and_asset_blocks_use_the_right_asset(tmp_path, stored):
    run(tmp_path, make_manifest())
    course = Course.objects.get(key="sdwan-selling")
    first_module, pricing = course.modules.all()
    text, callout, asset = first_module.lessons.all()[0].body
    assert text.value.source == "<p>Branches outgrow MPLS.</p>alert(1)"  # no script reaches partners
    assert callout.value["kind"] == "tip" and callout.value["text"].source == "<p>Ask when it renews.</p>"
    assert asset.value["asset"] == stored["battlecard"] and asset.value["note"] == "Print it."
    video = first_module.lessons.all()[1].body[0]
    assert video.block_type == "video" and video.value.url == "https://www.youtube.com/watch?v=abc123"
    assert pricing.lessons.all()[0].body[0].value["asset"] == stored["price_list"]
    # The library follows courses through the reference index: the asset blocks are found.
    assert courses_using_assets(asset_ids=[stored["battlecard"].pk, stored["price_list"].pk]) == {
        course.pk: {stored["battlecard"].pk, stored["price_list"].pk}
    }


def test_reimporting_an_unchanged_manifest_changes_nothing(tmp_path, stored):
    run(tmp_path, make_manifest())
    before = snapshot()
    out = run(tmp_path, make_manifest())
    assert snapshot() == before
    assert "question_banks: 0 created, 0 updated, 1 unchanged" in out
    assert "quizzes: 0 created, 0 updated, 2 unchanged" in out
    assert "courses: 0 created, 0 updated, 2 unchanged" in out


def test_reimport_updates_in_place_and_learners_keep_their_progress(tmp_path, stored):
    run(tmp_path, make_manifest())
    fundamentals = Course.objects.get(key="fundamentals")
    six_products = Lesson.objects.get(title="Six products")
    learner = partner_user(partner=PartnerFactory(tier=TierFactory(key="gold", rank=30)))
    course_enroll(user=learner, course=fundamentals)
    lesson_complete(user=learner, lesson=six_products)
    question_ids = dict(Question.objects.values_list("text", "pk"))
    branch_problem = Lesson.objects.get(title="The branch problem")

    changed = make_manifest()
    bank = changed["question_banks"][0]
    bank["questions"][0]["explanation"] = "Broadband links, steered by SD-WAN."
    bank["questions"].reverse()
    bank["questions"].append(
        {
            "kind": "true_false",
            "text": "LTE can back up broadband.",
            "choices": [{"text": "True", "correct": True}, {"text": "False"}],
        }
    )
    changed["quizzes"][0]["pass_mark"] = 80
    portfolio = changed["courses"][0]["modules"][0]
    portfolio["lessons"][1]["title"] = "Licensing and co-terming"  # renamed: a new lesson
    portfolio["lessons"].reverse()
    portfolio["lessons"].append({"title": "Who buys what"})
    sdwan = changed["courses"][1]
    sdwan["modules"].pop()  # "Pricing" and its lessons go
    sdwan["modules"][0]["lessons"][0]["body"][0]["html"] = "<p>Branches outgrow MPLS fast.</p>"
    sdwan["modules"][0]["lessons"][0]["body"][2]["asset"] = "price-list"
    sdwan["final_quiz"] = None
    sdwan["title"] = "Selling SD-WAN, 2nd edition"

    out = run(tmp_path, changed)
    assert "question_banks: 0 created, 1 updated, 0 unchanged" in out
    assert "quizzes: 0 created, 1 updated, 1 unchanged" in out
    assert "courses: 0 created, 2 updated, 0 unchanged" in out
    assert (QuestionBank.objects.count(), Quiz.objects.count(), Course.objects.count()) == (1, 2, 2)

    questions = list(QuestionBank.objects.get().questions.all())
    assert [q.text for q in questions][:4] == list(reversed(list(question_ids)))
    assert all(question_ids[q.text] == q.pk for q in questions[:4])  # matched by text: same rows
    assert questions[3].explanation == "Broadband links, steered by SD-WAN."
    assert questions[4].kind == "true_false" and [q.sort_order for q in questions] == [0, 1, 2, 3, 4]
    assert Quiz.objects.get(key="sdwan-m1").pass_mark == 80

    fundamentals.refresh_from_db()
    assert structure(fundamentals) == [
        ("The portfolio", None, ["Licensing and co-terming", "Six products", "Who buys what"])
    ]
    assert Lesson.objects.get(title="Six products").pk == six_products.pk
    assert LessonCompletion.objects.filter(user=learner, lesson=six_products).exists()
    assert not Lesson.objects.filter(title="Licensing").exists()
    assert Enrollment.objects.get(user=learner).completed_at is None  # two lessons left to do

    course = Course.objects.get(key="sdwan-selling")
    assert course.title == "Selling SD-WAN, 2nd edition" and course.final_quiz is None and course.live
    assert structure(course) == [("Find the opportunity", "sdwan-m1", ["The branch problem", "Discovery questions"])]
    assert not Lesson.objects.filter(title__in=["Licences", "Discounts"]).exists()
    lesson = Lesson.objects.get(title="The branch problem")
    assert lesson.pk == branch_problem.pk and lesson.body[0].value.source == "<p>Branches outgrow MPLS fast.</p>"
    assert lesson.body[2].value["asset"] == stored["price_list"]
    assert CourseModule.objects.count() == 2
    assert course.revisions.count() == 2
    # The library follows: the battlecard is no longer used, the price list by the new lesson block only.
    assert courses_using_assets(asset_ids=[stored["battlecard"].pk]) == {}
    assert courses_using_assets(asset_ids=[stored["price_list"].pk]) == {course.pk: {stored["price_list"].pk}}

    again = run(tmp_path, changed)
    assert "courses: 0 created, 0 updated, 2 unchanged" in again


def test_state_is_honoured_draft_archived_and_live_again(tmp_path, stored):
    manifest = make_manifest()
    manifest["courses"][0]["state"] = "draft"
    run(tmp_path, manifest)
    course = Course.objects.get(key="fundamentals")
    assert not course.live and course.lifecycle_state == "draft"

    manifest["courses"][0]["state"] = "archived"
    run(tmp_path, manifest)
    course.refresh_from_db()
    assert course.archived_at is not None and not course.live

    manifest["courses"][0]["state"] = "live"
    out = run(tmp_path, manifest)
    course.refresh_from_db()
    assert course.archived_at is None and course.live
    assert "courses: 0 created, 1 updated, 1 unchanged" in out


def assert_rejected(tmp_path, manifest, *fragments) -> str:
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, manifest)
    message = str(excinfo.value)
    assert "nothing was imported" in message
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot() == before
    return message


def _question(m, n):
    return m["question_banks"][0]["questions"][n]


def _lesson(m, course=1, module=0, lesson=0):
    return m["courses"][course]["modules"][module]["lessons"][lesson]


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        # question banks
        (
            lambda m: _question(m, 0)["choices"][0].update(correct=True),
            "question_banks[0] (key 'sdwan-basics'): questions.0.choices: “What replaces an MPLS circuit?”: "
            "mark exactly one choice as correct.",
        ),
        (
            lambda m: _question(m, 3)["choices"][0].update(correct=False),
            "question_banks[0] (key 'sdwan-basics'): questions.3.choices: “Who signs off the business case?”: "
            "mark exactly one choice as correct.",
        ),
        (
            lambda m: _question(m, 2)["choices"].append({"text": "Maybe"}),
            "question_banks[0] (key 'sdwan-basics'): questions.2.choices: A true-or-false question has exactly two "
            "choices (True and False).",
        ),
        (
            lambda m: [c.update(correct=False) for c in _question(m, 1)["choices"]],
            "questions.1.choices: “Which are underlay links?”: mark at least one choice as correct.",
        ),
        (
            lambda m: _question(m, 3)["choices"].pop(),
            "questions.3.choices: A question needs at least two choices.",
        ),
        (
            lambda m: _question(m, 0).update(kind="essay"),
            "question_banks[0] (key 'sdwan-basics'): questions.0.kind: Input should be 'single', 'multiple' or "
            "'true_false'",
        ),
        (
            lambda m: _question(m, 1)["choices"][2].update(text="Broadband"),
            "questions.1.choices: a choice appears twice",
        ),
        (
            lambda m: _question(m, 3).update(text=_question(m, 0)["text"]),
            "questions.3.text: the same question appears twice",
        ),
        (lambda m: m["question_banks"][0].update(questions=[]), "questions: List should have at least 1 item"),
        (lambda m: _question(m, 0).update(points=3), "questions.0.points: Extra inputs are not permitted"),
        # quizzes
        (
            lambda m: m["quizzes"][0].update(bank="sdwan-advanced"),
            "quizzes[0] (key 'sdwan-m1'): bank: unknown question bank 'sdwan-advanced'; known: sdwan-basics",
        ),
        (
            lambda m: m["quizzes"][0].update(questions_per_attempt=5),
            "quizzes[0] (key 'sdwan-m1'): questions_per_attempt: question bank 'sdwan-basics' has only 4 question(s)",
        ),
        (lambda m: m["quizzes"][1].update(pass_mark=101), "quizzes[1] (key 'sdwan-final'): pass_mark:"),
        (lambda m: m["quizzes"][1].update(answers_shown="always"), "quizzes[1] (key 'sdwan-final'): answers_shown:"),
        (
            lambda m: m["quizzes"][1].update(answers_shown="after_pass_or_last"),
            "quizzes[1] (key 'sdwan-final'): bank: question bank 'sdwan-basics' also feeds quiz 'sdwan-m1', never "
            "showing answers: a bank feeds quizzes that never show answers or quizzes that do, never both",
        ),
        # courses: references
        (
            lambda m: m["courses"][1]["modules"][1].update(quiz="pricing-check"),
            "courses[1] (key 'sdwan-selling'): modules.1.quiz: unknown quiz 'pricing-check'; "
            "known: sdwan-final, sdwan-m1",
        ),
        (
            lambda m: m["courses"][1].update(final_quiz="certification"),
            "courses[1] (key 'sdwan-selling'): final_quiz: unknown quiz 'certification'",
        ),
        (
            lambda m: m["courses"][1].update(prerequisites=["advanced-sdwan"]),
            "courses[1] (key 'sdwan-selling'): prerequisites: unknown course 'advanced-sdwan'; known: fundamentals",
        ),
        (
            lambda m: m["courses"][1].update(prerequisites=["sdwan-selling"]),
            "courses[1] (key 'sdwan-selling'): prerequisites: a course cannot require itself",
        ),
        (
            lambda m: m["courses"].reverse(),
            "courses[0] (key 'sdwan-selling'): prerequisites: course 'fundamentals' must come before the courses "
            "that require it",
        ),
        (
            lambda m: _lesson(m)["body"][2].update(asset="old-battlecard"),
            "courses[1] (key 'sdwan-selling'): modules.0.lessons.0.body.2.asset: unknown asset 'old-battlecard'",
        ),
        (
            lambda m: m["courses"][1]["audience"].update(min_tier="golden"),
            "courses[1] (key 'sdwan-selling'): audience.min_tier: unknown tier 'golden'",
        ),
        (
            lambda m: m["courses"][1].update(owner="nobody@vendor.test"),
            "courses[1] (key 'sdwan-selling'): owner: no active staff user with e-mail 'nobody@vendor.test'",
        ),
        # courses: shape
        (
            lambda m: _lesson(m)["body"].append({"type": "quote", "html": "<p>Hi</p>"}),
            "courses[1] (key 'sdwan-selling'): modules.0.lessons.0.body.3: Input tag 'quote' found using 'type' does "
            "not match any of the expected tags: 'text', 'callout', 'asset', 'video'",
        ),
        (
            lambda m: _lesson(m)["body"][1].update(kind="danger"),
            "modules.0.lessons.0.body.1.callout.kind: Input should be 'tip', 'note' or 'warning'",
        ),
        (lambda m: _lesson(m)["body"][1].pop("html"), "modules.0.lessons.0.body.1.callout.html: Field required"),
        (lambda m: _lesson(m, lesson=1)["body"][0].update(url="not a url"), "modules.0.lessons.1.body.0.video.url:"),
        (
            lambda m: _lesson(m)["body"][0].pop("type"),
            "modules.0.lessons.0.body.0: Unable to extract tag using discriminator",
        ),
        (
            lambda m: m["courses"][1]["modules"][1].update(lessons=[]),
            "modules.1.lessons: List should have at least 1 item",
        ),
        (lambda m: m["courses"][1].update(modules=[]), "courses[1] (key 'sdwan-selling'): modules: List should have"),
        (lambda m: _lesson(m).update(estimated_minutes=601), "modules.0.lessons.0.estimated_minutes:"),
        (lambda m: _lesson(m).update(colour="blue"), "modules.0.lessons.0.colour: Extra inputs are not permitted"),
        (lambda m: m["courses"][1].update(level="expert"), "courses[1] (key 'sdwan-selling'): level:"),
        (lambda m: m["courses"][1].update(state="published"), "courses[1] (key 'sdwan-selling'): state:"),
        (
            lambda m: m["courses"].append(copy.deepcopy(m["courses"][0])),
            "courses: key: key 'fundamentals' appears more than once",
        ),
    ],
)
def test_bad_input_is_named_precisely_and_writes_nothing(tmp_path, stored, mutate, fragment):
    bad = make_manifest()
    mutate(bad)
    assert_rejected(tmp_path, bad, fragment)
    assert not QuestionBank.objects.exists() and not Course.objects.exists()


def test_bad_input_in_a_reimport_leaves_the_stored_courses_as_they_were(tmp_path, stored):
    run(tmp_path, make_manifest())
    bad = make_manifest()
    bad["courses"][1]["modules"][0]["lessons"].reverse()  # fine on its own…
    bad["courses"][1]["final_quiz"] = "gone"  # …but this is not
    assert_rejected(tmp_path, bad, "courses[1] (key 'sdwan-selling'): final_quiz: unknown quiz 'gone'")


def test_every_problem_is_listed_at_once(tmp_path, stored):
    bad = make_manifest()
    _question(bad, 2)["choices"].append({"text": "Maybe"})
    bad["quizzes"][1]["bank"] = "nope"
    bad["courses"][1]["prerequisites"] = ["nope"]
    message = assert_rejected(tmp_path, bad)
    assert "The manifest has 3 problem(s)" in message


def test_a_prerequisite_cycle_through_stored_courses_is_refused(tmp_path, stored):
    run(tmp_path, make_manifest())  # sdwan-selling requires fundamentals
    bad = make_manifest()
    bad["courses"][0]["prerequisites"] = ["sdwan-selling"]
    bad["courses"] = [bad["courses"][0]]  # fundamentals alone, requiring the stored sdwan-selling
    assert_rejected(
        tmp_path,
        bad,
        "courses[0] (key 'fundamentals'): prerequisites: "
        "would make a cycle: fundamentals → sdwan-selling → fundamentals",
    )


def test_a_bank_name_taken_by_a_bank_made_in_the_admin_is_refused(tmp_path, stored):
    QuestionFactory(bank=QuestionBankFactory(name="SD-WAN basics"))
    assert_rejected(
        tmp_path,
        make_manifest(),
        "question_banks[0] (key 'sdwan-basics'): name: is the name of a question bank made in the admin already",
    )


def test_stored_banks_and_quizzes_can_be_referred_to(tmp_path, stored):
    run(tmp_path, make_manifest())
    QuizFactory(key="stored-quiz", bank=QuestionBank.objects.get(key="sdwan-basics"), answers_shown="never")
    out = run(
        tmp_path,
        {
            "quizzes": [
                {
                    "key": "another",
                    "title": "Another",
                    "bank": "sdwan-basics",
                    "questions_per_attempt": 4,
                    "answers_shown": "never",
                }
            ],
            "courses": [
                {
                    "key": "advanced",
                    "title": "Advanced SD-WAN",
                    "state": "draft",
                    "prerequisites": ["sdwan-selling"],
                    "final_quiz": "stored-quiz",
                    "modules": [{"title": "Deep dive", "quiz": "another", "lessons": [{"title": "Steering"}]}],
                }
            ],
        },
    )
    assert "quizzes: 1 created" in out and "courses: 1 created" in out
    advanced = Course.objects.get(key="advanced")
    assert advanced.final_quiz.key == "stored-quiz" and not advanced.live
    assert [c.key for c in advanced.prerequisites.all()] == ["sdwan-selling"]


def test_a_quiz_showing_answers_from_a_bank_feeding_a_stored_never_quiz_is_refused(tmp_path, stored):
    run(tmp_path, make_manifest())  # both quizzes of 'sdwan-basics' never show answers
    bad = {"quizzes": [{**make_manifest()["quizzes"][0], "answers_shown": "after_pass_or_last"}]}
    assert_rejected(
        tmp_path,
        bad,
        "quizzes[0] (key 'sdwan-m1'): bank: question bank 'sdwan-basics' also feeds quiz 'sdwan-final', never "
        "showing answers: a bank feeds quizzes that never show answers or quizzes that do, never both",
    )
    assert Quiz.objects.get(key="sdwan-m1").answers_shown == "never"


def test_a_never_quiz_from_a_bank_feeding_stored_quizzes_showing_answers_is_refused(tmp_path, stored):
    manifest = make_manifest()
    for quiz in manifest["quizzes"]:
        quiz["answers_shown"] = "after_pass_or_last"
    run(tmp_path, manifest)
    QuizFactory(title="Practice run", bank=QuestionBank.objects.get(key="sdwan-basics"))  # made in the admin
    bad = {"quizzes": [{**manifest["quizzes"][0], "answers_shown": "never"}]}
    assert_rejected(
        tmp_path,
        bad,
        "quizzes[0] (key 'sdwan-m1'): bank: question bank 'sdwan-basics' also feeds quiz “Practice run”, "
        "quiz 'sdwan-final', showing answers",
    )
    assert Quiz.objects.get(key="sdwan-m1").answers_shown == "after_pass_or_last"


def test_quizzes_may_swap_banks_and_answers_policies_in_one_import(tmp_path, stored):
    """Checked as it will be once imported, whatever the order the quizzes are written in."""
    manifest = make_manifest()
    second = copy.deepcopy(manifest["question_banks"][0])
    second.update(key="sdwan-more", name="More SD-WAN")
    manifest["question_banks"].append(second)
    manifest["quizzes"][1]["bank"] = "sdwan-more"
    manifest["quizzes"][1]["answers_shown"] = "after_pass_or_last"
    run(tmp_path, manifest)  # sdwan-m1: basics, never; sdwan-final: more, shows answers
    manifest["quizzes"][0].update(bank="sdwan-more", answers_shown="after_pass_or_last")
    manifest["quizzes"][1].update(bank="sdwan-basics", answers_shown="never")
    run(tmp_path, manifest)
    assert dict(Quiz.objects.values_list("key", "bank__key")) == {
        "sdwan-m1": "sdwan-more",
        "sdwan-final": "sdwan-basics",
    }


def test_dry_run_reports_and_writes_nothing(tmp_path, stored):
    out = run(tmp_path, make_manifest(), "--dry-run")
    assert "courses: 2 created" in out
    assert not (QuestionBank.objects.exists() or Quiz.objects.exists() or Course.objects.exists())


def test_a_cycle_through_courses_made_in_the_admin_is_refused(tmp_path, stored):
    run(tmp_path, make_manifest())
    made_in_admin = course_with(lessons_per_module=(1,), title="Made in the admin")
    made_in_admin.prerequisites.set([Course.objects.get(key="sdwan-selling")])
    made_in_admin.save()
    advanced = course_with(lessons_per_module=(1,), key="advanced", title="Advanced")
    advanced.prerequisites.set([made_in_admin])
    advanced.save()
    bad = make_manifest()
    bad["courses"][1]["prerequisites"] = ["fundamentals", "advanced"]
    assert_rejected(
        tmp_path,
        bad,
        "courses[1] (key 'sdwan-selling'): prerequisites: would make a cycle: "
        f"sdwan-selling → advanced → “Made in the admin” (id {made_in_admin.pk}) → sdwan-selling",
    )


def test_shrinking_a_bank_below_what_a_stored_quiz_draws_is_refused(tmp_path, stored):
    run(tmp_path, make_manifest())
    QuizFactory(title="Admin quiz", bank=QuestionBank.objects.get(key="sdwan-basics"), questions_per_attempt=4)
    smaller = make_manifest()
    smaller["question_banks"][0]["questions"].pop()
    assert_rejected(
        tmp_path,
        smaller,
        "question_banks[0] (key 'sdwan-basics'): questions: quiz “Admin quiz” draws 4 questions per attempt; "
        "the bank would have only 3",
    )
