/* The behaviour every page shares. A static file, because the Content-Security-Policy
   forbids inline scripts and event-handler attributes: pages ask for behaviour with data-*
   attributes instead (data-autosubmit, data-confirm, data-print, data-kind-switch).

   Refusals: htmx 2 swaps nothing for a 4xx/5xx answer. 409 and 422 answers carry the part
   of the page with the refusal in it, and the htmx-config meta tag (templates/base.html)
   lets them swap; every other error answer is caught here and its Vietnamese message (the
   element marked data-refusal on the error page) is shown next to what the user acted on,
   with the focus moved to it. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var FALLBACK = {
    0: "Không kết nối được với máy chủ. Kiểm tra kết nối mạng rồi thử lại.",
    400: "Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy nội dung này: có thể người khác vừa xóa hoặc thay đổi. Vui lòng tải lại trang.",
    500: "Máy chủ gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; vui lòng thử lại sau."
  };

  function refusalText(status, body) {
    var text = "";
    if (body) {
      try {
        var doc = new DOMParser().parseFromString(body, "text/html");
        var marked = doc.querySelector("[data-refusal]");
        if (marked) {
          text = marked.textContent.replace(/\s+/g, " ").trim();
        }
      } catch (e) {
        text = "";
      }
    }
    if (!text) {
      text = FALLBACK[status] || (status >= 500 ? FALLBACK[500] : FALLBACK[400]);
    }
    return text;
  }

  function focusBox(box) {
    if (!box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "-1");
    }
    box.focus();
    if (box.scrollIntoView) {
      box.scrollIntoView({ block: "nearest" });
    }
  }

  /* Show `text` as an alert right before the element the user acted on (or at the top of
     the page when that element is gone), replacing an earlier refusal there. */
  function showRefusal(elt, text) {
    var anchor = elt && elt.isConnected ? elt : null;
    if (anchor && anchor.tagName !== "FORM" && anchor.form) {
      anchor = anchor.form;
    }
    var main = document.getElementById("main");
    var parent = anchor ? anchor.parentNode : main;
    var old = parent.querySelectorAll(":scope > .refusal");
    for (var i = 0; i < old.length; i++) {
      old[i].remove();
    }
    var box = document.createElement("div");
    box.className = "refusal";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    var reload = document.createElement("button");
    reload.type = "button";
    reload.className = "link-button";
    reload.textContent = "Tải lại trang";
    reload.addEventListener("click", function () {
      window.location.reload();
    });
    box.appendChild(reload);
    if (anchor) {
      parent.insertBefore(box, anchor);
    } else {
      main.insertBefore(box, main.firstChild);
    }
    focusBox(box);
  }

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    showRefusal(evt.detail.elt, refusalText(xhr.status, xhr.responseText));
  });

  document.addEventListener("htmx:sendError", function (evt) {
    showRefusal(evt.detail.elt, FALLBACK[0]);
  });

  /* After a swap, the element that had the focus is usually gone: move it to the refusal
     or the confirmation the new content carries, so a keyboard or screen-reader user hears
     what happened and carries on from there. */
  document.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (!target || !target.querySelector) {
      return;
    }
    var alert = target.querySelector("[role=alert]");
    if (alert) {
      focusBox(alert);
      return;
    }
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      var status = target.querySelector("[role=status]");
      if (status) {
        focusBox(status);
      }
    }
  });

  /* A <select data-autosubmit> submits its form when changed (through htmx when the form
     has hx-post). */
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit();
    }
  });

  /* A plain form with data-confirm asks first (htmx forms use hx-confirm). */
  document.addEventListener(
    "submit",
    function (evt) {
      var form = evt.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !form.hasAttribute("hx-post") && !window.confirm(question)) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-print]") : null;
    if (el) {
      evt.preventDefault();
      window.print();
    }
  });

  /* The collapsible menu of narrow screens. */
  function setupMenu() {
    var button = document.querySelector(".menu-toggle");
    var bar = document.getElementById("topbar");
    if (!button || !bar) {
      return;
    }
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && bar.classList.contains("open")) {
        bar.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  /* A form with a [data-kind-switch] select shows only the fieldsets whose data-kinds
     names the selected value: each document asks only what it needs. Hidden fields are
     disabled so that they are not sent. */
  function setupKindSwitch() {
    var selects = document.querySelectorAll("[data-kind-switch]");
    Array.prototype.forEach.call(selects, function (select) {
      var form = select.form;
      function apply() {
        var sets = form.querySelectorAll("[data-kinds]");
        Array.prototype.forEach.call(sets, function (set) {
          var kinds = set.getAttribute("data-kinds").split(" ");
          var show = kinds.indexOf(select.value) !== -1;
          set.hidden = !show;
          set.disabled = !show;
        });
      }
      select.addEventListener("change", apply);
      apply();
    });
  }

  /* A table marked "stack" becomes one card per row on a phone (static/css/app.css); each
     cell shows its column's name, taken here from the table's header where the template
     did not write a data-label. */
  function labelStackedTables(root) {
    var tables = (root || document).querySelectorAll("table.stack");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) {
        return;
      }
      var names = Array.prototype.map.call(heads, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var span = cell.colSpan || 1;
            if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && span === 1 && names[col]) {
              cell.setAttribute("data-label", names[col]);
            }
            col += span;
          });
        });
      });
    });
  }

  document.addEventListener("htmx:afterSettle", function (evt) {
    labelStackedTables(evt.detail.elt);
  });

  function ready() {
    setupMenu();
    setupKindSwitch();
    labelStackedTables(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
