/*
 * The rows of a version's parts (see admin/content/_parts.html): "Add another …" clones the
 * formset's empty form from its <template> and counts it in TOTAL_FORMS; "Remove" takes out
 * a row not saved yet and renumbers the rows after it, so the formset's indexes stay 0..n-1;
 * on orderable rows (plan items), "Move up" / "Move down" move the row and renumber the
 * order fields 1..n in the order shown.
 *
 * The page works without this script (one empty row per formset, "Delete" for saved rows).
 * It runs under the Content Security Policy: a file from 'self', listeners only.
 */
(function () {
  "use strict";

  function rowsOf(group) {
    return Array.from(group.querySelector("[data-part-rows]").children).filter(function (row) {
      return row.matches("[data-part-row]");
    });
  }

  function managementInput(group, name) {
    return group.querySelector('input[name="' + group.dataset.parts + "-" + name + '"]');
  }

  function say(group, message) {
    var status = group.querySelector("[data-part-status]");
    status.textContent = "";
    // A fresh text node, so that a screen reader reads the same message twice in a row.
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  /* Give every name, id and label of ``row`` the formset index ``to`` instead of ``from``. */
  function reindex(row, prefix, from, to) {
    var old = prefix + "-" + from + "-";
    var now = prefix + "-" + to + "-";
    var elements = [row].concat(Array.from(row.querySelectorAll("*")));
    elements.forEach(function (element) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value && value.indexOf(old) !== -1) {
          element.setAttribute(attribute, value.split(old).join(now));
        }
      });
    });
    row.dataset.index = String(to);
  }

  function orderField(row) {
    return row.querySelector("[data-part-order]");
  }

  function isDeleted(row) {
    var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    return Boolean(box && box.checked);
  }

  /* Whether anything but the order is filled in: an untouched row must stay empty. */
  function isFilled(row) {
    var order = orderField(row);
    return Array.from(row.querySelectorAll("input, select, textarea")).some(function (field) {
      if (field === order || field.type === "checkbox" || field.type === "hidden") {
        return false;
      }
      return field.value.trim() !== "";
    });
  }

  /* Set a field as typing would, so that the page's other scripts see the change. */
  function setValue(field, value) {
    if (field.value !== value) {
      field.value = value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  /* Number the kept, filled-in rows 1..n in the order shown. */
  function renumberOrder(group) {
    var next = 1;
    rowsOf(group).forEach(function (row) {
      var order = orderField(row);
      if (order && !isDeleted(row) && isFilled(row)) {
        setValue(order, String(next));
        next += 1;
      }
    });
  }

  /* A row filled in without an order number goes last. */
  function fillMissingOrder(group, row) {
    var order = orderField(row);
    if (!order || order.value.trim() !== "" || !isFilled(row)) {
      return;
    }
    var highest = 0;
    rowsOf(group).forEach(function (other) {
      var value = parseInt(orderField(other).value, 10);
      if (!isDeleted(other) && !Number.isNaN(value)) {
        highest = Math.max(highest, value);
      }
    });
    setValue(order, String(highest + 1));
  }

  /* Update what depends on the rows' places: the legends' numbers and which moves are open. */
  function refresh(group) {
    var rows = rowsOf(group);
    rows.forEach(function (row, place) {
      row.querySelector("[data-part-position]").textContent = String(place + 1);
      var up = row.querySelector('[data-part-move="up"]');
      var down = row.querySelector('[data-part-move="down"]');
      if (up) {
        up.disabled = place === 0;
        down.disabled = place === rows.length - 1;
      }
    });
    var total = parseInt(managementInput(group, "TOTAL_FORMS").value, 10);
    var most = parseInt(managementInput(group, "MAX_NUM_FORMS").value, 10);
    group.querySelector("[data-part-add]").disabled = total >= most;
  }

  function showControls(root) {
    root.querySelectorAll("[data-part-move], [data-part-remove]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function firstField(row) {
    return row.querySelector(".part-fields input, .part-fields select, .part-fields textarea");
  }

  function rowName(group) {
    return group.dataset.rowName;
  }

  function add(group) {
    var total = managementInput(group, "TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var template = group.querySelector("[data-part-template]");
    var row = template.content.querySelector("[data-part-row]").cloneNode(true);
    reindex(row, group.dataset.parts, "__prefix__", index);
    showControls(row);
    group.querySelector("[data-part-rows]").appendChild(row);
    total.value = String(index + 1);
    refresh(group);
    var field = firstField(row);
    if (field) {
      field.focus();
    }
    say(group, rowName(group) + " " + rowsOf(group).length + " added.");
  }

  function remove(group, row) {
    var prefix = group.dataset.parts;
    var total = managementInput(group, "TOTAL_FORMS");
    var removed = parseInt(row.dataset.index, 10);
    var rows = rowsOf(group);
    var place = rows.indexOf(row);
    row.remove();
    // Close the gap: the rows after it (all unsaved, saved rows come first) move down one.
    rowsOf(group)
      .filter(function (other) {
        return parseInt(other.dataset.index, 10) > removed;
      })
      .sort(function (a, b) {
        return parseInt(a.dataset.index, 10) - parseInt(b.dataset.index, 10);
      })
      .forEach(function (other) {
        var index = parseInt(other.dataset.index, 10);
        reindex(other, prefix, index, index - 1);
      });
    total.value = String(parseInt(total.value, 10) - 1);
    refresh(group);
    var left = rowsOf(group);
    var neighbour = left[Math.min(place, left.length - 1)];
    var focus = neighbour ? firstField(neighbour) : group.querySelector("[data-part-add]");
    if (focus) {
      focus.focus();
    }
    say(group, rowName(group) + " removed.");
  }

  function move(group, row, direction) {
    var rows = rowsOf(group);
    var place = rows.indexOf(row);
    var target = direction === "up" ? place - 1 : place + 1;
    if (target < 0 || target >= rows.length) {
      return;
    }
    var container = row.parentNode;
    if (direction === "up") {
      container.insertBefore(row, rows[target]);
    } else {
      container.insertBefore(row, rows[target].nextSibling);
    }
    renumberOrder(group);
    refresh(group);
    var again = row.querySelector('[data-part-move="' + direction + '"]');
    var other = row.querySelector('[data-part-move="' + (direction === "up" ? "down" : "up") + '"]');
    (again.disabled ? other : again).focus();
    say(group, rowName(group) + " moved to place " + (target + 1) + " of " + rows.length + ".");
  }

  function setUp(group) {
    var addButton = group.querySelector("[data-part-add]");
    addButton.hidden = false;
    showControls(group.querySelector("[data-part-rows]"));
    group.querySelector('[data-part-help="static"]').hidden = true;
    group.querySelector('[data-part-help="script"]').hidden = false;

    addButton.addEventListener("click", function () {
      add(group);
    });
    group.querySelector("[data-part-rows]").addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      var row = button.closest("[data-part-row]");
      if (button.matches("[data-part-remove]")) {
        remove(group, row);
      } else if (button.matches("[data-part-move]")) {
        move(group, row, button.dataset.partMove);
      }
    });
    if (group.hasAttribute("data-orderable")) {
      group.querySelector("[data-part-rows]").addEventListener("change", function (event) {
        var row = event.target.closest("[data-part-row]");
        if (row && !event.target.matches("[data-part-order]")) {
          fillMissingOrder(group, row);
        }
      });
    }
    refresh(group);
  }

  document.querySelectorAll("[data-parts]").forEach(setUp);
})();
