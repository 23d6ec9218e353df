/*
 * A cmi5 Assignable Unit: one question, resume, exit and finish, talking xAPI with fetch().
 *
 * From the launch URL's query it takes `endpoint`, `fetch`, `actor`, `registration` and
 * `activityId`; it POSTs to the fetch URL once for the session's auth token, GETs the
 * LMS.LaunchData state document (context template, launch mode, mastery score, return URL)
 * and the learner's cmi5LearnerPreferences agent profile (language, audio: cmi5 §11), keeps
 * its own answer in a "progress" state document (so that a later session resumes), and sends
 * the cmi5 statements: initialized; an "answered" (cmi5 allowed) statement for the question;
 * completed and passed/failed on Finish (in Normal mode only, with the masteryScore extension
 * when LaunchData has one); terminated at the end of every session, then it goes back to the
 * returnURL (cmi5 §10.2.6).
 */
(function () {
  "use strict";

  var XAPI_VERSION = "1.0.3";
  var CATEGORY_CMI5 = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" };
  var CATEGORY_MOVEON = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon" };
  var EXT_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var LEARNER_PREFERENCES = "cmi5LearnerPreferences";
  var VERBS = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    answered: "http://adlnet.gov/expapi/verbs/answered",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated"
  };

  var statusEl = document.getElementById("status");
  var preferencesEl = document.getElementById("preferences");
  var question = document.getElementById("question");
  var correct = question.getAttribute("data-correct");

  var startedAt = Date.now();
  var launch = null;      // the launch parameters
  var authHeader = null;  // "Basic <token>" from the fetch URL
  var launchData = {};    // the LMS.LaunchData state document
  var preferences = {};   // the learner's cmi5LearnerPreferences (agent profile)
  var progress = { answer: null };
  var terminated = false;

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", Boolean(isError));
  }

  function readLaunchParameters() {
    var query = new URLSearchParams(window.location.search);
    var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    var missing = names.filter(function (name) { return !query.get(name); });
    if (missing.length) {
      throw new Error("Launch parameters missing: " + missing.join(", ") + ".");
    }
    var endpoint = query.get("endpoint");
    return {
      endpoint: endpoint.charAt(endpoint.length - 1) === "/" ? endpoint : endpoint + "/",
      fetchUrl: query.get("fetch"),
      actor: JSON.parse(query.get("actor")),
      registration: query.get("registration"),
      activityId: query.get("activityId")
    };
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" +
      hex.slice(20);
  }

  /* xAPI duration (ISO 8601), to the hundredth of a second. */
  function duration() {
    return "PT" + ((Date.now() - startedAt) / 1000).toFixed(2) + "S";
  }

  function xapi(path, options) {
    var headers = Object.assign({
      "Authorization": authHeader,
      "X-Experience-API-Version": XAPI_VERSION
    }, options.headers || {});
    return fetch(launch.endpoint + path, {
      method: options.method || "GET",
      headers: headers,
      body: options.body,
      credentials: "omit",
      keepalive: Boolean(options.keepalive)
    });
  }

  function stateQuery(stateId) {
    return "activities/state?" + new URLSearchParams({
      activityId: launch.activityId,
      agent: JSON.stringify(launch.actor),
      registration: launch.registration,
      stateId: stateId
    }).toString();
  }

  async function getState(stateId) {
    var response = await xapi(stateQuery(stateId), {});
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw new Error("Reading the " + stateId + " state failed (" + response.status + ").");
    }
    return response.json();
  }

  /* The learner's preferences (cmi5 §11): read at startup; none, or a refusal, leaves the AU's defaults. */
  async function getPreferences() {
    var query = "agents/profile?" + new URLSearchParams({
      agent: JSON.stringify(launch.actor),
      profileId: LEARNER_PREFERENCES
    }).toString();
    var response = await xapi(query, {});
    return response.ok ? response.json() : {};
  }

  function applyPreferences() {
    var languages = String(preferences.languagePreference || "").split(",").filter(Boolean);
    var audio = preferences.audioPreference === "off" ? "off" : "on";
    document.body.setAttribute("data-audio", audio);
    // This AU is written in English only: it shows what it was asked for, and stays in English.
    preferencesEl.textContent = "Your preferences: language " + (languages[0] || "not set") + ", audio " + audio + ".";
  }

  async function putState(stateId, document) {
    var response = await xapi(stateQuery(stateId), {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(document)
    });
    if (!response.ok) {
      throw new Error("Saving the " + stateId + " state failed (" + response.status + ").");
    }
  }

  function context(categories) {
    var template = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
    template.registration = launch.registration;
    template.contextActivities = template.contextActivities || {};
    if (categories.length) {
      template.contextActivities.category = (template.contextActivities.category || []).concat(categories);
    }
    return template;
  }

  /* A statement about the AU (or `options.object`), with the context template and `options.extensions`. */
  async function send(verb, result, categories, keepalive, options) {
    options = options || {};
    var statement = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      actor: launch.actor,
      verb: { id: VERBS[verb], display: { "en-US": verb } },
      object: options.object || { id: launch.activityId, objectType: "Activity" },
      context: context(categories)
    };
    if (result) {
      statement.result = result;
    }
    if (options.parent) {
      statement.context.contextActivities.parent = [{ id: launch.activityId, objectType: "Activity" }];
    }
    if (options.extensions) {
      statement.context.extensions = Object.assign(statement.context.extensions || {}, options.extensions);
    }
    var response = await xapi("statements", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(statement),
      keepalive: keepalive
    });
    if (!response.ok) {
      throw new Error("The " + verb + " statement was refused (" + response.status + ").");
    }
  }

  function show() {
    Array.prototype.forEach.call(question.querySelectorAll("button"), function (button) {
      button.disabled = Boolean(progress.answer) || terminated;
      button.setAttribute("aria-pressed", String(button.getAttribute("data-answer") === progress.answer));
    });
    if (progress.answer) {
      question.setAttribute("data-answered", progress.answer === correct ? "correct" : "wrong");
    }
  }

  function disableAll() {
    Array.prototype.forEach.call(document.querySelectorAll("button"), function (button) {
      button.disabled = true;
    });
  }

  function offerReturn() {
    var link = document.getElementById("return");
    if (launchData.returnURL) {
      link.href = launchData.returnURL;
      link.hidden = false;
    }
  }

  /* The question as an xAPI interaction activity, below the AU's own activity id. */
  function questionActivity() {
    var buttons = question.querySelectorAll("button[data-answer]");
    return {
      objectType: "Activity",
      id: launch.activityId + "/" + question.getAttribute("data-question"),
      definition: {
        type: INTERACTION,
        name: { "en-US": question.querySelector("p").textContent },
        interactionType: "choice",
        correctResponsesPattern: [correct],
        choices: Array.prototype.map.call(buttons, function (button) {
          return { id: button.getAttribute("data-answer"), description: { "en-US": button.textContent } };
        })
      }
    };
  }

  async function answer(letter) {
    if (terminated || progress.answer) {
      return;
    }
    progress.answer = letter;
    show();
    await putState("progress", progress);
    // A cmi5 allowed statement (no cmi5 category): the learner's response to the question.
    await send("answered", { response: letter, success: letter === correct }, [], false, {
      object: questionActivity(),
      parent: true
    });
    say("Answer saved.");
  }

  async function terminate(message) {
    terminated = true;
    disableAll();
    await send("terminated", { duration: duration() }, [CATEGORY_CMI5]);
    say(message);
    offerReturn();
    if (launchData.returnURL) {
      window.location.assign(launchData.returnURL);  // cmi5 §10.2.6: back to the LMS once terminated
    }
  }

  async function finish() {
    if (!progress.answer) {
      say("Please answer the question first.", true);
      return;
    }
    disableAll();
    var scaled = progress.answer === correct ? 1 : 0;
    if (launchData.launchMode === "Normal") {
      var hasMastery = typeof launchData.masteryScore === "number";
      var mastery = hasMastery ? launchData.masteryScore : 1;
      await send("completed", { completion: true, duration: duration() }, [CATEGORY_CMI5, CATEGORY_MOVEON]);
      var passed = scaled >= mastery;
      var extensions = {};
      if (hasMastery) {
        extensions[EXT_MASTERY] = mastery;  // cmi5 §9.6.3.2: the masteryScore the verdict is based on
      }
      await send(passed ? "passed" : "failed", {
        success: passed,
        score: { scaled: scaled },
        duration: duration()
      }, [CATEGORY_CMI5, CATEGORY_MOVEON], false, { extensions: extensions });
    }
    await terminate("Finished: " + (scaled === 1 ? "correct" : "not correct") + ".");
  }

  async function start() {
    launch = readLaunchParameters();
    var tokenResponse = await fetch(launch.fetchUrl, { method: "POST", credentials: "omit" });
    var tokenBody = await tokenResponse.json();
    if (!tokenResponse.ok || !tokenBody["auth-token"]) {
      throw new Error(tokenBody["error-text"] || "The fetch URL gave no auth token (" + tokenResponse.status + ").");
    }
    authHeader = "Basic " + tokenBody["auth-token"];
    launchData = (await getState("LMS.LaunchData")) || {};
    preferences = await getPreferences().catch(function () { return {}; });
    applyPreferences();
    progress = (await getState("progress")) || { answer: null };
    show();
    await send("initialized", null, [CATEGORY_CMI5]);
    say(progress.answer ? "Welcome back: your answer is restored." : "Ready.");

    question.addEventListener("click", function (event) {
      var letter = event.target.getAttribute("data-answer");
      if (letter) {
        answer(letter).catch(fail);
      }
    });
    document.getElementById("suspend").addEventListener("click", function () {
      terminate("You can pick up where you left off.").catch(fail);
    });
    document.getElementById("finish").addEventListener("click", function () {
      finish().catch(fail);
    });
    window.addEventListener("pagehide", function () {
      if (!terminated) {
        terminated = true;
        send("terminated", { duration: duration() }, [CATEGORY_CMI5], true).catch(function () {});
      }
    });
  }

  function fail(error) {
    say(error.message, true);
  }

  start().catch(fail);
})();
