/* Till inline checkout for merchant pages. Plain script, no dependencies.

     <script src="https://till.example.com/embed.js"></script>
     Till.open({ url: checkoutUrl, onSuccess: fn, onFailure: fn, onClose: fn });
     Till.mount("#checkout", { url: checkoutUrl, onSuccess: fn });

   Both load the session's page (the checkout_url from POST /checkouts) in an
   iframe in embed mode: open() over the page with a close button (Escape
   closes too), mount() inside an element, its height following the page's
   so it never scrolls inside itself. Options:
     url            the checkout URL (required)
     onOpen(e)      a page loaded in the frame      e: {page, session_id}
     onReady(e)     the frame answered our hello     e: {page, session_id, height}
     onResize(e)    the frame's page changed height  e: {height}
     onSuccess(e)   paid        e: {payment_id, session_id, status, return_url}
     onFailure(e)   a charge failed                  e: {reason, message, session_id}
     onClose(e)     closed      e: {reason: "button"|"escape"|"back"|"paid"|"api"}
     stayOnSuccess  true: after success the frame shows the receipt and this
                    script does nothing more; the merchant's page decides.
                    false (default): go to the session's return_url if it has
                    one, else close the overlay.
   Both return {frame, close()}. Messages are accepted only from the frame
   itself at the checkout URL's origin.
*/
(function (global) {
  "use strict";

  var STYLE = {
    overlay: {
      position: "fixed", top: "0", right: "0", bottom: "0", left: "0",
      zIndex: "2147483000", overflowY: "auto", background: "rgba(15, 18, 24, 0.6)",
      padding: "3rem 1rem"
    },
    panel: { position: "relative", maxWidth: "60rem", margin: "0 auto" },
    close: {
      position: "absolute", top: "-2.5rem", right: "0", width: "2.25rem",
      height: "2.25rem", border: "0", borderRadius: "50%", background: "#ffffff",
      color: "#1b1e23", font: "600 1.25rem/1 system-ui, sans-serif", cursor: "pointer"
    },
    frame: {
      display: "block", width: "100%", border: "0",
      overflow: "hidden", colorScheme: "normal"
    }
  };

  function styled(tag, style) {
    var element = document.createElement(tag);
    var keys = Object.keys(style);
    for (var i = 0; i < keys.length; i += 1) {
      element.style[keys[i]] = style[keys[i]];
    }
    return element;
  }

  function frameUrl(options) {
    if (!options || !options.url) {
      throw new Error("Till: options.url (the checkout URL) is required");
    }
    var url = new URL(options.url, global.location.href);
    url.searchParams.set("embed", "1");
    url.searchParams.set("origin", global.location.origin);
    if (options.stayOnSuccess) {
      url.searchParams.set("stay", "1");
    } else {
      url.searchParams.delete("stay");
    }
    return url;
  }

  function call(callback, detail) {
    if (typeof callback === "function") {
      try {
        callback(detail);
      } catch (error) {
        global.setTimeout(function () { throw error; });
      }
    }
  }

  function safeHttpUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  // One conversation with one frame: checks every message, answers "opened"
  // with "hello", and turns the rest into the merchant's callbacks.
  function connect(frame, url, options, overlay, onClosed) {
    var origin = url.origin;
    var closed = false;

    function detailOf(data, keys) {
      var detail = { session_id: data.session_id };
      for (var i = 0; i < keys.length; i += 1) {
        if (data[keys[i]] !== undefined && data[keys[i]] !== null) {
          detail[keys[i]] = data[keys[i]];
        }
      }
      return detail;
    }

    function resize(height) {
      var value = Number(height);
      if (value > 0 && value < 100000) {
        frame.style.height = Math.ceil(value) + "px";
      }
    }

    function close(reason) {
      if (closed) {
        return;
      }
      closed = true;
      global.removeEventListener("message", onMessage);
      if (overlay) {
        overlay.remove();
      }
      if (onClosed) {
        onClosed();
      }
      call(options.onClose, { reason: reason });
    }

    function succeeded(data) {
      var detail = detailOf(data, ["payment_id", "status", "return_url"]);
      call(options.onSuccess, detail);
      if (options.stayOnSuccess) {
        return;
      }
      var target = data.return_url ? safeHttpUrl(data.return_url) : null;
      if (target) {
        global.location.assign(target);
      } else if (overlay) {
        close("paid");
      }
    }

    function onMessage(event) {
      if (event.source !== frame.contentWindow || event.origin !== origin) {
        return;
      }
      var data = event.data;
      if (!data || data.till !== 1 || typeof data.type !== "string") {
        return;
      }
      switch (data.type) {
        case "opened":
          resize(data.height);
          frame.contentWindow.postMessage({ till: 1, type: "hello" }, origin);
          call(options.onOpen, detailOf(data, ["page"]));
          break;
        case "ready":
          resize(data.height);
          call(options.onReady, detailOf(data, ["page", "height"]));
          break;
        case "resized":
          resize(data.height);
          call(options.onResize, detailOf(data, ["height"]));
          break;
        case "payment_succeeded":
          succeeded(data);
          break;
        case "payment_failed":
          call(options.onFailure, detailOf(data, ["reason", "message"]));
          break;
        case "closed":
          if (overlay) {
            close(data.reason === "escape" ? "escape" : "back");
          } else if (data.reason === "back") {
            call(options.onClose, { reason: "back" });
          }
          break;
        default:
          break;
      }
    }

    global.addEventListener("message", onMessage);
    return close;
  }

  function newFrame(url, height) {
    var frame = styled("iframe", STYLE.frame);
    frame.style.height = height; // until the page says how tall it is
    frame.src = url.href;
    frame.title = "Checkout";
    frame.setAttribute("allow", "payment");
    frame.setAttribute("scrolling", "no");
    return frame;
  }

  function open(options) {
    var url = frameUrl(options);
    var overlay = styled("div", STYLE.overlay);
    overlay.className = "till-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Checkout");
    var panel = styled("div", STYLE.panel);
    var button = styled("button", STYLE.close);
    button.type = "button";
    button.className = "till-close";
    button.setAttribute("aria-label", "Close");
    button.textContent = "\u00d7";
    var frame = newFrame(url, "30rem");
    panel.appendChild(button);
    panel.appendChild(frame);
    overlay.appendChild(panel);

    var previousFocus = document.activeElement;
    var previousOverflow = document.documentElement.style.overflow;

    function restore() {
      document.removeEventListener("keydown", onKey);
      document.documentElement.style.overflow = previousOverflow;
      if (previousFocus && previousFocus.focus) {
        previousFocus.focus();
      }
    }

    var close = connect(frame, url, options, overlay, restore);

    function onKey(event) {
      if (event.key === "Escape") {
        close("escape");
      }
    }

    button.addEventListener("click", function () { close("button"); });
    overlay.addEventListener("click", function (event) {
      if (event.target === overlay) {
        close("button");
      }
    });
    document.addEventListener("keydown", onKey);
    document.documentElement.style.overflow = "hidden";
    document.body.appendChild(overlay);
    frame.focus();
    return { frame: frame, close: function () { close("api"); } };
  }

  function mount(target, options) {
    var element = typeof target === "string" ? document.querySelector(target) : target;
    if (!element) {
      throw new Error("Till: no element matches " + target);
    }
    var url = frameUrl(options);
    var frame = newFrame(url, "20rem");
    var close = connect(frame, url, options, null, null);
    element.appendChild(frame);
    return {
      frame: frame,
      close: function () {
        frame.remove();
        close("api");
      }
    };
  }

  global.Till = { open: open, mount: mount, version: 1 };
})(window);
