/* Suggestions while typing in the search box: an ARIA 1.2 combobox with a listbox.
 *
 * Progressive enhancement only: without this file (or without fetch) the box is a
 * plain search field and the form works as before. Suggestions come from the
 * OpenSearch endpoint named in the input's data-suggest attribute and are put
 * on the page as text (textContent), never as markup.
 */
(function () {
  "use strict";

  // Wait this long after the last keystroke before asking: fast typists send
  // one request per pause, not one per key.
  var DEBOUNCE_MS = 120;
  // The server answers for two characters or more.
  var MIN_CHARS = 2;
  var MAX_SHOWN = 8;

  var input = document.querySelector("input[data-suggest]");
  if (!input || !input.form || !window.fetch || !window.AbortController) {
    return;
  }
  var form = input.form;
  var endpoint = input.getAttribute("data-suggest");

  var list = document.createElement("ul");
  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  input.parentNode.appendChild(list);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var timer = 0;
  var pending = null; // AbortController of the request in flight
  var options = [];
  var active = -1;

  function isOpen() {
    return !list.hidden;
  }

  function open() {
    if (options.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    highlight(-1);
  }

  function highlight(index) {
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (index >= 0) {
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Where each shown suggestion leads: an article's address for a headline
  // (choosing it opens the article), "" for words to search for.
  var links = [];

  function render(words, kinds, urls) {
    highlight(-1);
    list.textContent = "";
    links = urls || [];
    options = words.map(function (word, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.className = "suggestion-text";
      label.textContent = word;
      option.appendChild(label);
      var kind = kinds && kinds[i];
      if (kind) {
        option.className = links[i] ? "suggestion-article" : "suggestion-name";
        var note = document.createElement("span");
        note.className = "suggestion-kind";
        note.textContent = " " + kind;
        option.appendChild(note);
      }
      // Keep the focus in the box while the mouse is down on an option.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        pick(i);
      });
      list.appendChild(option);
      return option;
    });
    if (options.length) {
      open();
    } else {
      close();
    }
  }

  function pick(index) {
    var link = links[index];
    if (link && link.charAt(0) === "/") {
      close();
      window.location.assign(link); // a headline opens its article
      return;
    }
    input.value = options[index].querySelector(".suggestion-text").textContent;
    close();
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function ask() {
    var text = input.value;
    if (pending) {
      pending.abort(); // a stale answer must not replace a newer one
      pending = null;
    }
    if (text.trim().length < MIN_CHARS) {
      render([]);
      return;
    }
    var controller = new AbortController();
    pending = controller;
    fetch(endpoint + "?q=" + encodeURIComponent(text), {
      signal: controller.signal,
      headers: { Accept: "application/x-suggestions+json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : [text, []];
      })
      .then(function (data) {
        if (pending === controller) {
          pending = null;
        }
        if (input.value !== text || document.activeElement !== input) {
          return;
        }
        var words = Array.isArray(data) && Array.isArray(data[1]) ? data[1] : [];
        var kinds = Array.isArray(data[2]) ? data[2].map(String) : [];
        var urls = Array.isArray(data[3]) ? data[3].map(String) : [];
        render(words.slice(0, MAX_SHOWN).map(String), kinds, urls);
      })
      .catch(function () {
        // Aborted, offline or a bad answer: the plain box still works.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (event) {
    if (event.isComposing) {
      return; // the keys belong to an input method composing a character
    }
    if (event.key === "ArrowDown") {
      if (!options.length) {
        return;
      }
      event.preventDefault();
      if (!isOpen()) {
        open();
        highlight(0);
      } else {
        highlight(active + 1 < options.length ? active + 1 : 0);
      }
    } else if (event.key === "ArrowUp") {
      if (!isOpen()) {
        return;
      }
      event.preventDefault();
      highlight(active > 0 ? active - 1 : options.length - 1);
    } else if (event.key === "Enter") {
      if (isOpen() && active >= 0) {
        event.preventDefault();
        pick(active);
      }
    } else if (event.key === "Escape") {
      if (isOpen()) {
        event.preventDefault(); // keep the typed text (a search field clears on Escape)
        close();
      }
    }
  });

  input.addEventListener("blur", close);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    if (pending) {
      pending.abort();
    }
    close();
  });
})();
