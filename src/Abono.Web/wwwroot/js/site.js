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

// Portal: the total and the Pagar button follow the selection and the typed amount. The figures come from the
// server (?handler=Quote, the same rules that start the payment); the page posts the amount its button showed and
// the server refuses any other, so a stale figure can never be charged. Without this script "Actualizar total" and
// "Ver cómo queda" do the same by reloading the page.
document.querySelectorAll("form[data-pay-form]").forEach((form) => {
  const button = form.querySelector("[data-pay-button]");
  const total = form.querySelector("[data-pay-total]");
  const expected = form.querySelector("[data-expected-amount]");
  const amountError = form.querySelector("[data-amount-error]");
  const amount = form.querySelector("input[name='Input.Amount']");
  const url = form.dataset.quoteUrl;
  if (!button || !total || !expected || !url) return;
  form.querySelectorAll("[data-without-script]").forEach((element) => { element.hidden = true; });
  let sequence = 0;
  let timer = 0;

  const refresh = () => {
    const ids = [...form.querySelectorAll("input[name='Input.DocumentIds']:checked")].map((box) => box.value);
    const params = new URLSearchParams({ documentos: ids.join(",") });
    if (amount && amount.value.trim()) params.set("monto", amount.value.trim());
    const mine = ++sequence;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    fetch(url + "&" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((quote) => {
        if (mine !== sequence) return;
        button.textContent = quote.label;
        button.disabled = quote.amount === null;
        expected.value = quote.amount === null ? "" : String(quote.amount);
        total.textContent = quote.total;
        const partial = quote.partial === true;
        form.querySelectorAll("[data-after]").forEach((line) => {
          const after = quote.after[line.dataset.after];
          line.hidden = !partial || after === undefined;
          const value = line.querySelector("[data-after-value]");
          if (value && after !== undefined) value.textContent = after;
        });
        const selectionError = form.querySelector("[data-selection-error]");
        if (selectionError) selectionError.textContent = ids.length === 0 ? (quote.error || "") : "";
        if (amountError) amountError.textContent = amount && amount.value.trim() ? (quote.error || "") : "";
        if (amount) amount.setAttribute("aria-invalid", amountError && amountError.textContent ? "true" : "false");
      })
      .catch(() => {
        // The server checks the figure again on Pagar; leave the button usable.
        if (mine === sequence) button.disabled = false;
      })
      .finally(() => {
        if (mine === sequence) button.removeAttribute("aria-busy");
      });
  };

  form.addEventListener("change", (event) => {
    if (event.target.matches("input[name='Input.DocumentIds']")) {
      clearTimeout(timer);
      refresh();
    }
  });
  if (amount) {
    amount.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  }

  // One press of Pagar per page: a double click or a second tap sends nothing more.
  form.addEventListener("submit", (event) => {
    if (event.submitter !== button) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Te llevamos a pagar…";
  });

  // Back from the gateway, the browser may restore this page as it was left: make it usable and current again, as a
  // new form (a new attempt key), since the payer may now choose differently.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    delete form.dataset.submitting;
    button.removeAttribute("aria-disabled");
    const key = form.querySelector("input[name='Input.AttemptKey']");
    if (key && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
    refresh();
  });
});

// Long posts (reading a cartola, confirming many credits): say so on the button and stop a second submit.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-busy]");
  const button = event.submitter;
  if (!form || event.defaultPrevented || !button) return;
  button.setAttribute("aria-busy", "true");
  if (!button.hasAttribute("formaction")) button.textContent = form.dataset.busy;
  setTimeout(() => { button.disabled = true; }, 0);
});

// A row that scrolls sideways (the main menu on a phone): mark the sides where more items are, so the CSS shows a
// fade and an arrow there, and the arrows scroll. The current section is brought into view.
document.querySelectorAll("[data-scroll-hint]").forEach((container) => {
  const row = container.querySelector("[data-scroll-row]");
  if (!row) return;
  const update = () => {
    const max = row.scrollWidth - row.clientWidth;
    const start = row.scrollLeft > 2;
    const end = row.scrollLeft < max - 2;
    container.toggleAttribute("data-more-start", start);
    container.toggleAttribute("data-more-end", end);
    container.querySelectorAll("[data-scroll-by]").forEach((button) => {
      button.hidden = Number(button.dataset.scrollBy) < 0 ? !start : !end;
    });
  };
  container.querySelectorAll("[data-scroll-by]").forEach((button) => {
    button.addEventListener("click", () => {
      row.scrollBy({ left: Number(button.dataset.scrollBy) * row.clientWidth * 0.7 });
    });
  });
  const current = row.querySelector("[aria-current='page']");
  if (current && row.scrollWidth > row.clientWidth) {
    row.scrollTo({ left: current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2, behavior: "instant" });
  }
  row.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
});

// Menus built on <details> (the gear, the user menu): a tap outside or Escape closes them.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.user-menu[open], details.gear-menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.user-menu[open], details.gear-menu[open]").forEach((menu) => {
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
});
