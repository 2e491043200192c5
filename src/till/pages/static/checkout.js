/* Till hosted checkout: live totals and inline errors on top of a form that
   works without this script. No framework, no third-party code. The script
   only toggles classes and attributes (the page's policy allows no inline
   styles or scripts) and never reads or sends the card fields anywhere but
   the form's own post. */
(function () {
  "use strict";

  var form = document.getElementById("pay-form");
  if (!form) {
    return;
  }
  var summary = document.getElementById("summary");
  var summaryTotal = document.getElementById("summary-total");
  var payButton = document.getElementById("pay-button");
  var formError = document.getElementById("form-error");
  var quoteUrl = form.getAttribute("data-quote-url");
  var stateCountries = (form.getAttribute("data-state-countries") || "").split(" ");
  var token = form.elements.namedItem("csrf_token").value;
  var country = form.elements.namedItem("country");
  var state = form.elements.namedItem("state");
  var business = form.elements.namedItem("is_business");
  var businessFields = document.getElementById("business-fields");
  var sequence = 0;
  var timer = null;
  var busy = false;

  function message(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function fieldBox(name) {
    return form.querySelector('[data-field="' + CSS.escape(name) + '"]');
  }

  function showError(name, text) {
    var box = name ? fieldBox(name) : null;
    if (!box) {
      formError.textContent = text || "";
      return;
    }
    box.classList.toggle("has-error", Boolean(text));
    box.querySelector(".field-error").textContent = text || "";
    var control = box.querySelector("input, select");
    if (control) {
      control.setAttribute("aria-invalid", text ? "true" : "false");
    }
  }

  function clearPricingErrors() {
    var controls = form.querySelectorAll("[data-pricing]");
    for (var i = 0; i < controls.length; i += 1) {
      showError(controls[i].name, "");
    }
    formError.textContent = "";
  }

  function syncState() {
    if (!state || !country) {
      return;
    }
    var code = country.value;
    var needed = stateCountries.indexOf(code) !== -1;
    fieldBox("state").classList.toggle("is-hidden", !needed);
    state.required = needed;
    state.disabled = !needed;
    var groups = state.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i += 1) {
      var other = groups[i].getAttribute("data-country") !== code;
      groups[i].disabled = other;
      groups[i].hidden = other;
    }
    var chosen = state.options[state.selectedIndex];
    if (chosen && chosen.parentNode.disabled) {
      state.value = "";
    }
  }

  function syncBusiness() {
    if (!business || !businessFields) {
      return;
    }
    var on = business.checked;
    businessFields.classList.toggle("is-hidden", !on);
    var inputs = businessFields.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i += 1) {
      inputs[i].disabled = !on;
    }
  }

  function pricingValues() {
    var values = {};
    var controls = form.querySelectorAll("[data-pricing]");
    for (var i = 0; i < controls.length; i += 1) {
      if (!controls[i].disabled) {
        values[controls[i].name] = controls[i].value;
      }
    }
    if (business && business.checked) {
      values.is_business = "1";
    }
    return values;
  }

  function applyQuote(body) {
    summary.innerHTML = body.summary_html;
    payButton.textContent = body.pay_label;
    if (summaryTotal) {
      summaryTotal.textContent = body.total; // shown while the summary is closed
    }
  }

  function requestQuote() {
    var mine = (sequence += 1);
    fetch(quoteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(pricingValues())
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (mine !== sequence) {
          return; // a newer request is on its way
        }
        clearPricingErrors();
        if (result.ok) {
          applyQuote(result.body);
        } else {
          showError(result.body.field, result.body.message);
        }
      })
      .catch(function () {
        if (mine === sequence) {
          showError(null, message("network"));
        }
      });
  }

  function scheduleQuote(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(requestQuote, delay);
  }

  function luhn(digits) {
    var total = 0;
    for (var i = 0; i < digits.length; i += 1) {
      var value = Number(digits.charAt(digits.length - 1 - i));
      if (i % 2 === 1) {
        value = value > 4 ? value * 2 - 9 : value * 2;
      }
      total += value;
    }
    return total % 10 === 0;
  }

  function cardProblems() {
    var problems = [];
    var number = form.elements.namedItem("card_number").value.replace(/[\s-]/g, "");
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
      problems.push(["card_number", message("card-number")]);
    }
    var expiry = form.elements.namedItem("card_expiry").value.replace(/\s/g, "");
    var parts = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(expiry) || /^(\d{2})(\d{2})$/.exec(expiry);
    if (!parts || Number(parts[1]) < 1 || Number(parts[1]) > 12) {
      problems.push(["card_expiry", message("expiry")]);
    }
    var cvc = form.elements.namedItem("card_cvc").value.trim();
    if (!/^\d{3,4}$/.test(cvc)) {
      problems.push(["card_cvc", message("cvc")]);
    }
    return problems;
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === country) {
      syncState();
    }
    if (target === business) {
      syncBusiness();
    }
    if (target.hasAttribute("data-pricing") || target === business) {
      scheduleQuote(0);
    }
  });

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.name) {
      showError(target.name, "");
    }
    if (target.name && target.name.indexOf("amount.") === 0) {
      scheduleQuote(600);
    }
  });

  form.addEventListener("keydown", function (event) {
    // Enter in the discount field applies the code instead of paying.
    if (event.key === "Enter" && event.target.name === "discount_code") {
      event.preventDefault();
      scheduleQuote(0);
    }
  });

  form.addEventListener("submit", function (event) {
    if (busy) {
      event.preventDefault(); // a second click while the first is on its way
      return;
    }
    var problems = cardProblems();
    for (var i = 0; i < problems.length; i += 1) {
      showError(problems[i][0], problems[i][1]);
    }
    if (problems.length) {
      event.preventDefault();
      form.elements.namedItem(problems[0][0]).focus();
      return;
    }
    busy = true;
    payButton.setAttribute("aria-disabled", "true");
    payButton.textContent = payButton.getAttribute("data-busy-label");
  });

  syncState();
  syncBusiness();
  if (formError.textContent) {
    formError.focus(); // a failed payment: say why before anything else
  }
})();
