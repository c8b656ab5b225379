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
