// apiyi console: toasts (from the server's HX-Trigger "toast" event), copy buttons with a manual
// fallback when the clipboard is refused, and <dialog> helpers. No framework, no build step. Its own
// toasts' words come from the page (the body's data-msg-* attributes, in the reader's language).
(() => {
  const toast = (message, kind = "ok") => {
    const box = document.getElementById("toasts");
    if (!box) return;
    const el = document.createElement("div");
    el.className = `toast ${kind}`;
    el.textContent = message;
    box.appendChild(el);
    setTimeout(() => el.remove(), 3500);
  };
  document.body.addEventListener("toast", (e) => toast(e.detail.message, e.detail.kind));

  const showManually = (text) => {
    const dialog = document.getElementById("copy-manual");
    if (!dialog) return;
    dialog.querySelector("input").value = text;
    dialog.showModal();
    dialog.querySelector("input").select();
  };

  document.addEventListener("click", async (e) => {
    const copy = e.target.closest("[data-copy], [data-copy-from]");
    if (copy) {
      e.preventDefault();
      let text = copy.dataset.copy;
      if (copy.dataset.copyFrom) {
        const res = await fetch(copy.dataset.copyFrom, { method: "POST", headers: { "x-csrf-token": document.body.dataset.csrf || "" } });
        text = res.ok ? (await res.json()).data?.key : null;
        if (!text) return toast(document.body.dataset.msgKeyUnreadable || "Could not read the key", "error");
      }
      try {
        await navigator.clipboard.writeText(text);
        toast(document.body.dataset.msgCopied || "Copied");
      } catch {
        showManually(text);
      }
      return;
    }
    const opener = e.target.closest("[data-open]");
    if (opener) document.getElementById(opener.dataset.open)?.showModal();
    const closer = e.target.closest("[data-close]");
    if (closer) closer.closest("dialog")?.close();
  });

  // a dialog whose content was swapped in opens itself
  document.body.addEventListener("htmx:afterSwap", (e) => {
    const dialog = e.target.closest?.("dialog") || e.target.querySelector?.("dialog[data-autoopen]");
    if (dialog && !dialog.open) dialog.showModal();
  });
  document.body.addEventListener("close-dialog", () => document.querySelectorAll("dialog[open]").forEach((d) => d.close()));
})();

// dialog helpers: expiry quick picks and the model filter
document.addEventListener("click", (e) => {
  const pick = e.target.closest("[data-expire]");
  if (!pick) return;
  const form = pick.closest("form");
  const d = new Date(Date.now() + Number(pick.dataset.expire) * 86400000);
  form.querySelector('input[name="expires"]').value = d.toISOString().slice(0, 10);
  form.querySelector('input[name="never"]').checked = false;
});
// typing a token quota means a limited token: untick Unlimited (which would otherwise win)
document.addEventListener("input", (e) => {
  if (!e.target.matches('input[name="quota_usd"]') || e.target.value.trim() === "") return;
  const unlimited = e.target.form?.querySelector('input[name="unlimited"]');
  if (unlimited) unlimited.checked = false;
});
document.addEventListener("input", (e) => {
  if (!e.target.matches("[data-filter]")) return;
  const select = e.target.form?.querySelector(`select[name="${e.target.dataset.filter}"]`);
  const q = e.target.value.toLowerCase();
  for (const o of select?.options ?? []) o.hidden = q !== "" && !o.value.toLowerCase().includes(q);
});

// a select whose options carry data-placeholder sets the placeholder of the field it names (the
// channel dialog: each type's example base URL)
document.addEventListener("change", (e) => {
  const select = e.target.closest?.("select[data-placeholder-of]");
  const input = select?.form?.querySelector(`[name="${select.dataset.placeholderOf}"]`);
  const hint = select?.selectedOptions[0]?.dataset.placeholder;
  if (input && hint) input.placeholder = hint;
});

// row menus sit inside a scrolling table: place the open one in fixed position so it is never cut
// off, and close it on the next click elsewhere
document.addEventListener(
  "toggle",
  (e) => {
    const menu = e.target;
    if (!menu.matches?.("details.menu") || !menu.open) return;
    const items = menu.querySelector(".menu-items");
    const r = menu.querySelector("summary").getBoundingClientRect();
    items.style.position = "fixed";
    items.style.top = `${Math.min(r.bottom + 4, window.innerHeight - items.offsetHeight - 8)}px`;
    items.style.left = `${Math.max(8, r.right - items.offsetWidth)}px`;
  },
  true,
);
document.addEventListener("click", (e) => {
  for (const open of document.querySelectorAll("details.menu[open]")) if (!open.contains(e.target)) open.open = false;
});

// the browser's time zone, for dates the server writes (a person who chose none in Account sees
// their own): kept in a cookie, refreshed when it changes (travel, a new machine)
(() => {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz && !document.cookie.split("; ").includes(`apiyi_tz=${encodeURIComponent(tz)}`))
    document.cookie = `apiyi_tz=${encodeURIComponent(tz)}; path=/; max-age=31536000; samesite=lax`;
})();
