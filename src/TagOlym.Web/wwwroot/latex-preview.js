// A small, local LaTeX preview (no CDN, no renderer): the post's text as written, each math region
// ($..$, $$..$$, \(..\), \[..\], \begin{env}..\end{env}) set apart, with fractions, roots, super- and
// subscripts laid out, common commands shown as their Unicode symbols and the rest highlighted.
// Builds DOM nodes only: a post can never inject markup.
(function () {
  "use strict";

  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η", theta: "θ",
    iota: "ι", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ",
    phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ",
    Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
    le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", equiv: "≡", sim: "∼", cong: "≅",
    pm: "±", mp: "∓", times: "×", cdot: "·", div: "÷", circ: "∘", infty: "∞", partial: "∂", nabla: "∇",
    sum: "∑", prod: "∏", int: "∫", oint: "∮", in: "∈", notin: "∉", subset: "⊂", subseteq: "⊆",
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
    renderInto(box, source);
    box.appendChild(el("span", "delim", close));
    return box;
  }

  // The balanced {..} group starting at source[i]: [content, index after it], or null.
  function group(source, i) {
    if (source[i] !== "{") return null;
    let depth = 0;
    for (let j = i; j < source.length; j++) {
      if (source[j] === "\\") { j++; continue; }
      if (source[j] === "{") depth++;
      else if (source[j] === "}" && --depth === 0) return [source.slice(i + 1, j), j + 1];
    }
    return null;
  }

  // Writes math source into a node: \frac{a}{b} as a stacked fraction, \sqrt{x} with a bar, ^{..} and _{..} raised
  // and lowered, known commands as symbols, unknown ones highlighted.
  function renderInto(box, source) {
    let plain = "", i = 0;
    const flush = () => { if (plain) { box.appendChild(document.createTextNode(plain)); plain = ""; } };
    while (i < source.length) {
      const c = source[i];
      if (c === "^" || c === "_") {
        const g = group(source, i + 1);
        const content = g ? g[0] : source.slice(i + 1, i + 2);
        flush();
        const script = el(c === "^" ? "sup" : "sub");
        renderInto(script, content);
        box.appendChild(script);
        i = g ? g[1] : i + 2;
        continue;
      }
      if (c !== "\\") { plain += c; i++; continue; }
      const m = /^\\([A-Za-z]+|.?)/.exec(source.slice(i, i + 40));
      const name = m[1];
      i += m[0].length;
      flush();
      const first = group(source, i);
      const second = first ? group(source, first[1]) : null;
      if ((name === "frac" || name === "dfrac" || name === "tfrac") && second) {
        const f = el("span", "frac"), num = el("span", "num"), den = el("span", "den");
        renderInto(num, first[0]);
        renderInto(den, second[0]);
        f.append(num, den);
        box.appendChild(f);
        i = second[1];
      } else if (name === "sqrt" && first) {
        box.appendChild(document.createTextNode("√"));
        const under = el("span", "radicand");
        renderInto(under, first[0]);
        box.appendChild(under);
        i = first[1];
      } else if (name === "mathbb" && first && BLACKBOARD[first[0]]) {
        box.appendChild(document.createTextNode(BLACKBOARD[first[0]]));
        i = first[1];
      } else if (Object.prototype.hasOwnProperty.call(SYMBOLS, name)) {
        if (SYMBOLS[name]) box.appendChild(document.createTextNode(SYMBOLS[name]));
      } else {
        box.appendChild(el("span", "cmd", "\\" + name));
      }
    }
    flush();
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
