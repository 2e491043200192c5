/* Till hosted checkout in the merchant's frame: the page's half of the
   postMessage protocol that /embed.js speaks on the merchant's side.

   The server writes the parent's origin into the page only after checking it
   against the merchant's allowed origins; this script posts to exactly that
   origin and listens to nothing else. Messages are plain objects
   {till: 1, type, session_id, page, ...}:

     frame -> parent  opened    {height}        the page loaded
                      ready     {height}        answer to the parent's hello
                      resized   {height}        the page's height changed
                      payment_succeeded {payment_id, status, return_url?}
                      payment_failed    {reason, message}
                      closed    {reason}        "back" link or Escape key
     parent -> frame  hello                     start of the conversation
*/
(function () {
  "use strict";

  var root = document.documentElement;
  var parentOrigin = root.getAttribute("data-till-parent");
  if (!parentOrigin || window.parent === window) {
    return; // not framed: nothing to talk to
  }
  var page = root.getAttribute("data-till-page") || "";
  var sessionId = root.getAttribute("data-till-session") || "";
  var lastHeight = -1;

  function post(type, detail) {
    var message = { till: 1, type: type, session_id: sessionId, page: page };
    var keys = Object.keys(detail || {});
    for (var i = 0; i < keys.length; i += 1) {
      message[keys[i]] = detail[keys[i]];
    }
    window.parent.postMessage(message, parentOrigin);
  }

  function height() {
    // The document's own height, not the frame's: a frame taller than its
    // page must still learn that the page shrank.
    return Math.ceil(root.getBoundingClientRect().height);
  }

  function reportSize() {
    var now = height();
    if (now !== lastHeight) {
      lastHeight = now;
      post("resized", { height: now });
    }
  }

  function reportOutcome() {
    var outcome = document.getElementById("till-outcome");
    if (!outcome) {
      return;
    }
    var type = outcome.getAttribute("data-type");
    if (type === "payment_succeeded") {
      post(type, {
        payment_id: outcome.getAttribute("data-payment-id"),
        status: outcome.getAttribute("data-status"),
        return_url: outcome.getAttribute("data-return-url")
      });
    } else if (type === "payment_failed") {
      post(type, {
        reason: outcome.getAttribute("data-reason"),
        message: outcome.getAttribute("data-message")
      });
    }
  }

  window.addEventListener("message", function (event) {
    // Only the parent the merchant allowed may speak to this page; another
    // frame or window (even on the same merchant page) is ignored.
    if (event.origin !== parentOrigin || event.source !== window.parent) {
      return;
    }
    var data = event.data;
    if (!data || data.till !== 1) {
      return;
    }
    if (data.type === "hello") {
      lastHeight = height();
      post("ready", { height: lastHeight });
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-till-close]") : null;
    if (link) {
      event.preventDefault();
      post("closed", { reason: "back" });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.defaultPrevented) {
      post("closed", { reason: "escape" });
    }
  });

  lastHeight = height();
  post("opened", { height: lastHeight });
  reportOutcome();
  if (window.ResizeObserver) {
    new ResizeObserver(reportSize).observe(root);
  } else {
    window.addEventListener("resize", reportSize);
  }
})();
