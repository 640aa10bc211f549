// The draft form (add and change pages): never lose what an editor typed.
// - Says plainly when something typed is not saved yet, and asks before the page is left.
// - Counts the body against its limit, and refuses to send a body over it (nothing is lost:
//   the text stays in the form).
// - Shows the body as apps will show it, rendered by the server with the API's own function.
// Loaded as a file: the Content Security Policy allows no inline script.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.getElementById("draft-form");
    if (!form) return;
    var status = document.getElementById("save-status");
    var body = form.querySelector("textarea[name=body]");
    var count = document.getElementById("body-count");
    var preview = document.getElementById("body-preview");
    var warning = document.getElementById("raw-html-warning");
    var rawList = document.getElementById("raw-html-list");
    var limit = body ? parseInt(body.getAttribute("data-max-length"), 10) : 0;
    var dirty = false;
    var sending = false;

    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.className = "save-status" + (kind ? " " + kind : "");
    }

    function markDirty() {
      if (dirty) return;
      dirty = true;
      say("You have changes that are not saved yet: save the draft before you leave this page.", "unsaved");
    }

    // A form the server sent back (a refused save) holds what was typed, not saved.
    if (form.getAttribute("data-unsaved") === "yes") {
      dirty = true;
      say("What you typed is here but not saved: correct the problems and save again.", "unsaved");
    }

    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    // The formset rows and the kind's details add and remove fields with buttons.
    form.addEventListener("click", function (event) {
      var target = event.target;
      if (target && target.tagName === "BUTTON" && target.type !== "submit") markDirty();
    });

    function overLimit() {
      return body && limit && body.value.length > limit;
    }

    function showCount() {
      if (!body || !count) return;
      var n = body.value.length;
      count.textContent = n.toLocaleString("en") + " of " + limit.toLocaleString("en") + " characters";
      count.className = "body-count" + (n > limit ? " over" : "");
    }

    form.addEventListener("submit", function (event) {
      if (overLimit()) {
        event.preventDefault();
        var text = "The body is " + body.value.length.toLocaleString("en") +
          " characters long; the limit is " + limit.toLocaleString("en") +
          ". Shorten it: nothing was sent, and your text is still here.";
        say(text, "unsaved refused");
        if (count) count.textContent = text;
        body.focus();
        return;
      }
      sending = true;
    });

    window.addEventListener("beforeunload", function (event) {
      if (dirty && !sending) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // The preview: the server renders the body with the function the API serves it with.
    var url = form.getAttribute("data-preview-url");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var asked = 0;

    function refresh() {
      if (!url || !preview || overLimit()) return;
      var mine = ++asked;
      var data = new FormData();
      data.append("body", body.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (answer) {
          if (mine !== asked) return; // a later keystroke's answer will come
          preview.innerHTML = answer.html; // sanitised by the server, as the API serves it
          preview.classList.remove("stale");
          if (warning) {
            warning.hidden = answer.raw_html.length === 0;
            if (rawList) rawList.textContent = answer.raw_html.join("  ");
          }
        })
        .catch(function () {
          preview.classList.add("stale");
        });
    }

    if (body) {
      showCount();
      body.addEventListener("input", function () {
        showCount();
        clearTimeout(timer);
        timer = setTimeout(refresh, 300);
      });
    }
  });
})();
