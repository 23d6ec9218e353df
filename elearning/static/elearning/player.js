/*
 * The package player: scorm-again's SCORM API for the SCO in the frame, its commits, and navigation.
 *
 * Its settings come from the page's `player-config` JSON element (no inline script). It creates
 * `window.API` (SCORM 1.2) or `window.API_1484_11` (SCORM 2004) with scorm-again, loads the CMI the
 * hub kept for this SCO (`loadFromJSON`: resume on any device), and only then opens the SCO. Every
 * commit goes to the hub synchronously with the launch token in a header (our own small HTTP service
 * for scorm-again: its built-in one sends the last commit with `sendBeacon`, which cannot carry
 * headers); while the page is being closed, when browsers refuse synchronous requests, the last
 * commit goes as a `keepalive` fetch instead. Autocommit saves progress every few seconds after a change.
 *
 * Navigation: Previous/Next/Exit and the table of contents first unload the SCO (its own unload
 * handler usually ends its session), end the session if the SCO did not, and then go. A SCORM 2004
 * SCO's navigation requests (continue, previous, choice, exitAll) are followed after it terminates.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("player-config").textContent);
  var frame = document.getElementById("player-frame");
  var message = document.getElementById("player-message");
  var is12 = config.standard === "scorm12";
  var failureCode = is12 ? 101 : 391;
  var leaving = false;
  var text = config.messages;

  function show(text, isError) {
    message.textContent = text;
    message.hidden = !text;
    message.classList.toggle("is-error", Boolean(isError));
    message.setAttribute("role", isError ? "alert" : "status");
  }

  function headers() {
    var result = { "Content-Type": "application/json" };
    result[config.tokenHeader] = config.token;
    return result;
  }

  function answerOf(xhr) {
    var body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch (error) {
      body = null;
    }
    if (xhr.status >= 200 && xhr.status < 300 && body && body.result === true) {
      return { result: "true", errorCode: 0 };
    }
    if (xhr.status === 404) {
      show(text.ended, true);
    } else {
      show(text.notSaved + ((body && body.detail) ? " " + body.detail : ""), true);
    }
    return { result: "false", errorCode: (body && body.errorCode) || failureCode };
  }

  var httpService = {
    processHttpRequest: function (url, params, immediate) {
      var body = JSON.stringify(params);
      try {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", url, false);
        var all = headers();
        Object.keys(all).forEach(function (name) {
          xhr.setRequestHeader(name, all[name]);
        });
        xhr.send(body);
        return answerOf(xhr);
      } catch (error) {
        if (immediate && window.fetch) {
          window.fetch(url, { method: "POST", body: body, headers: headers(), keepalive: true, credentials: "same-origin" });
          return { result: "true", errorCode: 0 };
        }
        show(text.notSaved, true);
        return { result: "false", errorCode: failureCode };
      }
    },
    updateSettings: function () {}
  };

  var settings = {
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "json",
    autocommit: true,
    autocommitSeconds: config.autocommitSeconds,
    terminateCommitParam: "terminate",
    httpService: httpService,
    sendFullCommit: true,
    scoItemIds: Object.keys(config.units),
    logLevel: 4
  };
  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  api.loadFromJSON(config.cmi);
  if (is12) {
    window.API = api;
  } else {
    window.API_1484_11 = api;
  }

  function sessionOpen() {
    return api.isInitialized() && !api.isTerminated();
  }

  function endSession() {
    if (sessionOpen()) {
      if (is12) {
        api.LMSFinish("");
      } else {
        api.Terminate("");
      }
    }
  }

  function go(url) {
    if (url) {
      leaving = true;
      window.location.assign(url);
    }
  }

  // Unload the SCO (its unload handler may end its session), end the session if it did not, then go.
  function leave(url) {
    if (leaving) {
      return;
    }
    leaving = true;
    var done = false;
    function proceed() {
      if (done) {
        return;
      }
      done = true;
      endSession();
      window.location.assign(url);
    }
    frame.addEventListener("load", proceed);
    window.setTimeout(proceed, 3000);
    frame.src = "about:blank";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-player-nav]") : null;
    if (link && !event.defaultPrevented && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      leave(link.href);
    }
  });

  function afterSession() {
    if (!leaving) {
      show(config.nextUrl ? text.finishedNext : text.finished, false);
    }
  }

  if (is12) {
    api.on("LMSFinish", function () { window.setTimeout(afterSession, 0); });
  } else {
    api.on("Terminate", function () { window.setTimeout(afterSession, 0); });
    api.on("SequenceNext", function () { window.setTimeout(function () { go(config.nextUrl); }, 0); });
    api.on("SequencePrevious", function () { window.setTimeout(function () { go(config.previousUrl); }, 0); });
    api.on("SequenceChoice", function (element, target) {
      var url = config.units[target !== undefined ? target : element];
      window.setTimeout(function () { go(url); }, 0);
    });
    api.on("SequenceJump", function (element, target) {
      var url = config.units[target !== undefined ? target : element];
      window.setTimeout(function () { go(url); }, 0);
    });
    ["SequenceExitAll", "SequenceAbandonAll"].forEach(function (name) {
      api.on(name, function () { window.setTimeout(function () { go(config.exitUrl); }, 0); });
    });
  }

  // The page itself goes away (tab closed, another address): end the session if the SCO left it open.
  window.addEventListener("pagehide", function () {
    if (!leaving) {
      endSession();
    }
  });

  // On a phone the contents start folded, so the SCO gets the screen; the summary opens them.
  var contents = document.querySelector(".player-toc details");
  if (contents && window.matchMedia("(max-width: 640px)").matches) {
    contents.open = false;
  }

  frame.src = frame.getAttribute("data-src");
})();
