/* Live total of a column of a formset (the rubric's points). The page shows the
   total from the server without this script; this only keeps it current while typing. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-total-field]").forEach(function (form) {
    var field = form.getAttribute("data-total-field");
    var output = document.getElementById(form.getAttribute("data-total-target"));
    if (!output) { return; }
    var hint = output.parentNode.querySelector(".rubric-total-hint");
    function update() {
      var total = 0;
      form.querySelectorAll("input[name$='-" + field + "']").forEach(function (input) {
        var prefix = input.name.slice(0, -field.length);
        var del = form.querySelector("input[name='" + prefix + "DELETE']");
        if (del && del.checked) { return; }
        var value = parseFloat(input.value.replace(",", "."));
        if (isFinite(value)) { total += value; }
      });
      total = Math.round(total * 100) / 100;
      output.textContent = String(total);
      output.classList.toggle("off", total !== 100);
      if (hint) { hint.hidden = total === 100; }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });
})();
