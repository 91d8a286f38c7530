/* TalentMatch page behaviour: menu toggle, confirm buttons, skill search, formset rows.
   Every page works without this file; it only makes things quicker. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function initNav() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  /* Skill search: <input data-skill-search="/skills/search.json" data-code-input="id-of-hidden" data-languages="1"> */
  function initSkillSearch(input) {
    if (input.dataset.acReady) return;
    input.dataset.acReady = "1";
    var url = input.getAttribute("data-skill-search");
    var codeInput = input.getAttribute("data-code-input") ? document.getElementById(input.getAttribute("data-code-input")) : null;
    var wrap = document.createElement("div");
    wrap.className = "ac-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.className = "ac-list";
    list.hidden = true;
    list.setAttribute("role", "listbox");
    list.id = (input.id || "skill") + "-options";
    wrap.appendChild(list);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, items = [], active = -1, lastQuery = null, controller = null;

    function close() {
      list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false");
    }
    function choose(item) {
      input.value = item.label;
      if (codeInput) codeInput.value = item.code;
      close();
      input.dispatchEvent(new CustomEvent("skill:chosen", { detail: item, bubbles: true }));
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        var main = document.createElement("span");
        main.textContent = item.label;
        var other = document.createElement("span");
        other.className = "ac-other";
        other.textContent = item.other_label || item.category;
        li.appendChild(main); li.appendChild(other);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function search() {
      var q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (!q) { items = []; render(); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var params = "?q=" + encodeURIComponent(q) + "&limit=10";
      if (input.getAttribute("data-languages")) params += "&languages=" + input.getAttribute("data-languages");
      fetch(url + params, { headers: { "Accept": "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { items = data.results || []; active = -1; render(); })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      if (codeInput) codeInput.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); render(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { choose(items[active]); e.preventDefault(); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function initSkillSearches(root) {
    root.querySelectorAll("input[data-skill-search]").forEach(initSkillSearch);
  }

  /* Django formsets: <div data-formset="prefix"> with a <template> holding the empty form and a [data-add-row] button. */
  function initFormset(box) {
    var prefix = box.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = box.querySelector("template");
    var rows = box.querySelector(".rows");
    var add = box.querySelector("[data-add-row]");
    if (!total || !template || !rows || !add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      initSkillSearches(row);
      initDeleteToggles(row);
      var first = row.querySelector("input[type=text], select");
      if (first) first.focus();
    });
    initDeleteToggles(box);
  }

  function initDeleteToggles(root) {
    root.querySelectorAll("input[type=checkbox][name$='-DELETE']").forEach(function (box) {
      var row = box.closest(".req-row");
      if (!row) return;
      box.addEventListener("change", function () { row.classList.toggle("is-deleted", box.checked); });
    });
  }

  /* Filter panels start folded on phones unless a filter is active. */
  function initCollapsibles() {
    if (!window.matchMedia("(max-width: 759px)").matches) return;
    document.querySelectorAll("details[data-collapse-small]").forEach(function (d) { d.open = false; });
  }

  onReady(function () {
    initNav();
    initCollapsibles();
    initConfirm(document);
    initSkillSearches(document);
    document.querySelectorAll("[data-formset]").forEach(initFormset);
  });
})();
