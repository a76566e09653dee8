// The report's one script: the filters of a graph page. A claim is shown
// when it passes every filter; an entity when an edge leads from it to a
// shown claim (through conduits too); an edge when both its ends are shown.
// It reads the data-* attributes the pages carry and writes no markup.
"use strict";
(function () {
  const form = document.getElementById("graph-filters");
  const svg = document.querySelector("svg.graph");
  if (!form || !svg) return;
  const claims = Array.from(svg.querySelectorAll(".claim-node"));
  const entities = Array.from(svg.querySelectorAll(".entity-node"));
  const edges = Array.from(svg.querySelectorAll("path[data-a]"));
  const count = document.getElementById("graph-count");
  const words = (value) => (value ? value.split(" ") : []);

  function passes(claim, wanted) {
    const data = claim.dataset;
    if (wanted.entity && !words(data.entities).includes(wanted.entity)) return false;
    if (wanted.kind && !words(data.kinds).includes(wanted.kind)) return false;
    if (wanted.outlet && data.outlet !== wanted.outlet) return false;
    if ((wanted.from || wanted.to) && !data.date) return false;
    if (wanted.from && data.date < wanted.from) return false;
    if (wanted.to && data.date > wanted.to) return false;
    return true;
  }

  function apply() {
    const wanted = {
      entity: form.elements.entity.value,
      kind: form.elements.kind.value,
      outlet: form.elements.outlet.value,
      from: form.elements.from.value,
      to: form.elements.to.value,
    };
    const shown = new Set();
    for (const claim of claims) {
      if (passes(claim, wanted)) shown.add(claim.id);
    }
    // Entities reach claims through chains of conduits: walk edges
    // backwards until nothing more is shown.
    let grew = true;
    while (grew) {
      grew = false;
      for (const edge of edges) {
        const from = edge.dataset.a;
        if (shown.has(edge.dataset.b) && !shown.has(from) && document.getElementById(from).classList.contains("entity-node")) {
          shown.add(from);
          grew = true;
        }
      }
    }
    for (const node of claims.concat(entities)) node.style.display = shown.has(node.id) ? "" : "none";
    for (const edge of edges) {
      edge.style.display = shown.has(edge.dataset.a) && shown.has(edge.dataset.b) ? "" : "none";
    }
    const visible = claims.filter((claim) => shown.has(claim.id)).length;
    count.textContent = visible + " of " + claims.length + " claims shown.";
  }

  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("reset", () => setTimeout(apply, 0));
  form.addEventListener("submit", (event) => event.preventDefault());
})();
