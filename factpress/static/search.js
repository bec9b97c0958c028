// Search page: Pagefind's UI, reading ?q= from the address so searches can be linked.
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
  });
  // Pagefind's input is named only by its title attribute; the page heading labels it (axe: label-title-only).
  var input = root.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-title");
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
