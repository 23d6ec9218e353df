"""cmi5 in a real browser (Debian's chromium) on a live server: a learner launches an AU, which fetches its
token, reads LMS.LaunchData, answers, completes, passes and terminates over xAPI against the hub's LRS, then
returns to the hub (returnURL); the attempt is completed and passed with its score.

The AU here is the tests' own (``quiz_au_zip``); the sample AU of ``elearning.samples`` is driven too
(``sample_au_runs``): it reads the learner's preferences (their hub language, from the Agent Profile), sends
"answered" for its question and the masteryScore extension on "passed", and returns to the hub when it ends.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile

import pytest
from playwright.sync_api import expect

from accounts.preferences import preferences_update
from elearning.cmi5 import vocabulary as v
from elearning.cmi5.launch import cmi5_launch_start
from elearning.factories import PackageFactory
from elearning.models import PackageAttempt
from elearning.samples import zip_bytes
from elearning.samples.cmi5 import cmi5_course_structure
from elearning.services import package_upload
from lrs.models import ActivityDefinition, Statement
from partners.factories import partner_user

from .accessibility import DESKTOP, PHONE, assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHOTS = Path("/work/shots/cmi5")

AU_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quiz AU</title><script src="au.js" defer></script></head>
<body><main><h1>Which statement starts every cmi5 session?</h1>
<p><button type="button" data-answer="launched">launched</button>
<button type="button" data-answer="initialized">initialized</button></p>
<p><button type="button" id="finish">Finish</button></p>
<p id="status" role="status">Connecting…</p></main></body></html>
"""

# An AU as the spec has it (cmi5 §7-§10): fetch once, LMS.LaunchData, the context template, initialized first,
# an "answered" (cmi5 allowed) statement, completed + passed with the moveOn category and the masteryScore
# extension, terminated last, then the returnURL.
AU_JS = r"""
(function () {
  "use strict";
  var q = new URLSearchParams(location.search), auth, data, started = Date.now(), answer = null;
  var endpoint = q.get("endpoint"), actor = JSON.parse(q.get("actor"));
  var CMI5 = {id: "https://w3id.org/xapi/cmi5/context/categories/cmi5"};
  var MOVEON = {id: "https://w3id.org/xapi/cmi5/context/categories/moveon"};
  function status(text) { document.getElementById("status").textContent = text; }
  function xapi(path, init) {
    init.headers = Object.assign({"Authorization": auth, "X-Experience-API-Version": "1.0.3"}, init.headers || {});
    init.credentials = "omit";
    return fetch(endpoint + path, init);
  }
  function context(categories) {
    var c = JSON.parse(JSON.stringify(data.contextTemplate));
    c.registration = q.get("registration");
    if (categories.length) { c.contextActivities.category = categories; }
    return c;
  }
  function send(verb, object, categories, result, extensions) {
    var s = {actor: actor, verb: {id: "http://adlnet.gov/expapi/verbs/" + verb, display: {"en-US": verb}},
             object: {objectType: "Activity", id: object}, context: context(categories),
             timestamp: new Date().toISOString()};
    if (result) { s.result = result; }
    if (extensions) { Object.assign(s.context.extensions, extensions); }
    return xapi("statements", {method: "POST", headers: {"Content-Type": "application/json"},
                               body: JSON.stringify(s)}).then(function (r) {
      if (!r.ok) { throw new Error(verb + " refused: " + r.status); }
    });
  }
  function duration() { return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S"; }
  fetch(q.get("fetch"), {method: "POST", credentials: "omit"}).then(function (r) { return r.json(); })
    .then(function (body) {
      auth = "Basic " + body["auth-token"];
      var state = "activities/state?" + new URLSearchParams({activityId: q.get("activityId"),
        agent: JSON.stringify(actor), registration: q.get("registration"), stateId: "LMS.LaunchData"});
      return xapi(state, {method: "GET"});
    })
    .then(function (r) { return r.json(); })
    .then(function (launchData) { data = launchData; return send("initialized", q.get("activityId"), [CMI5]); })
    .then(function () { status("Ready (" + data.launchMode + ")."); })
    .catch(function (e) { status("Error: " + e.message); });
  document.addEventListener("click", function (event) {
    var picked = event.target.getAttribute("data-answer");
    if (picked) {
      answer = picked;
      send("answered", q.get("activityId") + "/q1", [], {response: picked, success: picked === "initialized"})
        .then(function () { status("Answer saved."); }).catch(function (e) { status("Error: " + e.message); });
    }
    if (event.target.id === "finish") {
      var scaled = answer === "initialized" ? 1 : 0, mastery = data.masteryScore;
      var ext = {"https://w3id.org/xapi/cmi5/context/extensions/masteryscore": mastery};
      send("completed", q.get("activityId"), [CMI5, MOVEON], {completion: true, duration: duration()})
        .then(function () {
          return send(scaled >= mastery ? "passed" : "failed", q.get("activityId"), [CMI5, MOVEON],
                      {success: scaled >= mastery, score: {scaled: scaled}, duration: duration()}, ext);
        })
        .then(function () { return send("terminated", q.get("activityId"), [CMI5], {duration: duration()}); })
        .then(function () { location.href = data.returnURL; })
        .catch(function (e) { status("Error: " + e.message); });
    }
  });
})();
"""


def quiz_au_zip() -> bytes:
    structure = cmi5_course_structure(
        title="cmi5 quiz",
        course_id="https://partnerhub.example/xapi/courses/cmi5-quiz",
        au_id="https://partnerhub.example/xapi/courses/cmi5-quiz/au-1",
        mastery_score=0.8,
        move_on="CompletedAndPassed",
        launch_method="AnyWindow",
        launch_parameters="",
        block_title=None,
    )
    return zip_bytes({"cmi5.xml": structure, "au/index.html": AU_HTML, "au/au.js": AU_JS})


@live_data
def test_a_learner_takes_a_cmi5_au_in_the_browser_and_the_hub_records_it(new_context):
    ann = partner_user()
    package = package_upload(file=ContentFile(quiz_au_zip(), name="quiz.zip"), title="cmi5 quiz", user=None)
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")

    page = new_context(viewport=PHONE).new_page()
    page.goto(f"/learn/cmi5/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("cmi5 quiz")
    au = page.frame_locator("#player-frame")
    expect(au.locator("#status")).to_have_text("Ready (Normal).")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert_fits_the_width(page)
    page.screenshot(path=str(SHOTS / "player-375.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "player-1440.png"), full_page=True)

    au.get_by_role("button", name="initialized").click()
    expect(au.locator("#status")).to_have_text("Answer saved.")
    au.get_by_role("button", name="Finish").click()
    # The AU ends by going to the returnURL: the hub's done page, in the frame.
    expect(au.locator("#cmi5-result")).to_contain_text("Passed")
    expect(au.locator("#cmi5-result")).to_contain_text("Score 100%")
    page.screenshot(path=str(SHOTS / "done-1440.png"), full_page=True)

    attempt = PackageAttempt.objects.get(user=ann, package=package)
    assert attempt.status == "completed" and attempt.is_completed and attempt.is_passed
    assert str(attempt.score_percent) == "100.00"
    verbs = [s.verb_id.rsplit("/", 1)[-1] for s in Statement.objects.order_by("stored")]
    assert verbs == ["launched", "initialized", "answered", "completed", "passed", "satisfied", "terminated"]
    session.refresh_from_db()
    assert session.fetched_at and session.initialized_at and session.terminated_at
    # The launch is spent: a reload offers to start again (same registration) instead of a second token.
    page.goto(f"/learn/cmi5/{token}/")
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    assert Statement.objects.filter(verb_id=v.SATISFIED).count() == 1

    # One live-server test (the live server's flush between two of them is fragile): the sample AU too.
    sample_au_runs(new_context)


def sample_au_runs(new_context):
    """The sample AU of ``elearning.samples``: token, LaunchData, the learner's preferences, initialized, answered,
    completed, passed with the masteryScore, terminated, then back to the hub (returnURL)."""
    ann = partner_user()
    preferences_update(user=ann, language="de")
    package = PackageFactory(standard="cmi5", title="cmi5 essentials")
    _session, token = cmi5_launch_start(user=ann, package=package, context="lesson:2")
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(f"/learn/cmi5/{token}/")
    au = page.frame_locator("#player-frame")
    expect(au.locator("#status")).to_have_text("Ready.")
    # cmi5LearnerPreferences, written by the hub at launch from Ann's language, read by the AU from her Agent Profile.
    expect(au.locator("#preferences")).to_have_text("Your preferences: language de, audio on.")
    au.locator("#answer-c").click()
    expect(au.locator("#status")).to_have_text("Answer saved.")
    au.locator("#finish").click()
    # Terminated, the AU goes to the returnURL: the hub's done page, in the frame.
    expect(au.locator("#cmi5-result")).to_contain_text("Passed")
    attempt = PackageAttempt.objects.get(user=ann, package=package)
    assert attempt.is_completed and attempt.is_passed
    statements = Statement.objects.filter(registration=attempt.cmi5_registration.registration).order_by("stored")
    verbs = [s.verb_id.rsplit("/", 1)[-1] for s in statements]
    assert verbs == ["launched", "initialized", "answered", "completed", "passed", "satisfied", "terminated"]
    answered = statements.get(verb_id="http://adlnet.gov/expapi/verbs/answered").payload
    assert answered["result"] == {"response": "c", "success": True}
    assert answered["object"]["id"] == attempt.cmi5_registration.sessions.get().activity_id + "/au-q1"
    assert answered["object"]["definition"]["interactionType"] == "choice"
    passed = statements.get(verb_id=v.PASSED).payload
    assert passed["context"]["extensions"][v.EXT_MASTERY] == 0.8
    # The question's definition stays in the learner's statement: a learner's credential defines no shared activity.
    assert not ActivityDefinition.objects.filter(activity_id=answered["object"]["id"]).exists()
