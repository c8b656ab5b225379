// Documentos and Punto de venta. Progressive enhancement only: every page works without this file.

// Issue forms: neto, exento, IVA and total follow the lines as they are typed, with TaxCalculator's rules (whole pesos,
// IVA rounded half up once per document, boleta prices with IVA included, every line of an exempt type exempt). The
// server computes them again when the document is issued; without this script "Calcular total" shows them.
(() => {
  if (typeof BigInt !== "function") return;
  const peso = (value) => "$" + value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const roundHalfUp = (numerator, denominator) => (2n * numerator + denominator) / (2n * denominator);
  const whole = (input) => {
    const text = input ? input.value.trim() : "";
    return /^\d{1,15}$/.test(text) ? BigInt(text) : 0n;
  };

  document.querySelectorAll("form[data-issue-form]").forEach((form) => {
    const box = form.querySelector("[data-live-totals]");
    if (!box) return;
    const vat = BigInt(form.dataset.vat || "19");
    const exemptTypes = (form.dataset.exemptTypes || "").split(",");
    const grossTypes = (form.dataset.grossTypes || "").split(",");
    const show = (name, value) => {
      const cell = box.querySelector(`[data-total='${name}']`);
      if (cell) cell.textContent = peso(value);
    };

    const refresh = () => {
      const typeField = form.querySelector("[name='Input.Type']");
      const type = typeField ? typeField.value : "";
      let taxable = 0n;
      let exempt = 0n;
      form.querySelectorAll("[data-line]").forEach((row) => {
        const amount = whole(row.querySelector("input[name$='.Quantity']")) * whole(row.querySelector("input[name$='.UnitPrice']"));
        const exemptBox = row.querySelector("input[type=checkbox][name$='.IsExempt']");
        if (exemptTypes.includes(type) || (exemptBox && exemptBox.checked)) exempt += amount;
        else taxable += amount;
      });
      let net = taxable;
      let tax = roundHalfUp(taxable * vat, 100n);
      if (grossTypes.includes(type)) {
        net = roundHalfUp(taxable * 100n, 100n + vat);
        tax = taxable - net;
      }
      show("net", net);
      show("exempt", exempt);
      show("tax", tax);
      show("total", net + tax + exempt);
    };

    form.querySelectorAll("[data-without-script]").forEach((element) => { element.hidden = true; });
    box.hidden = false;
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  });
})();

// Copy buttons ([data-copy], handled in site.js) appear only where the browser can copy; the read-only field beside
// them can always be selected and copied by hand.
if (navigator.clipboard) {
  document.querySelectorAll("[data-copy][hidden]").forEach((button) => { button.hidden = false; });
}
