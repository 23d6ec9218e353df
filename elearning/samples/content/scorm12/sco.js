/*
 * A SCORM 1.2 SCO: two questions, resume, suspend and finish.
 *
 * It finds the LMS's `API` object in a parent window (or the opener), calls LMSInitialize,
 * restores the answers from cmi.suspend_data and the place from cmi.core.lesson_location,
 * records each answer as an interaction, and on Finish reports the score and the lesson
 * status (passed/failed against the mastery score, "completed" when there is none).
 * Suspend sets cmi.core.exit = "suspend" so that the next launch resumes.
 */
(function () {
  "use strict";

  var startedAt = Date.now();
  var api = null;
  var finished = false;
  var answers = {}; // question id -> chosen answer letter

  var statusEl = document.getElementById("status");
  var questions = Array.prototype.slice.call(document.querySelectorAll("[data-question]"));

  function findApi(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      if (win.API) {
        return win.API;
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
    return String(api.LMSGetValue(element) || "");
  }

  function set(element, value) {
    if (String(api.LMSSetValue(element, String(value))) !== "true") {
      say("The learning system refused " + element + " (error " + api.LMSGetLastError() + ").", true);
      return false;
    }
    return true;
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS */
  function sessionTime() {
    var hundredths = Math.floor((Date.now() - startedAt) / 10);
    var seconds = Math.floor(hundredths / 100);
    return pad(Math.floor(seconds / 3600), 4) + ":" + pad(Math.floor(seconds / 60) % 60, 2) + ":" +
      pad(seconds % 60, 2) + "." + pad(hundredths % 100, 2);
  }

  function masteryScore() {
    var fromLms = parseFloat(get("cmi.student_data.mastery_score"));
    if (!isNaN(fromLms)) {
      return fromLms;
    }
    var fromPage = parseFloat(document.body.getAttribute("data-mastery-score"));
    return isNaN(fromPage) ? null : fromPage;
  }

  function score() {
    var correct = questions.filter(function (question) {
      return answers[question.id] === question.getAttribute("data-correct");
    }).length;
    return Math.round((correct / questions.length) * 100);
  }

  function showAnswer(question) {
    var chosen = answers[question.id];
    var buttons = question.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = Boolean(chosen);
      button.setAttribute("aria-pressed", String(button.getAttribute("data-answer") === chosen));
    });
    if (chosen) {
      question.setAttribute("data-answered", chosen === question.getAttribute("data-correct") ? "correct" : "wrong");
    }
  }

  function saveProgress(questionId) {
    set("cmi.suspend_data", JSON.stringify(answers));
    set("cmi.core.lesson_location", questionId);
    api.LMSCommit("");
  }

  function answer(question, letter) {
    if (finished || answers[question.id]) {
      return;
    }
    answers[question.id] = letter;
    showAnswer(question);
    var n = parseInt(get("cmi.interactions._count"), 10) || 0;
    var prefix = "cmi.interactions." + n + ".";
    set(prefix + "id", question.id);
    set(prefix + "type", "choice");
    set(prefix + "student_response", letter);
    set(prefix + "correct_responses.0.pattern", question.getAttribute("data-correct"));
    set(prefix + "result", letter === question.getAttribute("data-correct") ? "correct" : "wrong");
    saveProgress(question.id);
    say("Answer saved.");
  }

  function end(exit) {
    if (finished) {
      return;
    }
    set("cmi.core.session_time", sessionTime());
    set("cmi.core.exit", exit);
    api.LMSCommit("");
    api.LMSFinish("");
    finished = true;
    document.querySelectorAll("button").forEach(function (button) {
      button.disabled = true;
    });
  }

  function suspend() {
    saveProgress(get("cmi.core.lesson_location") || questions[0].id);
    end("suspend");
    say("Suspended. You can pick up where you left off.");
  }

  function finish() {
    var unanswered = questions.filter(function (question) { return !answers[question.id]; });
    if (unanswered.length) {
      say("Please answer every question first.", true);
      return;
    }
    var result = score();
    var mastery = masteryScore();
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", result);
    var status = mastery === null ? "completed" : (result >= mastery ? "passed" : "failed");
    set("cmi.core.lesson_status", status);
    set("cmi.suspend_data", JSON.stringify(answers));
    end("");
    say("Finished: " + result + "% (" + status + ").");
  }

  function start() {
    api = findApi(window) || (window.opener ? findApi(window.opener) : null);
    if (!api) {
      say("No learning system found: this page must be launched by an LMS.", true);
      return;
    }
    if (String(api.LMSInitialize("")) !== "true") {
      say("The learning system did not start the session (error " + api.LMSGetLastError() + ").", true);
      return;
    }
    var saved = get("cmi.suspend_data");
    if (saved) {
      try {
        answers = JSON.parse(saved) || {};
      } catch (error) {
        answers = {};
      }
    }
    questions.forEach(showAnswer);
    if (get("cmi.core.lesson_status") === "not attempted") {
      set("cmi.core.lesson_status", "incomplete");
    }
    var location = get("cmi.core.lesson_location");
    var resumed = get("cmi.core.entry") === "resume" || Boolean(saved);
    if (location && document.getElementById(location)) {
      document.getElementById(location).scrollIntoView();
    }
    say(resumed ? "Welcome back: your answers are restored." : "Ready.");

    questions.forEach(function (question) {
      question.addEventListener("click", function (event) {
        var letter = event.target.getAttribute("data-answer");
        if (letter) {
          answer(question, letter);
        }
      });
    });
    document.getElementById("suspend").addEventListener("click", suspend);
    document.getElementById("finish").addEventListener("click", finish);
    window.addEventListener("pagehide", function () {
      if (!finished) {
        end("suspend");
      }
    });
  }

  start();
})();
