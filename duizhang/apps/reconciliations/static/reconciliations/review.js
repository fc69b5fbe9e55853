/* Reconciliation review: run progress, the running difference of the selection, keyboard. */
(function () {
  "use strict";

  // --- progress of a background run: poll the status endpoint, reload when finished
  const run = document.getElementById("run");
  if (run && run.dataset.running === "1") {
    const poll = () => fetch(run.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((status) => {
        document.getElementById("run-bar").value = status.progress;
        document.getElementById("run-percent").textContent = status.progress + "%";
        document.getElementById("run-step").textContent = status.step;
        if (status.finished) { window.location.reload(); } else { setTimeout(poll, 700); }
      })
      .catch(() => setTimeout(poll, 2000));
    setTimeout(poll, 400);
  }

  // --- money as exact 1/10000 units (BigInt), never floats
  const units = (text) => {
    const negative = text.startsWith("-");
    const [whole, fraction = ""] = text.replace("-", "").split(".");
    const value = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
    return negative ? -value : value;
  };
  const money = (value) => {
    const negative = value < 0n;
    const size = negative ? -value : value;
    let fraction = (size % 10000n).toString().padStart(4, "0");
    if (fraction.endsWith("00")) { fraction = fraction.slice(0, 2); }
    const whole = (size / 10000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + whole + "." + fraction;
  };

  const form = document.getElementById("match-form");
  const boxes = () => Array.from(document.querySelectorAll('input[type=checkbox][form="match-form"]'));
  const updateSelection = () => {
    if (!form) { return; }
    let ours = 0n, theirs = 0n, count = 0;
    for (const box of boxes()) {
      if (!box.checked) { continue; }
      count += 1;
      if (box.dataset.side === "left") { ours += units(box.dataset.amount); } else { theirs += units(box.dataset.amount); }
    }
    document.getElementById("sel-count").textContent = count;
    document.getElementById("sel-ours").textContent = money(ours);
    document.getElementById("sel-theirs").textContent = money(theirs);
    const diff = document.getElementById("sel-diff");
    diff.textContent = money(ours - theirs);
    diff.style.color = ours === theirs ? "var(--ok)" : "var(--warn)";
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[type=checkbox][form="match-form"]')) { updateSelection(); }
  });
  updateSelection();

  // --- keyboard: j/k move, x select, m match, / search, ? help
  const rows = () => Array.from(document.querySelectorAll("tr[data-row]"));
  let current = -1;
  const focusRow = (index) => {
    const all = rows();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((row, i) => row.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  };
  const help = document.getElementById("keys");
  document.querySelectorAll("[data-keys-toggle]").forEach((button) =>
    button.addEventListener("click", () => { help.hidden = !help.hidden; }));

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select");
    if (typing) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "j") { focusRow(current + 1); }
    else if (event.key === "k") { focusRow(current - 1); }
    else if (event.key === "x" && current >= 0) {
      const box = rows()[current].querySelector('input[type=checkbox]');
      if (box) { box.checked = !box.checked; updateSelection(); }
    } else if (event.key === "m" && form) {
      const comment = document.getElementById("match-comment");
      if (comment.value.trim()) { form.requestSubmit(); } else { comment.focus(); }
    } else if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { search.focus(); }
    } else if (event.key === "?") { help.hidden = !help.hidden; }
    else { return; }
    event.preventDefault();
  });
})();
