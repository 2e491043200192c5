/* The example shop's own script. A real shop includes Till's script with a
   fixed tag, <script src="https://till.example.com/embed.js"></script>; this
   demo loads it from wherever the pasted checkout URL points, so the same
   page works against any Till server. */
(function () {
  "use strict";

  var input = document.getElementById("checkout-url");
  var stay = document.getElementById("stay");
  var thanks = document.getElementById("thanks");
  var list = document.getElementById("events");
  var inline = null;

  // Every event the checkout reports, for the page below and for tests.
  window.tillEvents = [];

  var given = new URLSearchParams(window.location.search).get("checkout");
  if (given) {
    input.value = given;
  }

  function log(type, detail) {
    window.tillEvents.push({ type: type, detail: detail });
    var item = document.createElement("li");
    item.textContent = type + " " + JSON.stringify(detail);
    list.appendChild(item);
  }

  function withTill(callback) {
    if (window.Till) {
      callback(window.Till);
      return;
    }
    var script = document.createElement("script");
    script.src = new URL(input.value).origin + "/embed.js";
    script.onload = function () { callback(window.Till); };
    document.head.appendChild(script);
  }

  function options() {
    return {
      url: input.value,
      stayOnSuccess: stay.checked,
      onOpen: function (e) { log("open", e); },
      onReady: function (e) { log("ready", e); },
      onResize: function (e) { log("resize", e); },
      onFailure: function (e) { log("failure", e); },
      onClose: function (e) { log("close", e); },
      onSuccess: function (e) {
        log("success", e);
        thanks.textContent = "Thank you! Payment " + e.payment_id + " went through.";
        thanks.hidden = false;
      }
    };
  }

  document.getElementById("open-overlay").addEventListener("click", function () {
    withTill(function (Till) { Till.open(options()); });
  });

  document.getElementById("mount-inline").addEventListener("click", function () {
    withTill(function (Till) {
      if (inline) {
        inline.close();
      }
      inline = Till.mount("#inline-checkout", options());
    });
  });
})();
