/* The player's exit page: tells a front end that put the player in a frame that the learner left it. */
(function () {
  "use strict";
  if (window.parent && window.parent !== window) {
    window.parent.postMessage({ type: "partnerhub:player-exit" }, "*");
  }
})();
