/* NSP Planner — progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* Tabs: a list of in-page links to sections becomes ARIA tabs (arrow keys, Home/End). */
  function setUpTabs(root) {
    root.querySelectorAll("[data-tabs]:not([data-tabs-ready])").forEach(function (container) {
      var list = container.querySelector(".tabs__list");
      if (!list) return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a[href^='#']"));
      var tabs = [];
      var panels = [];
      list.setAttribute("role", "tablist");
      links.forEach(function (link) {
        var panel = document.getElementById(link.getAttribute("href").slice(1));
        if (!panel) return;
        var item = link.parentElement;
        if (item && item.tagName === "LI") item.setAttribute("role", "presentation");
        link.setAttribute("role", "tab");
        link.id = link.id || "tab-" + panel.id;
        link.setAttribute("aria-controls", panel.id);
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", link.id);
        panel.setAttribute("tabindex", "0");
        tabs.push(link);
        panels.push(panel);
      });
      if (!tabs.length) return;
      container.setAttribute("data-tabs-ready", "");

      function select(index, focus, updateHash) {
        tabs.forEach(function (tab, i) {
          var selected = i === index;
          tab.setAttribute("aria-selected", selected ? "true" : "false");
          tab.setAttribute("tabindex", selected ? "0" : "-1");
          panels[i].hidden = !selected;
        });
        if (focus) tabs[index].focus();
        if (updateHash && history.replaceState) history.replaceState(null, "", "#" + panels[index].id);
      }

      tabs.forEach(function (tab, i) {
        tab.addEventListener("click", function (event) {
          event.preventDefault();
          select(i, false, true);
        });
        tab.addEventListener("keydown", function (event) {
          var next = null;
          if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (i + 1) % tabs.length;
          else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (i - 1 + tabs.length) % tabs.length;
          else if (event.key === "Home") next = 0;
          else if (event.key === "End") next = tabs.length - 1;
          if (next !== null) {
            event.preventDefault();
            select(next, true, true);
          }
        });
      });

      // Open the tab named in the address, or the one holding the addressed element (e.g. #comment-12).
      var start = 0;
      if (location.hash) {
        var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        panels.forEach(function (panel, i) {
          if (target && (panel === target || panel.contains(target))) start = i;
        });
      }
      select(start, false, false);
    });
  }

  /* After an htmx swap: focus the first error, else the element marked data-focus-after-swap. */
  function focusAfterSwap(target) {
    var invalid = target.querySelector("[aria-invalid='true'], .error-summary");
    var marked = target.querySelector("[data-focus-after-swap]");
    var element = invalid || marked;
    if (!element) return;
    if (!element.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* A data grid (table[data-grid], the coverage matrix): one Tab stop; arrow keys move between the links of the
     cells, Home/End to the row's ends, Ctrl+Home/End to the corners. Without this script every link is a Tab stop. */
  function setUpGrids(root) {
    root.querySelectorAll("table[data-grid]:not([data-grid-ready])").forEach(function (table) {
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var grid = rows.map(function (row) {
        return Array.prototype.slice.call(row.querySelectorAll("th > a, td > a"));
      });
      if (!grid.length || !grid[0].length) return;
      table.setAttribute("data-grid-ready", "");
      grid.forEach(function (links) {
        links.forEach(function (link) { link.setAttribute("tabindex", "-1"); });
      });
      grid[0][0].setAttribute("tabindex", "0");
      function move(r, c) {
        r = Math.max(0, Math.min(grid.length - 1, r));
        c = Math.max(0, Math.min(grid[r].length - 1, c));
        table.querySelectorAll("a[tabindex='0']").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
        grid[r][c].setAttribute("tabindex", "0");
        grid[r][c].focus();
      }
      grid.forEach(function (links, r) {
        links.forEach(function (link, c) {
          link.addEventListener("keydown", function (event) {
            var keys = {
              ArrowRight: [r, c + 1], ArrowLeft: [r, c - 1], ArrowDown: [r + 1, c], ArrowUp: [r - 1, c],
              Home: event.ctrlKey ? [0, 0] : [r, 0],
              End: event.ctrlKey ? [grid.length - 1, links.length - 1] : [r, links.length - 1]
            };
            var to = keys[event.key];
            if (!to) return;
            event.preventDefault();
            move(to[0], to[1]);
          });
        });
      });
    });
  }

  /* The quarter grid (form[data-quarter-grid]): Enter moves to the next value (Shift+Enter to the previous; from the
     last, to the save button); a pasted spreadsheet column (lines, optionally "value<Tab>note") fills this cell and
     the ones below. Without this script Enter submits the form, which the server checks as a whole. */
  function setUpQuarterGrid(root) {
    root.querySelectorAll("form[data-quarter-grid]:not([data-grid-ready])").forEach(function (form) {
      form.setAttribute("data-grid-ready", "");
      var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-grid-value]"));
      var submit = form.querySelector("[data-grid-submit]");
      function noteOf(input) {
        return form.querySelector("input[data-grid-note='" + input.id.replace(/^value-/, "") + "']");
      }
      function go(index) {
        var target = inputs[index];
        if (target) {
          target.focus();
          target.select();
        } else if (index >= inputs.length && submit) {
          submit.focus();
        }
      }
      inputs.forEach(function (input, i) {
        input.addEventListener("keydown", function (event) {
          if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey) return;
          event.preventDefault();
          go(event.shiftKey ? Math.max(0, i - 1) : i + 1);
        });
        input.addEventListener("paste", function (event) {
          var data = (event.clipboardData || window.clipboardData);
          var text = data ? data.getData("text") : "";
          var lines = text.replace(/\r/g, "").split("\n");
          while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
          if (lines.length < 2 && text.indexOf("\t") < 0) return;
          event.preventDefault();
          var filled = 0;
          lines.forEach(function (line, k) {
            var cell = inputs[i + k];
            if (!cell) return;
            var parts = line.split("\t");
            cell.value = parts[0].trim();
            var note = noteOf(cell);
            if (note && parts.length > 1) note.value = parts[1].trim();
            filled += 1;
          });
          announce((form.getAttribute("data-filled-message") || "") + " " + filled);
          go(Math.min(i + filled, inputs.length - 1));
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTabs(document);
    setUpGrids(document);
    setUpQuarterGrid(document);
    setUpToolbars(document);
    setUpDrag(document);
  });

  /* The plan's tree built in place (templates/includes/tree_form.html): a form opened in a row takes the focus on
     its first field; Cancel or Escape closes it and gives the focus back to the link that opened it. */
  var treeOpener = null;
  function setUpTreeForm(target) {
    var form = target.matches && target.matches("form.tree__form") ? target : target.querySelector("form.tree__form");
    if (!form || form.querySelector(".error-summary")) return;
    var field = form.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  }
  function closeTreeForm(form) {
    form.remove();
    if (treeOpener && treeOpener.isConnected) treeOpener.focus();
  }
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-tree-cancel]");
    if (cancel) closeTreeForm(cancel.closest("form"));
    var opener = event.target.closest && event.target.closest(".tree-editor [hx-get]");
    if (opener) treeOpener = opener;
  });
  // Alt+Arrow keys on a row of the tree (its title or one of its tools): the row's move buttons.
  var treeKeys = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "indent", ArrowLeft: "outdent" };
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || !treeKeys[event.key] || !event.target.closest) return;
    if (!event.target.closest(".tree-editor") || event.target.closest("form.tree__form")) return;
    var row = event.target.closest("li[id^='objective-']");
    var button = row && row.querySelector(":scope > .tree__tools .tree__moves button[value='" + treeKeys[event.key] + "']");
    if (!button) return;
    event.preventDefault();
    button.click();
  });
  /* A row's tools (div[data-toolbar]) become one WAI-ARIA toolbar: one Tab stop, Left/Right/Home/End between its
     links and buttons; the last one used keeps the stop. Without this script each of them is a Tab stop. */
  function toolbarItems(toolbar) {
    return Array.prototype.slice.call(toolbar.querySelectorAll("a[href], button:not([disabled])"));
  }
  function setUpToolbars(root) {
    root.querySelectorAll("[data-toolbar]:not([data-toolbar-ready])").forEach(function (toolbar) {
      var items = toolbarItems(toolbar);
      if (!items.length) return;
      toolbar.setAttribute("data-toolbar-ready", "");
      toolbar.setAttribute("role", "toolbar");
      items.forEach(function (item, i) { item.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
    });
  }
  document.addEventListener("focusin", function (event) {
    var toolbar = event.target.closest && event.target.closest("[data-toolbar-ready]");
    if (!toolbar) return;
    toolbarItems(toolbar).forEach(function (item) {
      item.setAttribute("tabindex", item === event.target ? "0" : "-1");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !event.target.closest) return;
    var toolbar = event.target.closest("[data-toolbar-ready]");
    if (!toolbar) return;
    var items = toolbarItems(toolbar);
    var i = items.indexOf(event.target);
    if (i < 0) return;
    var to = { ArrowRight: (i + 1) % items.length, ArrowLeft: (i - 1 + items.length) % items.length,
      Home: 0, End: items.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    items[to].focus();
  });

  /* Dragging a row of the tree onto another: before it (its top quarter), after it (its bottom quarter) or into it
     (the middle, as its last sub-objective; not into an operational one). The drop posts parent + position to the
     dragged row's place URL (services.objective_place, with the tree's version); the tree comes back in place.
     Keyboard users have the move buttons and Alt+Arrow keys, which do the same. */
  var dragged = null;
  var drop = null;
  function rowOf(element) {
    var item = element && element.closest && element.closest(".tree-editor .tree__item");
    return item ? item.parentElement : null;
  }
  function parentRow(row) {
    var list = row.parentElement;
    return list && list.parentElement && list.parentElement.matches("li[id^='objective-']") ? list.parentElement : null;
  }
  function childRows(list) {
    return Array.prototype.slice.call(list ? list.children : []).filter(function (li) {
      return li.matches("li[id^='objective-']") && li !== dragged;
    });
  }
  function clearDrop() {
    document.querySelectorAll(".is-drop-before, .is-drop-after, .is-drop-inside").forEach(function (item) {
      item.classList.remove("is-drop-before", "is-drop-after", "is-drop-inside");
    });
    drop = null;
  }
  function setUpDrag(root) {
    root.querySelectorAll(".tree-editor li[data-place-url] > .tree__item:not([draggable])").forEach(function (item) {
      item.setAttribute("draggable", "true");
      var tree = item.closest(".tree-editor");
      if (tree && tree.getAttribute("data-drop-hint")) item.setAttribute("title", tree.getAttribute("data-drop-hint"));
    });
  }
  document.addEventListener("dragstart", function (event) {
    var row = rowOf(event.target);
    if (!row || !row.hasAttribute("data-place-url")) return;
    dragged = row;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.id);
    row.querySelector(":scope > .tree__item").classList.add("is-dragged");
  });
  document.addEventListener("dragover", function (event) {
    var row = dragged && rowOf(event.target);
    if (!row || row === dragged || dragged.contains(row)) return;
    var item = row.querySelector(":scope > .tree__item");
    var box = item.getBoundingClientRect();
    var y = (event.clientY - box.top) / (box.height || 1);
    var into = row.getAttribute("data-level") !== "operational";
    var where = into ? (y < 0.25 ? "before" : y > 0.75 ? "after" : "inside") : (y < 0.5 ? "before" : "after");
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (drop && drop.row === row && drop.where === where) return;
    clearDrop();
    drop = { row: row, where: where };
    item.classList.add("is-drop-" + where);
  });
  document.addEventListener("dragend", function () {
    if (dragged) {
      var item = dragged.querySelector(":scope > .tree__item");
      if (item) item.classList.remove("is-dragged");
    }
    dragged = null;
    clearDrop();
  });
  document.addEventListener("drop", function (event) {
    if (!dragged || !drop) return;
    event.preventDefault();
    var row = drop.row;
    var parent, position;
    if (drop.where === "inside") {
      parent = row;
      position = childRows(row.querySelector(":scope > ul")).length;
    } else {
      parent = parentRow(row);
      position = childRows(row.parentElement).indexOf(row) + (drop.where === "after" ? 1 : 0);
    }
    var tree = row.closest(".tree-editor");
    var values = {
      parent: parent ? parent.id.replace("objective-", "") : "",
      position: String(position),
      tree: tree ? tree.getAttribute("data-tree-version") || "" : ""
    };
    var url = dragged.getAttribute("data-place-url");
    dragged.querySelector(":scope > .tree__item").classList.remove("is-dragged");
    dragged = null;
    clearDrop();
    if (window.htmx) {
      window.htmx.ajax("POST", url, { source: tree, target: "#objective-tree", swap: "outerHTML", values: values });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest("form.tree__form");
    if (form) closeTreeForm(form);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap replaced the target: work on its successor, found by id.
    if (!target.isConnected && target.id) target = document.getElementById(target.id) || target;
    setUpTabs(target);
    setUpGrids(target);
    setUpToolbars(target);
    setUpDrag(target);
    focusAfterSwap(target);
    var status = target.querySelector("[data-announce]");
    if (status) announce(status.getAttribute("data-announce"));
  });

  // A form opened in the tree takes the focus once htmx has processed it (settled), so Enter posts it by htmx.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.isConnected) setUpTreeForm(target);
  });

  // A boosted navigation lands focus on the new page's heading, as a full page load would for a reader.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.boosted) return;
    var heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
