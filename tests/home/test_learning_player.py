"""Learning in the portal: the catalogue (audience), enrolling, the player (order, resume), lessons done, library
asset and video blocks, completion with its certificate, the audience leak matrix and fixed query counts."""

from datetime import date, timedelta

from django.test import override_settings
from django.utils import timezone

import pytest

from certifications.factories import CertificationFactory
from cms.factories import AssetFactory
from courses.factories import CourseFactory, CourseModuleFactory, LessonFactory, QuizFactory, course_with, lesson_done
from courses.models import Enrollment, LessonCompletion
from partners.factories import RoleFactory, TierFactory
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    return response.content.decode()


def lessons_of(course) -> list:
    modules = course.modules.order_by("sort_order")
    return [lesson for module in modules for lesson in module.lessons.order_by("sort_order")]


def enrol(client, course):
    return client.post(f"/learning/{course.pk}/enrol/")


# --- catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_shows_the_courses_of_my_audience_only(client, member):
    course_with(title="Selling SD-WAN")
    course_with(title="Platinum masterclass", min_tier=TierFactory(key="platinum", rank=40))
    course_with(title="For engineers", roles=[RoleFactory(key="technical")])
    course_with(title="Retired course", live=False)
    page = html(client.get("/learning/"))
    assert "Selling SD-WAN" in page
    for hidden in ("Platinum masterclass", "For engineers", "Retired course"):
        assert hidden not in page
    assert 'aria-current="page"' in page and ">Learning<" in page  # the nav item, marked current


def test_my_courses_show_progress_due_date_and_overdue_in_words(client, member):
    course = course_with(lessons_per_module=(4,), title="Objection handling")
    late = course_with(title="Late one")
    Enrollment.objects.create(user=member, course=course, due_date=date.today() + timedelta(days=10))
    Enrollment.objects.create(user=member, course=late, due_date=date.today() - timedelta(days=2))
    lesson_done(member, lessons_of(course)[0])
    page = html(client.get("/learning/"))
    assert '<progress max="100" value="25"' in page and "25% · 1 of 4 lessons" in page
    assert "Due on" in page
    assert "Overdue" in page and "was due on" in page  # in words, not colour only
    assert page.index("My courses") < page.index("Objection handling") < page.index("Catalogue")


def test_enrolling_opens_the_first_lesson_and_is_idempotent(client, member):
    course = course_with(lessons_per_module=(2, 1))
    response = enrol(client, course)
    assert response.status_code == 302 and response["Location"] == f"/learning/{course.pk}/"
    first = lessons_of(course)[0]
    assert client.get(f"/learning/{course.pk}/")["Location"] == f"/learning/{course.pk}/lessons/{first.pk}/"
    assert enrol(client, course).status_code == 302
    assert Enrollment.objects.filter(user=member, course=course).count() == 1


def test_enrolling_waits_for_prerequisites_and_says_which(client, member):
    basics = course_with(title="Basics")
    hidden = course_with(title="Secret basics", min_tier=TierFactory(key="platinum", rank=40))
    advanced = course_with(title="Advanced")
    advanced.prerequisites.set([basics, hidden])
    advanced.save()
    response = enrol(client, advanced)
    assert response.status_code == 409
    page = html(response)
    assert "Complete these courses first: “Basics”, 1 course not open to you." in page
    assert "Secret basics" not in page
    assert not Enrollment.objects.filter(user=member, course=advanced).exists()


# --- player ----------------------------------------------------------------------------------------------------


def test_the_course_page_before_enrolling_shows_the_outline_and_enrol(client, member):
    course = CourseFactory(title="Deal registration")
    second = CourseModuleFactory(course=course, title="Tracking", sort_order=2)
    first = CourseModuleFactory(course=course, title="Why", sort_order=1)
    LessonFactory(module=second, title="Follow up", sort_order=1)
    LessonFactory(module=first, title="Protection", sort_order=2)
    LessonFactory(module=first, title="Basics", sort_order=1)
    page = html(client.get(f"/learning/{course.pk}/"))
    assert page.index("Why") < page.index("Basics") < page.index("Protection") < page.index("Tracking")
    assert page.index("Tracking") < page.index("Follow up")
    assert "Enrol and start" in page


def test_lessons_play_in_order_with_previous_and_next(client, member):
    course = course_with(lessons_per_module=(2, 1), module_quizzes=(QuizFactory(title="Module check"),))
    one, two, three = lessons_of(course)
    enrol(client, course)
    page = html(client.get(f"/learning/{course.pk}/lessons/{two.pk}/"))
    assert f'href="/learning/{course.pk}/lessons/{one.pk}/" rel="prev"' in page
    quiz = course.modules.get(sort_order=0).quiz
    assert f'href="/learning/{course.pk}/quizzes/{quiz.pk}/" rel="next"' in page  # the module's quiz ends it
    assert 'aria-current="page">Lesson 1.2<' in page
    page = html(client.get(f"/learning/{course.pk}/lessons/{three.pk}/"))
    assert 'rel="next"' not in page


def test_resume_opens_where_i_left_off(client, member):
    course = course_with(lessons_per_module=(3,))
    _one, two, three = lessons_of(course)
    enrol(client, course)
    client.get(f"/learning/{course.pk}/lessons/{two.pk}/")  # opened, not done
    assert client.get(f"/learning/{course.pk}/")["Location"] == f"/learning/{course.pk}/lessons/{two.pk}/"
    assert Enrollment.objects.get(user=member, course=course).last_lesson == two  # the API's resume point too
    client.post(f"/learning/{course.pk}/lessons/{two.pk}/complete/")
    assert client.get(f"/learning/{course.pk}/")["Location"] == f"/learning/{course.pk}/lessons/{three.pk}/"
    catalogue = html(client.get("/learning/"))
    assert f'href="/learning/{course.pk}/"' in catalogue and "Continue" in catalogue


def test_marking_a_lesson_done_moves_on_and_the_last_completes_the_course(client, member):
    course = course_with(lessons_per_module=(2,))
    one, two = lessons_of(course)
    enrol(client, course)
    response = client.post(f"/learning/{course.pk}/lessons/{one.pk}/complete/")
    assert response["Location"] == f"/learning/{course.pk}/lessons/{two.pk}/"
    assert LessonCompletion.objects.filter(user=member, lesson=one).exists()
    assert "You have completed this lesson." in html(client.get(f"/learning/{course.pk}/lessons/{one.pk}/"))
    response = client.post(f"/learning/{course.pk}/lessons/{two.pk}/complete/")
    assert response["Location"] == f"/learning/{course.pk}/completed/"
    assert Enrollment.objects.get(user=member, course=course).completed_at is not None
    assert client.post(f"/learning/{course.pk}/lessons/{two.pk}/complete/").status_code == 302  # again: no harm
    assert LessonCompletion.objects.filter(user=member, lesson=two).count() == 1


def test_a_lesson_of_a_course_i_am_not_enrolled_in_sends_me_to_enrol(client, member):
    course = course_with()
    lesson = lessons_of(course)[0]
    response = client.get(f"/learning/{course.pk}/lessons/{lesson.pk}/")
    assert response["Location"] == f"/learning/{course.pk}/"
    assert client.post(f"/learning/{course.pk}/lessons/{lesson.pk}/complete/").status_code == 302
    assert not LessonCompletion.objects.exists()


def test_asset_blocks_link_to_the_library_only_when_i_may_see_the_asset(client, member):
    visible = AssetFactory(title="Battlecard")
    gated = AssetFactory(title="Platinum price list", min_tier=TierFactory(key="platinum", rank=40))
    course = course_with()
    lesson = lessons_of(course)[0]
    lesson.body = [
        ("text", "<p>Read the battlecard.</p>"),
        ("asset", {"asset": visible, "note": "Print it"}),
        ("asset", {"asset": gated, "note": "Secret note"}),
    ]
    lesson.save()
    enrol(client, course)
    page = html(client.get(f"/learning/{course.pk}/lessons/{lesson.pk}/"))
    assert "Read the battlecard." in page
    assert f'href="/library/{visible.pk}/"' in page and "Print it" in page
    assert "Platinum price list" not in page and f"/library/{gated.pk}/" not in page and "Secret note" not in page


def test_videos_play_in_the_players_the_policy_allows_and_other_links_stay_links(client, member):
    course = course_with()
    lesson = lessons_of(course)[0]
    lesson.body = [
        ("video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("video", "https://vimeo.com/76979871"),
        ("video", "https://videos.example.com/intro.mp4"),
    ]
    lesson.save()
    enrol(client, course)
    response = client.get(f"/learning/{course.pk}/lessons/{lesson.pk}/")
    page = html(response)
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert '<iframe src="https://player.vimeo.com/video/76979871"' in page
    assert 'href="https://videos.example.com/intro.mp4"' in page
    assert page.count("<iframe") == 2  # the third is a link, never framed
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert "<script>" not in page and " style=" not in page
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"frame-src": ["https://player.vimeo.com"], "default-src": ["'self'"]}}
    ):
        page = html(client.get(f"/learning/{course.pk}/lessons/{lesson.pk}/"))
    assert "youtube-nocookie.com/embed" not in page and 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page


# --- completion ------------------------------------------------------------------------------------------------


def test_completing_a_course_that_earns_a_certificate_says_so_and_links_to_it(client, member):
    course = course_with(lessons_per_module=(1,), title="Security basics")
    CertificationFactory(title="Certified security seller", required_courses=[course])
    enrol(client, course)
    lesson = lessons_of(course)[0]
    response = client.post(f"/learning/{course.pk}/lessons/{lesson.pk}/complete/", follow=True)
    page = html(response)
    assert "You completed “Security basics”" in page
    assert "Certified security seller" in page and "issued for completing this course" in page
    assert 'href="/certifications/"' in page


def test_the_completion_page_before_completing_lists_what_is_left(client, member):
    course = course_with(lessons_per_module=(2,), final_quiz=QuizFactory(title="Final check"))
    enrol(client, course)
    page = html(client.get(f"/learning/{course.pk}/completed/"))
    assert "Not completed yet" in page and "3 steps are left" in page and "Final check" in page


# --- audience: 404 for what I may not see ----------------------------------------------------------------------


def test_every_audience_case_of_the_catalogue_and_the_course_pages(client):
    matrix = build_matrix(lambda **fields: course_with(lessons_per_module=(1,), final_quiz=QuizFactory(), **fields))
    client.force_login(matrix.viewer_user)
    page = html(client.get("/learning/?page=1"))
    for key, course in matrix.items.items():
        visible = course.pk in matrix.expected_visible
        assert (f">{course.title}<" in page) == visible, key
        lesson = lessons_of(course)[0]
        for url in (
            f"/learning/{course.pk}/",
            f"/learning/{course.pk}/lessons/{lesson.pk}/",
            f"/learning/{course.pk}/quizzes/{course.final_quiz_id}/",
            f"/learning/{course.pk}/completed/",
        ):
            status = client.get(url).status_code
            assert (status != 404) == visible, (key, url, status)
        if not visible:
            assert client.post(f"/learning/{course.pk}/enrol/").status_code == 404, key
            assert client.post(f"/learning/{course.pk}/lessons/{lesson.pk}/complete/").status_code == 404, key
            assert client.post(f"/learning/{course.pk}/quizzes/{course.final_quiz_id}/start/").status_code == 404
    assert not Enrollment.objects.exclude(course_id__in=matrix.expected_visible).exists()


def test_a_lesson_or_quiz_under_another_course_is_404(client, member):
    mine, other = course_with(final_quiz=QuizFactory()), course_with(final_quiz=QuizFactory())
    enrol(client, mine)
    other_lesson = lessons_of(other)[0]
    assert client.get(f"/learning/{mine.pk}/lessons/{other_lesson.pk}/").status_code == 404
    assert client.get(f"/learning/{mine.pk}/quizzes/{other.final_quiz_id}/").status_code == 404


def test_with_the_portal_off_learning_is_404_and_a_visitor_is_sent_to_sign_in(client, member):
    course = course_with()
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        assert client.get("/learning/").status_code == 404
        assert client.get(f"/learning/{course.pk}/").status_code == 404
    client.logout()
    assert client.get("/learning/")["Location"].startswith("/accounts/login/?next=/learning/")


# --- fixed query counts -----------------------------------------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(80) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_catalogue_costs_the_same_queries_for_few_and_many_courses(client, member, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            course = course_with(lessons_per_module=(2,), module_quizzes=(QuizFactory(),))
            Enrollment.objects.create(user=member, course=course, due_date=timezone.localdate())
            course_with()

    add(1)
    client.get("/learning/")
    few = count_queries(client, "/learning/", django_assert_max_num_queries)
    add(6)
    assert count_queries(client, "/learning/", django_assert_max_num_queries) == few


def test_the_player_costs_the_same_queries_for_small_and_big_courses(client, member, django_assert_max_num_queries):
    small = course_with(lessons_per_module=(2,), module_quizzes=(QuizFactory(),))
    big = course_with(
        lessons_per_module=(6, 6, 6), module_quizzes=(QuizFactory(), QuizFactory()), final_quiz=QuizFactory()
    )
    for course in (small, big):
        enrol(client, course)
        lesson = lessons_of(course)[1]
        lesson_done(member, lessons_of(course)[0])
        client.get(f"/learning/{course.pk}/lessons/{lesson.pk}/")
    urls = [f"/learning/{course.pk}/lessons/{lessons_of(course)[1].pk}/" for course in (small, big)]
    few, many = (count_queries(client, url, django_assert_max_num_queries) for url in urls)
    assert many == few
