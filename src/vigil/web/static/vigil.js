// Vigil dashboard behaviour: keyboard shortcuts and reveal-on-click media. Served as a file from
// Vigil itself (the Content-Security-Policy allows no inline script). It never builds HTML from
// strings: it only toggles classes, focuses fields, checks radios and follows links already on the page.
"use strict";

(function () {
  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) window.location.assign(link.href);
  }

  function choose(verdict) {
    var radio = document.querySelector('#decide input[name="verdict"][value="' + verdict + '"]');
    var reason = document.getElementById("reason");
    if (!radio || !reason) return;
    radio.checked = true;
    reason.focus();
  }

  function toggleMedia(button) {
    var revealed = button.classList.toggle("revealed");
    button.classList.toggle("blurred", !revealed);
    button.setAttribute("aria-pressed", revealed ? "true" : "false");
  }

  function toggleHelp(show) {
    var help = document.getElementById("help");
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  var pendingG = false;

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (typing(event.target)) event.target.blur();
      toggleHelp(false);
      return;
    }
    if (typing(event.target)) return;
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (key === "q") { window.location.assign("/ui/queue"); return; }
      if (key === "o") { window.location.assign("/ui/"); return; }
      if (key === "s") { window.location.assign("/ui/search"); return; }
    }
    switch (key) {
      case "?": toggleHelp(); break;
      case "g": pendingG = true; return;
      case "/": {
        var q = document.getElementById("q");
        if (q) q.focus(); else window.location.assign("/ui/search");
        break;
      }
      case "j": follow("next-case"); break;
      case "k": follow("prev-case"); break;
      case "c": choose("confirm"); break;
      case "o": choose("overturn"); break;
      case "e": choose("escalate"); break;
      case "m": document.querySelectorAll("button.media").forEach(toggleMedia); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.media") : null;
    if (button) toggleMedia(button);
  });
})();
