// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(() => {
    const original = button.textContent;
    button.textContent = "¡Copiado!";
    setTimeout(() => { button.textContent = original; }, 2000);
  });
});

document.addEventListener("submit", (event) => {
  const message = event.submitter?.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});

// Gateways that expect a POST (Webpay): submit the prepared form at once.
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());

// Portal: keep "Pagar $X" in step with the checked documents (the server recomputes it anyway).
document.querySelectorAll("form[data-pay-form]").forEach((form) => {
  const button = form.querySelector("[data-pay-button]");
  const total = form.querySelector("[data-pay-total]");
  if (!button || !total) return;
  const format = (n) => "$" + n.toLocaleString("es-CL").replace(/,/g, ".");
  form.addEventListener("change", () => {
    let sum = 0;
    form.querySelectorAll("input[data-balance]:checked").forEach((box) => { sum += Number(box.dataset.balance); });
    const amount = form.querySelector("input[name='Input.Amount']");
    const shown = amount && amount.value && Number(amount.value) < sum ? Number(amount.value) : sum;
    total.textContent = format(shown);
    button.textContent = "Pagar " + format(shown);
  });
});
