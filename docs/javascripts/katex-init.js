// Typeset the math that pymdownx.arithmatex marks (\( ... \) inline, \[ ... \] display)
// with the KaTeX served with the site (docs/assets/katex: no CDN, readable offline).
function typesetMath(root) {
  renderMathInElement(root, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(({ body }) => typesetMath(body));
} else {
  document.addEventListener("DOMContentLoaded", () => typesetMath(document.body));
}
