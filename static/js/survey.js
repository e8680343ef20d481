// Progressive enhancement for questionnaires: show a conditional question only when
// the answer it depends on is chosen. Without JavaScript every question is shown with
// a hint, and the server drops answers to questions that do not apply.
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-show-if]");
  if (!blocks.length) { return; }

  function chosenValues(itemId) {
    var inputs = document.querySelectorAll('[name="q' + itemId + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update() {
    blocks.forEach(function (block) {
      var source = block.getAttribute("data-show-if");
      if (!document.querySelector('[name="q' + source + '"]')) { return; }
      var wanted = block.getAttribute("data-show-values").split(" ");
      var show = chosenValues(source).some(function (v) { return wanted.indexOf(v) !== -1; });
      block.hidden = !show;
      var hint = document.querySelector('[data-condition-for="' + block.getAttribute("data-item") + '"]');
      if (hint) { hint.hidden = true; }
    });
  }

  document.addEventListener("change", update);
  update();
})();
