/*
 * The pictures of a draft (admin/content/_parts.html, content/widgets/picture_select.html):
 * choosing a picture in a row shows its thumbnail beside the list. Each option carries its
 * thumbnail's address (data-thumbnail); a picture whose renditions are still being made has
 * none, and the row shows no thumbnail. Listens on the document, so that rows added by
 * parts.js work too.
 *
 * Without this script the thumbnail shown is the one of the picture saved in the row.
 * It runs under the Content Security Policy: a file from 'self', listeners only.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-picture-select]")) {
      return;
    }
    var thumb = select.parentNode.querySelector("[data-picture-thumb]");
    if (!thumb) {
      return;
    }
    var option = select.options[select.selectedIndex];
    var url = option ? option.getAttribute("data-thumbnail") : null;
    if (url) {
      thumb.src = url;
      thumb.hidden = false;
    } else {
      thumb.removeAttribute("src");
      thumb.hidden = true;
    }
  });
})();
