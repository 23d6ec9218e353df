/*
 * A SCORM 2004 SCO (shared by every SCO of the sample package): one question, resume, suspend, finish.
 *
 * It finds `API_1484_11` in a parent window (or the opener), calls Initialize, restores the
 * answer from cmi.suspend_data and the place from cmi.location, records the answer as an
 * interaction with its score (cmi.score.scaled/raw/min/max) and success status, and on Finish
 * sets cmi.completion_status = "completed", cmi.exit = "normal" and Terminates. Suspend sets
 * cmi.exit = "suspend" so that the next launch of this SCO resumes (cmi.entry = "resume").
 * Navigation between SCOs is the LMS's (choice and flow), so no adl.nav.request is sent.
 */
(function () {
  "use strict";

  var startedAt = Date.now();
  var api = null;
  var finished = false;
  var state = { answer: null };

  var statusEl = document.getElementById("status");
  var question = document.getElementById("question");
  var correct = question.getAttribute("data-correct");

  function findApi(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      if (win.API_1484_11) {
        return win.API_1484_11;
      }
      if (win.parent === win) {
        break;
      }
      win = win.parent;
    }
    return null;
  }

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", Boolean(isError));
  }

  function get(element) {
    return String(api.GetValue(element) || "");
  }

  function set(element, value) {
    if (String(api.SetValue(element, String(value))) !== "true") {
      say("The learning system refused " + element + " (error " + api.GetLastError() + ").", true);
      return false;
    }
    return true;
  }

  /* SCORM 2004 timeinterval (ISO 8601 duration), to the hundredth of a second. */
  function sessionTime() {
    var seconds = (Date.now() - startedAt) / 1000;
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor(seconds / 60) % 60;
    return "PT" + hours + "H" + minutes + "M" + (seconds % 60).toFixed(2) + "S";
  }

  function passingScore() {
    var fromLms = parseFloat(get("cmi.scaled_passing_score"));
    if (!isNaN(fromLms)) {
      return fromLms;
    }
    var fromPage = parseFloat(document.body.getAttribute("data-passing-score"));
    return isNaN(fromPage) ? null : fromPage;
  }

  function show() {
    Array.prototype.forEach.call(question.querySelectorAll("button"), function (button) {
      button.disabled = Boolean(state.answer) || finished;
      button.setAttribute("aria-pressed", String(button.getAttribute("data-answer") === state.answer));
    });
    if (state.answer) {
      question.setAttribute("data-answered", state.answer === correct ? "correct" : "wrong");
    }
  }

  function answer(letter) {
    if (finished || state.answer) {
      return;
    }
    state.answer = letter;
    show();
    var scaled = letter === correct ? 1 : 0;
    var n = parseInt(get("cmi.interactions._count"), 10) || 0;
    var prefix = "cmi.interactions." + n + ".";
    set(prefix + "id", question.getAttribute("data-question"));
    set(prefix + "type", "choice");
    set(prefix + "learner_response", letter);
    set(prefix + "correct_responses.0.pattern", correct);
    set(prefix + "result", letter === correct ? "correct" : "incorrect");
    set("cmi.score.min", 0);
    set("cmi.score.max", 100);
    set("cmi.score.raw", scaled * 100);
    set("cmi.score.scaled", scaled);
    var passing = passingScore();
    if (passing !== null) {
      set("cmi.success_status", scaled >= passing ? "passed" : "failed");
    }
    set("cmi.suspend_data", JSON.stringify(state));
    set("cmi.location", "answered");
    set("cmi.progress_measure", 0.5);
    api.Commit("");
    say("Answer saved.");
  }

  function end(exit) {
    if (finished) {
      return;
    }
    set("cmi.session_time", sessionTime());
    set("cmi.exit", exit);
    api.Commit("");
    api.Terminate("");
    finished = true;
    Array.prototype.forEach.call(document.querySelectorAll("button"), function (button) {
      button.disabled = true;
    });
  }

  function suspend() {
    set("cmi.suspend_data", JSON.stringify(state));
    set("cmi.location", state.answer ? "answered" : "question");
    end("suspend");
    say("Suspended. You can pick up where you left off.");
  }

  function finish() {
    if (!state.answer) {
      say("Please answer the question first.", true);
      return;
    }
    set("cmi.progress_measure", 1);
    set("cmi.completion_status", "completed");
    end("normal");
    say("Finished: " + (state.answer === correct ? "correct" : "not correct") + ".");
  }

  function start() {
    api = findApi(window) || (window.opener ? findApi(window.opener) : null);
    if (!api) {
      say("No learning system found: this page must be launched by an LMS.", true);
      return;
    }
    if (String(api.Initialize("")) !== "true") {
      say("The learning system did not start the session (error " + api.GetLastError() + ").", true);
      return;
    }
    var saved = get("cmi.suspend_data");
    if (saved) {
      try {
        state = JSON.parse(saved) || { answer: null };
      } catch (error) {
        state = { answer: null };
      }
    }
    if (get("cmi.completion_status") === "not attempted" || get("cmi.completion_status") === "unknown") {
      set("cmi.completion_status", "incomplete");
    }
    show();
    var resumed = get("cmi.entry") === "resume" && Boolean(get("cmi.location"));
    say(resumed ? "Welcome back: your answer is restored." : "Ready.");

    question.addEventListener("click", function (event) {
      var letter = event.target.getAttribute("data-answer");
      if (letter) {
        answer(letter);
      }
    });
    document.getElementById("suspend").addEventListener("click", suspend);
    document.getElementById("finish").addEventListener("click", finish);
    window.addEventListener("pagehide", function () {
      if (!finished) {
        suspend();
      }
    });
  }

  start();
})();
