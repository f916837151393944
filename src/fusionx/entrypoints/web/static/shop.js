// The customer's pages (templates/shop/): the cart kept in this tab until checkout, the
// checkout sent to the JSON API with one Idempotency-Key per attempt, and the tracking
// page following its order over Server-Sent Events. No inline script: the CSP allows
// only the app's own files.
"use strict";

(function () {
  const CART_PREFIX = "fusionx.cart.";

  // --- The cart: {lines: [{item_id, quantity, modifiers: [option ids]}]}, per truck ---
  function cartOf(truck) {
    try {
      const kept = JSON.parse(sessionStorage.getItem(CART_PREFIX + truck) || "null");
      return kept && Array.isArray(kept.lines) ? kept : { lines: [] };
    } catch (error) {
      return { lines: [] };
    }
  }

  function keepCart(truck, cart) {
    sessionStorage.setItem(CART_PREFIX + truck, JSON.stringify(cart));
  }

  function count(cart) {
    return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  }

  function sameChoice(line, other) {
    return line.item_id === other.item_id &&
      line.modifiers.length === other.modifiers.length &&
      line.modifiers.every((id, i) => id === other.modifiers[i]);
  }

  function showCartBar(truck) {
    const bar = document.querySelector("[data-cart-bar]");
    if (!bar) return;
    const items = count(cartOf(truck));
    bar.querySelector("[data-cart-count]").textContent = String(items);
    bar.hidden = items === 0;
  }

  function setUpMenu(menu) {
    const truck = menu.dataset.truck;
    showCartBar(truck);
    menu.querySelectorAll("form[data-item]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const chosen = Array.from(form.querySelectorAll("input:checked")).map((i) => i.value).sort();
        const line = { item_id: form.dataset.item, quantity: 1, modifiers: chosen };
        const cart = cartOf(truck);
        const same = cart.lines.find((kept) => sameChoice(kept, line));
        if (same) same.quantity += 1; else cart.lines.push(line);
        keepCart(truck, cart);
        showCartBar(truck);
        const added = form.querySelector("[data-added]");
        if (added) {
          added.hidden = false;
          setTimeout(() => { added.hidden = true; }, 2000);
        }
      });
    });
  }

  // --- Checkout: the server prices the cart (the quote form), the API takes the order ---
  function setUpQuote(form) {
    const truck = form.dataset.truck;
    const field = form.querySelector("[data-cart-field]");
    const fill = () => {
      const cart = cartOf(truck);
      field.value = cart.lines.length ? JSON.stringify(cart) : "";
    };
    fill();  // before htmx's "load" trigger sends it
    document.addEventListener("click", (event) => {
      const remove = event.target.closest("[data-remove-line]");
      if (!remove) return;
      const cart = cartOf(truck);
      cart.lines.splice(Number(remove.dataset.removeLine), 1);
      keepCart(truck, cart);
      fill();
      document.body.dispatchEvent(new CustomEvent("cart-changed"));
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function showProblems(form, problem) {
    document.querySelectorAll("[data-problem-for]").forEach((place) => {
      place.hidden = true;
      place.textContent = "";
    });
    document.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    const general = form.querySelector('[data-problem-for=""]');
    const errors = (problem && problem.errors) || [];
    let first = null;
    errors.forEach((error) => {
      const name = String(error.field || "").split(/[.[]/)[0];
      const place = document.querySelector(`[data-problem-for="${name}"]`);
      const input = document.getElementById(name);
      if (!place) return;
      place.textContent = error.message;
      place.hidden = false;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    });
    if (!first) {
      general.textContent = (problem && (problem.detail || problem.title)) || form.dataset.failed;
      general.hidden = false;
      general.setAttribute("tabindex", "-1");
      general.focus();
    } else {
      first.focus();
    }
  }

  function setUpCheckout(form) {
    const truck = document.querySelector("[data-quote-form]").dataset.truck;
    const button = form.querySelector("[data-checkout-button]");
    // One key per attempt: the same body sent again (a double click, a retry after a
    // dropped connection) keeps its key, so the server answers it once; a changed body
    // is a new attempt with a new key.
    let attempt = { body: null, key: null };
    let sending = false;

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
      const slot = document.getElementById("pickup_at");
      const body = {
        lines: cartOf(truck).lines,
        customer_name: value("customer_name"),
        customer_phone: value("customer_phone") || null,
        customer_email: value("customer_email") || null,
        locale: form.dataset.locale,
        notify: form.elements.notify.checked,
      };
      if (slot && slot.value) body.pickup_at = slot.value;
      const text = JSON.stringify(body);
      if (text !== attempt.body) attempt = { body: text, key: newKey() };
      if (sending) return;
      sending = true;
      button.setAttribute("aria-busy", "true");
      try {
        await send(form, truck, attempt);
      } finally {
        sending = false;
        button.removeAttribute("aria-busy");
      }
    });
  }

  async function send(form, truck, attempt) {
    for (let tries = 0; tries < 5; tries += 1) {
      let answer;
      try {
        answer = await fetch(form.dataset.action, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Accept": "application/json, application/problem+json",
            "Idempotency-Key": attempt.key,
          },
          body: attempt.body,
          credentials: "omit",
        });
      } catch (error) {  // no answer: the same key again, the server did it at most once
        await new Promise((done) => setTimeout(done, 1000 * (tries + 1)));
        continue;
      }
      const json = await answer.json().catch(() => null);
      if (answer.status === 201) {
        await confirmPayment(json.payment);
        sessionStorage.removeItem(CART_PREFIX + truck);
        window.location.assign(form.dataset.tracking + encodeURIComponent(json.tracking_token));
        return;
      }
      if (answer.status === 409 && json && /idempotency-in-flight/.test(json.type || "")) {
        const wait = Number(answer.headers.get("Retry-After") || "1");
        await new Promise((done) => setTimeout(done, wait * 1000));
        continue;
      }
      showProblems(form, json);
      if (answer.status === 409 || answer.status === 422) {
        document.body.dispatchEvent(new CustomEvent("cart-changed"));  // price it again
      }
      return;
    }
    showProblems(form, null);
  }

  // The gateway's browser side confirms the intent with its client secret (Stripe.js
  // confirmPayment, loaded from the app where one is configured). The local recording
  // gateway has none: its signed webhook marks the order paid, and the tracking page
  // shows the order waiting for its payment until then.
  async function confirmPayment(payment) {
    if (window.FusionXPayments && payment && payment.client_secret) {
      await window.FusionXPayments.confirm(payment);
    }
  }

  // --- Times in the truck's zone, in the reader's language ---
  function localTimes(root) {
    const lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[data-local-time]").forEach((time) => {
      const at = new Date(time.getAttribute("datetime"));
      try {
        time.textContent = new Intl.DateTimeFormat(lang, {
          hour: "numeric", minute: "2-digit", timeZone: time.dataset.zone,
        }).format(at);
      } catch (error) { /* an unknown zone keeps the server's UTC text */ }
    });
    root.querySelectorAll("option[data-slot-start]").forEach((option) => {
      try {
        const format = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
        option.textContent = format.formatRange(
          new Date(option.dataset.slotStart), new Date(option.dataset.slotEnd));
      } catch (error) { /* keep the server's text */ }
    });
  }

  // --- Tracking: the order live, re-rendered by the server after each change ---
  function setUpTracking(tracked) {
    const indicator = document.querySelector("[data-live-indicator]");
    const say = (key) => { if (indicator) indicator.textContent = indicator.dataset[key]; };
    const source = new EventSource(tracked.dataset.trackEvents);
    source.addEventListener("open", () => say("live"));
    source.addEventListener("error", () => {
      if (tracked.querySelector("[data-final]")) source.close(); else say("reconnecting");
    });
    source.addEventListener("order", () => {
      say("live");
      htmx.ajax("GET", tracked.dataset.trackStatus, { target: "#tracked", swap: "innerHTML" });
    });
    document.body.addEventListener("htmx:afterSwap", () => {
      if (tracked.querySelector("[data-final]")) source.close();
    });
  }

  document.addEventListener("htmx:afterSwap", (event) => localTimes(event.target));

  function start() {
    localTimes(document);
    const menu = document.querySelector("[data-shop-menu]");
    if (menu) setUpMenu(menu);
    const quote = document.querySelector("[data-quote-form]");
    if (quote) setUpQuote(quote);
    const checkout = document.querySelector("[data-checkout]");
    if (checkout) setUpCheckout(checkout);
    const tracked = document.querySelector("[data-track-events]");
    if (tracked) setUpTracking(tracked);
  }

  // Deferred: the page is parsed; htmx's "load" triggers have not run yet.
  start();
})();
