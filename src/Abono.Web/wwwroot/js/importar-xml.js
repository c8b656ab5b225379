// Documentos → Importar XML: posts the chosen files a few at a time, so a large selection shows progress and
// each batch's report rows appear as they come. Without this script the form posts everything at once.
(() => {
  const form = document.querySelector("form[data-dte-import]");
  if (!form || !window.fetch || !window.FormData) return;
  const input = form.querySelector("input[type=file]");
  const progressBox = form.querySelector("[data-dte-progress]");
  const bar = progressBox.querySelector("progress");
  const status = progressBox.querySelector("[data-dte-status]");
  const results = document.querySelector("[data-dte-results]");
  const token = form.querySelector("input[name=__RequestVerificationToken]").value;
  const batchBytes = 8 * 1024 * 1024;
  const batchFiles = 25;

  form.addEventListener("submit", async (event) => {
    const files = Array.from(input.files);
    if (files.length === 0) return; // the server says what is missing
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progressBox.hidden = false;
    bar.max = files.length;
    bar.value = 0;
    results.replaceChildren();
    results.hidden = false;
    let report = null;
    let done = 0;
    const counts = { ok: 0 };
    for (let i = 0; i < files.length;) {
      const batch = [];
      let size = 0;
      while (i < files.length && batch.length < batchFiles && (batch.length === 0 || size + files[i].size <= batchBytes)) {
        size += files[i].size;
        batch.push(files[i++]);
      }
      status.textContent = `Importando ${done + 1}–${done + batch.length} de ${files.length} archivos…`;
      const body = new FormData();
      body.append("__RequestVerificationToken", token);
      batch.forEach((f) => body.append("Archivos", f, f.name));
      try {
        const response = await fetch(form.dataset.batchUrl, { method: "POST", body, credentials: "same-origin" });
        const html = await response.text();
        if (!response.ok) throw new Error(response.status === 413 ? "Los archivos superan el tamaño máximo." : "El servidor no pudo importar estos archivos.");
        const part = document.createRange().createContextualFragment(html).querySelector("[data-testid=dte-import-result]");
        if (!report) {
          report = part;
          results.append(report);
        } else if (part) {
          report.querySelector("[data-dte-rows]").append(...part.querySelectorAll("[data-dte-row]"));
          const list = report.querySelector("[data-dte-customers]");
          part.querySelectorAll("[data-dte-customer]").forEach((li) => {
            if (!list.querySelector(`[data-dte-customer="${li.dataset.dteCustomer}"]`)) list.append(li);
          });
          if (list.children.length > 0) report.querySelector("[data-dte-customers-panel]").hidden = false;
        }
      } catch (error) {
        const p = document.createElement("p");
        p.className = "alert alert-danger";
        p.setAttribute("role", "alert");
        p.textContent = `${batch.map((f) => f.name).join(", ")}: ${error.message}`;
        results.append(p);
      }
      done += batch.length;
      bar.value = done;
      counts.ok = report ? report.querySelectorAll("[data-outcome=Imported]").length : 0;
    }
    if (report) {
      const rows = report.querySelectorAll("[data-dte-row]");
      const count = (o) => report.querySelectorAll(`[data-outcome=${o}]`).length;
      report.querySelector("[data-dte-summary]").textContent =
        `${files.length} archivos · ${count("Imported")} documentos importados · ${count("AlreadyImported")} ya importados · ` +
        `${count("Conflict")} no sobrescritos · ${count("Refused")} rechazados · ${rows.length} filas`;
    }
    status.textContent = `Listo: ${files.length} archivos procesados, ${counts.ok} documentos importados.`;
    button.disabled = false;
    input.value = "";
  });
})();
