// Live budget meter for approval-within-budget ballots. Progressive enhancement:
// the server checks the same limits, and without JavaScript the meter shows the
// total of the last submitted choices.
(function () {
  "use strict";
  var box = document.querySelector(".budget-meter");
  if (!box) return;
  var meter = box.querySelector("meter");
  var text = box.querySelector("[role=status]");
  var budget = Number(box.dataset.budget);
  var lang = document.documentElement.lang || "fi";
  var euros = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR" });
  var boxes = document.querySelectorAll("input[type=checkbox][data-cost]");
  // Only announce when the total changes: a polite status, not on every keypress.
  var lastText = text.textContent;

  function update() {
    var used = 0;
    boxes.forEach(function (input) {
      if (input.checked) used += Number(input.dataset.cost);
    });
    var template = used > budget ? box.dataset.over : box.dataset.template;
    var message = template
      .replace("{used}", euros.format(used))
      .replace("{budget}", euros.format(budget));
    meter.value = Math.min(used, budget);
    box.classList.toggle("over-budget", used > budget);
    if (message !== lastText) {
      text.textContent = message;
      lastText = message;
    }
  }

  boxes.forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
})();
