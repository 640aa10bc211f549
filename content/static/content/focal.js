/*
 * A picture's focal point (admin/content/asset_page.html): clicking on the picture sets the
 * focal point fields (fractions of the width and height from the top left, 0 to 1) and
 * shows a marker there; typing in the fields moves the marker. On a page without the
 * fields (read only), the marker shows the saved point.
 *
 * Without this script the fields are typed as numbers. It runs under the Content Security
 * Policy: a file from 'self', listeners only.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function fraction(text) {
    var value = parseFloat(text);
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
  }

  /* Four decimals are a tenth of a pixel on a 1,600-pixel picture. */
  function rounded(value) {
    return String(Math.round(Math.min(1, Math.max(0, value)) * 10000) / 10000);
  }

  ready(function () {
    var picker = document.querySelector("[data-focal-picker]");
    if (!picker) return;
    var image = picker.querySelector("[data-focal-image]");
    var marker = picker.querySelector("[data-focal-marker]");
    var status = document.querySelector("[data-focal-status]");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    var editable = Boolean(fieldX && fieldY);

    function point() {
      if (editable) return [fraction(fieldX.value), fraction(fieldY.value)];
      return [fraction(picker.dataset.focalX), fraction(picker.dataset.focalY)];
    }

    function place() {
      var xy = point();
      if (xy[0] === null || xy[1] === null) {
        marker.hidden = true;
        return;
      }
      marker.style.left = xy[0] * 100 + "%";
      marker.style.top = xy[1] * 100 + "%";
      marker.hidden = false;
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    if (editable) {
      picker.classList.add("focal-editable");
      image.addEventListener("click", function (event) {
        var box = image.getBoundingClientRect();
        var x = rounded((event.clientX - box.left) / box.width);
        var y = rounded((event.clientY - box.top) / box.height);
        fieldX.value = x;
        fieldY.value = y;
        [fieldX, fieldY].forEach(function (field) {
          field.dispatchEvent(new Event("change", { bubbles: true }));
        });
        place();
        say("Focal point set to x " + x + ", y " + y + ": save to keep it.");
      });
      [fieldX, fieldY].forEach(function (field) {
        field.addEventListener("input", place);
      });
    }
    place();
  });
})();
