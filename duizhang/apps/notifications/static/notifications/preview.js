// Live preview: re-render the template being edited (not saved) for the chosen customer.
(function () {
  const form = document.getElementById("template-form");
  const customer = document.getElementById("preview-customer");
  const subject = document.getElementById("preview-subject");
  const body = document.getElementById("preview-body");
  const error = document.getElementById("preview-error");
  let timer = null;
  let latest = 0; // answers can arrive out of order: only the newest request's is shown
  async function refresh() {
    const asked = ++latest;
    const data = new FormData(form);
    data.set("customer", customer.value);
    const response = await fetch(customer.dataset.url, { method: "POST", body: data });
    const result = await response.json();
    if (asked !== latest) return;
    error.hidden = !result.error;
    error.textContent = result.error || "";
    if (!result.error) { subject.textContent = result.subject; body.textContent = result.body; }
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  form.addEventListener("input", later);
  customer.addEventListener("change", refresh);
  refresh();
})();
