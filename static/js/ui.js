// Phones: the main navigation starts closed behind its menu button (a <details>
// element, open in the HTML so it works without this script); desktops keep it open.
(function () {
  var menu = document.querySelector(".ui-menu");
  if (!menu || !window.matchMedia) return;
  var phone = window.matchMedia("(max-width: 40rem)");
  function fit() { menu.open = !phone.matches; }
  fit();
  if (phone.addEventListener) phone.addEventListener("change", fit);
  // A table that scrolls sideways can be scrolled from the keyboard.
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-wrap") || table.hasAttribute("tabindex")) return;
    if (table.scrollWidth > table.clientWidth + 1) {
      table.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      if (caption && caption.textContent.trim()) table.setAttribute("aria-label", caption.textContent.trim());
    }
  });
})();
