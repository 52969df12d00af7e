// Highlight the span a link points at (#span-START-END) in an article's text, and bring
// it into view. Reading works without this file: the anchor still scrolls to the start.
(function () {
  "use strict";
  function highlight() {
    var match = /^#span-(\d+)-(\d+)$/.exec(window.location.hash);
    var text = document.getElementById("article-text");
    if (!text) { return; }
    var old = text.querySelectorAll(".seg.hl");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("hl"); }
    if (!match) { return; }
    var start = parseInt(match[1], 10), end = parseInt(match[2], 10);
    var first = null;
    var segs = text.querySelectorAll(".seg");
    for (var j = 0; j < segs.length; j++) {
      var s = parseInt(segs[j].getAttribute("data-s"), 10);
      var e = parseInt(segs[j].getAttribute("data-e"), 10);
      if (s < end && e > start) {
        segs[j].classList.add("hl");
        if (first === null) { first = segs[j]; }
      }
    }
    if (first !== null) {
      text.classList.add("has-hl");
      first.scrollIntoView({block: "center"});
    }
  }
  window.addEventListener("hashchange", highlight);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
})();
