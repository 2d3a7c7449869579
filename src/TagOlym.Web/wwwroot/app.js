(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const EXAMPLE = "How many ways can 5 people sit around a round table?\n\nTwo seatings are the same when one is a rotation of the other. " +
    "I think the answer is $\\frac{5!}{5} = 4! = 24$, but is there a way to see it with Burnside's lemma, $|X/G| = \\frac{1}{|G|}\\sum_{g \\in G} |X^g|$?";

  // The delimiters Math Stack Exchange renders; longer ones first, so that $$ is not read as two $.
  const ENVIRONMENTS = ["align", "align*", "equation", "equation*", "gather", "gather*", "multline", "multline*", "eqnarray", "eqnarray*", "cases", "matrix", "pmatrix", "bmatrix", "array"];
  const DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    ...ENVIRONMENTS.map((name) => ({ left: "\\begin{" + name + "}", right: "\\end{" + name + "}", display: true })),
    { left: "\\(", right: "\\)", display: false },
    { left: "$", right: "$", display: false },
  ];

  // The post is set as text (its markup is shown, never run); KaTeX then typesets the math in it. A formula KaTeX
  // cannot read stays as its source, in red, with the reason on hover, and the rest of the post still renders.
  function preview() {
    const target = $("preview");
    target.textContent = $("post").value;
    window.renderMathInElement(target, {
      delimiters: DELIMITERS,
      throwOnError: false,
      errorColor: "#b42318",
      ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"],
    });
  }

  // The words the service says raised a tag (lowercase forms of the post's words outside math) are marked in the
  // preview's text; typeset math (KaTeX's output, or a formula it could not read) is left alone.
  function highlight(words) {
    unhighlight();
    const wanted = new Set(words);
    const walker = document.createTreeWalker($("preview"), NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => node.parentElement.closest(".katex, .katex-error") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = node.data.split(/([A-Za-z0-9]+)/); // odd indices are the words, as the service cuts them
      if (!parts.some((part, i) => i % 2 === 1 && wanted.has(part.toLowerCase()))) continue;
      node.replaceWith(...parts.map((part, i) => i % 2 === 1 && wanted.has(part.toLowerCase())
        ? Object.assign(document.createElement("mark"), { className: "contributor", textContent: part })
        : part));
    }
  }

  function unhighlight() {
    const preview = $("preview");
    for (const mark of preview.querySelectorAll("mark.contributor")) mark.replaceWith(mark.textContent);
    preview.normalize();
  }

  function clearTags(text) {
    $("tags").replaceChildren(Object.assign(document.createElement("span"), { className: "muted", textContent: text }));
    $("scores").querySelector("tbody").replaceChildren();
    $("scores").hidden = true;
  }

  // "2026-11-30T19:28:44.4140396+00:00" as "2026-11-30 19:28 UTC"
  function readableTime(iso) {
    const time = new Date(String(iso).replace(/(\.\d{3})\d+/, "$1")); // .NET writes 7 fraction digits, Date takes 3
    return isNaN(time) ? iso : time.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function status(text, error) {
    $("status").textContent = text;
    $("status").className = error ? "error" : "";
  }

  async function loadModel() {
    try {
      const response = await fetch("model");
      if (!response.ok) { $("model").textContent = "model: not loaded yet (" + response.status + ")"; setTimeout(loadModel, 3000); return; }
      const m = await response.json();
      const f1 = m.testMetrics && m.testMetrics.overall ? ", test F1 " + m.testMetrics.overall.f1.toFixed(3) : "";
      $("model").textContent = "model: " + m.name + " " + m.version + " (" + m.labels.length + " labels, trained " + readableTime(m.trainedUtc) + f1 + ")";
    } catch (e) {
      $("model").textContent = "model: unreachable";
    }
  }

  function showTags(prediction) {
    const tags = $("tags");
    tags.replaceChildren();
    if (prediction.tags.length === 0) tags.appendChild(Object.assign(document.createElement("span"), { className: "muted", textContent: "no tag passes its threshold" }));
    prediction.tags.forEach((t, i) => {
      const chip = document.createElement("span");
      chip.className = "tag";
      chip.textContent = t.tag;
      const small = document.createElement("small");
      small.textContent = t.score.toFixed(3) + " > " + t.threshold.toFixed(3);
      chip.appendChild(small);
      const words = (prediction.explanations && prediction.explanations[i].words) || [];
      // focusable, so that keyboard users see the words too
      chip.tabIndex = 0;
      chip.title = words.length ? "words that raised it: " + words.join(", ") : "no single word of the text raised it";
      chip.addEventListener("mouseenter", () => highlight(words));
      chip.addEventListener("focus", () => highlight(words));
      chip.addEventListener("mouseleave", unhighlight);
      chip.addEventListener("blur", unhighlight);
      tags.appendChild(chip);
    });
    const table = $("scores");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    const rows = prediction.scores || prediction.tags;
    // scores are probabilities for a single linear model but standardized (any sign) for an ensemble: every bar
    // spans the range of this answer's scores and thresholds, and a tick marks the label's own threshold
    const ends = rows.flatMap(s => [s.score, s.threshold]);
    const low = Math.min(0, ...ends), span = (Math.max(...ends) - low) || 1;
    const at = v => ((v - low) / span) * 100 + "%";
    for (const s of rows) {
      const tr = document.createElement("tr");
      if (s.score > s.threshold) tr.className = "passed";
      const track = document.createElement("div");
      track.className = "track";
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.style.width = at(s.score);
      const tick = document.createElement("div");
      tick.className = "threshold-tick";
      tick.style.left = at(s.threshold);
      tick.title = "threshold " + s.threshold.toFixed(4);
      track.append(bar, tick);
      for (const cell of [s.tag, s.score.toFixed(4), s.threshold.toFixed(4), track]) {
        const td = document.createElement("td");
        if (typeof cell === "string") td.textContent = cell; else td.appendChild(cell);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.hidden = rows.length === 0;
  }

  async function suggest() {
    const text = $("post").value;
    preview();
    $("suggest").disabled = true;
    status("asking…");
    try {
      const response = await fetch("predict?explain=true" + ($("all").checked ? "&scores=all" : ""), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ texts: [{ text: text }] }),
      });
      const body = await response.json();
      if (!response.ok) {
        // the tags on screen belong to an earlier post: take them away with the error
        clearTags("none: the service refused the post");
        status((body.title || "error") + ": " + (body.detail || response.status), true);
        return;
      }
      showTags(body.predictions[0]);
      status("answered by " + body.model.name + " " + body.model.version);
    } catch (e) {
      clearTags("none: the request failed");
      status("request failed: " + e, true);
    } finally {
      $("suggest").disabled = false;
    }
  }

  $("post").addEventListener("input", preview);
  $("suggest").addEventListener("click", suggest);
  $("example").addEventListener("click", () => { $("post").value = EXAMPLE; preview(); });
  $("post").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) suggest(); });
  loadModel();
})();
