// A small, local LaTeX preview (no CDN, no renderer): the post's text as written, each math region
// ($..$, $$..$$, \(..\), \[..\], \begin{env}..\end{env}) set apart, with common commands shown as their
// Unicode symbols and the rest highlighted. Builds DOM nodes only: a post can never inject markup.
(function () {
  "use strict";

  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η", theta: "θ",
    iota: "ι", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ",
    phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ",
    Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
    le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", equiv: "≡", sim: "∼", cong: "≅",
    pm: "±", mp: "∓", times: "×", cdot: "·", div: "÷", circ: "∘", infty: "∞", partial: "∂", nabla: "∇",
    sum: "∑", prod: "∏", int: "∫", oint: "∮", sqrt: "√", in: "∈", notin: "∉", subset: "⊂", subseteq: "⊆",
    supset: "⊃", cup: "∪", cap: "∩", emptyset: "∅", forall: "∀", exists: "∃", neg: "¬", land: "∧", lor: "∨",
    to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", Leftarrow: "⇐", iff: "⇔", implies: "⇒",
    mid: "∣", angle: "∠", perp: "⊥", parallel: "∥", triangle: "△", deg: "°", ldots: "…", cdots: "⋯", dots: "…",
    mathbb: "", mathrm: "", text: "", left: "", right: "", quad: " ", qquad: "  ",
  };
  const BLACKBOARD = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ" };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The math between the delimiters, commands turned into symbols or highlighted.
  function renderMath(source, display, open, close) {
    const box = el("span", display ? "math display" : "math");
    box.appendChild(el("span", "delim", open));
    const command = /\\([A-Za-z]+|.)/g;
    let last = 0, match;
    while ((match = command.exec(source)) !== null) {
      if (match.index > last) box.appendChild(document.createTextNode(source.slice(last, match.index)));
      const name = match[1];
      if (name === "mathbb" && /^\{[A-Z]\}/.test(source.slice(command.lastIndex)) && BLACKBOARD[source[command.lastIndex + 1]]) {
        box.appendChild(document.createTextNode(BLACKBOARD[source[command.lastIndex + 1]]));
        command.lastIndex += 3;
      } else if (Object.prototype.hasOwnProperty.call(SYMBOLS, name)) {
        if (SYMBOLS[name]) box.appendChild(document.createTextNode(SYMBOLS[name]));
      } else {
        box.appendChild(el("span", "cmd", "\\" + name));
      }
      last = command.lastIndex;
    }
    if (last < source.length) box.appendChild(document.createTextNode(source.slice(last)));
    box.appendChild(el("span", "delim", close));
    return box;
  }

  // Where the math region opening at i ends: [contentStart, contentEnd, end, open, close, display] or null.
  function findRegion(text, i) {
    const pairs = [["$$", "$$", true], ["\\[", "\\]", true], ["\\(", "\\)", false], ["$", "$", false]];
    for (const [open, close, display] of pairs) {
      if (text.startsWith(open, i)) {
        const end = text.indexOf(close, i + open.length);
        if (end > i + open.length - 1 && end !== -1) return [i + open.length, end, end + close.length, open, close, display];
        return null;
      }
    }
    const begin = /^\\begin\{([A-Za-z*]+)\}/.exec(text.slice(i, i + 40));
    if (begin) {
      const close = "\\end{" + begin[1] + "}";
      const end = text.indexOf(close, i + begin[0].length);
      if (end !== -1) return [i + begin[0].length, end, end + close.length, begin[0], close, true];
    }
    return null;
  }

  window.renderPost = function (text) {
    const out = document.createDocumentFragment();
    let plain = "", i = 0;
    const flush = () => { if (plain) { out.appendChild(document.createTextNode(plain)); plain = ""; } };
    while (i < text.length) {
      const c = text[i];
      if (c === "\\" && text[i + 1] === "$") { plain += "$"; i += 2; continue; }
      if (text.startsWith("[asy]", i)) {
        const end = text.indexOf("[/asy]", i);
        if (end !== -1) { flush(); out.appendChild(el("span", "asy", "[Asymptote figure]")); i = end + 6; continue; }
      }
      if (c === "$" || c === "\\") {
        const region = findRegion(text, i);
        if (region) {
          flush();
          out.appendChild(renderMath(text.slice(region[0], region[1]), region[5], region[3], region[4]));
          i = region[2];
          continue;
        }
      }
      plain += c;
      i++;
    }
    flush();
    return out;
  };
})();
