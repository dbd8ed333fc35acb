/* Draw the charts of an analytics page from the JSON beside each table.
   Without JavaScript the figures stay hidden and the tables say everything. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  // Colours with at least 3:1 contrast against white, told apart by more than hue.
  var COLOURS = ["#0b5cad", "#b3541e", "#2e7d32", "#6a1b9a", "#555555", "#00838f"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 1], [4, 4]];

  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var line = spec.type === "line";
    var datasets = spec.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: line ? DASHES[i % DASHES.length] : [],
        pointStyle: ["circle", "rect", "triangle", "rectRot", "cross", "star"][i % 6],
        spanGaps: false,
      };
    });
    figure.hidden = false;
    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(figure.querySelector("canvas"), {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: {
          x: { stacked: !!spec.stacked },
          y: {
            stacked: !!spec.stacked,
            beginAtZero: true,
            ticks: spec.percent ? { callback: function (v) { return v + " %"; } } : {},
          },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  });
})();
