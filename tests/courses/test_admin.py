"""The Learning admin: editors build courses, question banks and quizzes comfortably, with checks."""

from django.urls import reverse

import pytest

from courses.factories import QuestionFactory, QuizFactory, course_with
from courses.models import QuestionBank, Quiz

pytestmark = pytest.mark.django_db


def bank_form(questions):
    """POST data of the question bank editor: ``questions`` = [(kind, text, [(choice, correct), …]), …]."""
    data = {
        "name": "SD-WAN basics",
        "description": "",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, (kind, text, choices) in enumerate(questions):
        prefix = f"questions-{i}"
        data |= {
            f"{prefix}-kind": kind,
            f"{prefix}-text": text,
            f"{prefix}-explanation": "",
            f"{prefix}-ORDER": str(i + 1),
            f"{prefix}-choices-TOTAL_FORMS": str(len(choices)),
            f"{prefix}-choices-INITIAL_FORMS": "0",
            f"{prefix}-choices-MIN_NUM_FORMS": "2",
            f"{prefix}-choices-MAX_NUM_FORMS": "1000",
        }
        for j, (choice, correct) in enumerate(choices):
            data |= {f"{prefix}-choices-{j}-text": choice, f"{prefix}-choices-{j}-ORDER": str(j + 1)}
            if correct:
                data[f"{prefix}-choices-{j}-is_correct"] = "on"
    return data


def test_a_question_bank_is_built_with_questions_and_choices_inline(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_courses_questionbank:add"),
        bank_form(
            [
                ("single", "What does SD-WAN route over?", [("Any transport", True), ("MPLS only", False)]),
                ("multiple", "Which are benefits?", [("Cost", True), ("Agility", True), ("Fax", False)]),
                ("true_false", "SD-WAN needs MPLS.", [("True", False), ("False", True)]),
            ]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bank = QuestionBank.objects.get()
    assert [q.kind for q in bank.questions.order_by("sort_order")] == ["single", "multiple", "true_false"]
    assert bank.questions.get(kind="multiple").choices.filter(is_correct=True).count() == 2


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (("single", "Pick one", [("A", True), ("B", True)]), "mark exactly one choice as correct"),
        (("multiple", "Pick some", [("A", False), ("B", False)]), "mark at least one choice as correct"),
        (("true_false", "Is it?", [("True", True), ("False", False), ("Maybe", False)]), "exactly two choices"),
    ],
)
def test_a_question_with_the_wrong_correct_choices_is_refused(admin_client, question, message):
    response = admin_client.post(reverse("wagtailsnippets_courses_questionbank:add"), bank_form([question]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QuestionBank.objects.exists()


def test_course_editor_shows_modules_and_lessons_inline_and_previews(admin_client):
    quiz = QuizFactory(title="Module check")
    QuestionFactory(bank=quiz.bank)
    course = course_with(lessons_per_module=(2,), module_quizzes=(quiz,), title="Selling SD-WAN")
    response = admin_client.get(reverse("wagtailsnippets_courses_course:edit", args=[course.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Module 1" in page and "Lesson 1.2" in page and "Module check" in page
    prerequisites = response.context["form"].fields["prerequisites"].queryset
    assert course not in prerequisites  # never offered as its own prerequisite
    assert admin_client.get(reverse("wagtailsnippets_courses_course:add")).status_code == 200
    preview = admin_client.get(reverse("wagtailsnippets_courses_course:preview_on_edit", args=[course.pk]))
    assert preview.status_code in (200, 405)


def test_learning_menu_lists_courses_banks_quizzes_and_assignments(admin_client):
    course_with(title="Renewals 101")
    listing = admin_client.get(reverse("wagtailsnippets_courses_course:list"))
    assert "Renewals 101" in listing.content.decode()
    for name in ("questionbank", "quiz", "courseassignment"):
        assert admin_client.get(reverse(f"wagtailsnippets_courses_{name}:list")).status_code == 200


@pytest.mark.parametrize("model", ["quiz", "questionbank"])
def test_quiz_and_bank_choosers_can_be_searched(admin_client, model):
    """A catalogue has dozens of quizzes: the chooser in the course editor must find one by name."""
    wanted = QuizFactory(title="Renewals check") if model == "quiz" else QuizFactory(bank__name="Renewals bank").bank
    QuizFactory(title="Objections check", bank__name="Objections bank")
    response = admin_client.get(reverse(f"wagtailsnippetchoosers_courses_{model}:choose_results"), {"q": "renewals"})
    assert response.status_code == 200
    page = response.content.decode()
    assert str(wanted) in page and "Objections" not in page


def quiz_form(bank, answers_shown, title="Practice check"):
    return {
        "title": title,
        "bank": str(bank.pk),
        "questions_per_attempt": "",
        "pass_mark": "70",
        "attempt_limit": "",
        "time_limit_minutes": "",
        "late_submission": "refuse",
        "shuffle_questions": "on",
        "shuffle_choices": "on",
        "answers_shown": answers_shown,
    }


@pytest.mark.parametrize(
    ("existing", "new", "message"),
    [
        (
            "never",
            "after_pass_or_last",
            "“Bank” also feeds “Exam”, which never show answers: a quiz showing answers would reveal theirs.",
        ),
        ("after_pass_or_last", "never", "“Bank” also feeds “Exam”, which show answers: they would reveal this quiz"),
    ],
    ids=["showing answers from a never bank", "never from a bank showing answers"],
)
def test_a_bank_feeds_quizzes_showing_answers_or_never_showing_them_not_both(admin_client, existing, new, message):
    exam = QuizFactory(title="Exam", bank__name="Bank", answers_shown=existing)
    QuestionFactory(bank=exam.bank)
    response = admin_client.post(reverse("wagtailsnippets_courses_quiz:add"), quiz_form(exam.bank, new))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(Quiz.objects.values_list("title", flat=True)) == ["Exam"]
    # Editing the quiz on the bank to the other policy is refused too; the same policy is fine.
    edit = reverse("wagtailsnippets_courses_quiz:edit", args=[exam.pk])
    other = QuizFactory(title="Other", bank__name="Other bank", answers_shown=new)
    moved = admin_client.post(
        reverse("wagtailsnippets_courses_quiz:edit", args=[other.pk]), quiz_form(exam.bank, new, "Other")
    )
    assert moved.status_code == 200 and Quiz.objects.get(pk=other.pk).bank != exam.bank
    same = admin_client.post(reverse("wagtailsnippets_courses_quiz:add"), quiz_form(exam.bank, existing, "Sibling"))
    assert same.status_code == 302
    assert admin_client.post(edit, quiz_form(exam.bank, existing, "Exam")).status_code == 302


def test_the_quiz_time_limit_says_its_unit_in_the_listing_and_the_form(admin_client):
    QuizFactory(time_limit_minutes=20)
    listing = admin_client.get(reverse("wagtailsnippets_courses_quiz:list")).content.decode()
    form = admin_client.get(reverse("wagtailsnippets_courses_quiz:add")).content.decode()
    for page in (listing, form):
        assert "Time limit (minutes)" in page and "Time limit minutes" not in page
