// @ts-check
/* The sign-in page (the OAuth2 password flow of /auth/token). */

import { safeNext, TOKEN_KEY } from "./api.js";
import { el, heading, notice } from "./dom.js";
import { locale, t } from "./i18n.js";
import { app, markReady, S } from "./state.js";

export function pageLogin() {
  const errorBox = el("div", { id: "login-error", role: "alert" });
  const form = el(
    "form",
    { id: "login-form", class: "panel narrow", method: "post", novalidate: true },
    el("div", { class: "field" }, el("label", { for: "username" }, t("login.username")), el("input", { id: "username", name: "username", type: "text", autocomplete: "username", required: true })),
    el("div", { class: "field" }, el("label", { for: "password" }, t("login.password")), el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true })),
    errorBox,
    el("button", { type: "submit", class: "primary" }, t("login.submit"))
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = /** @type {HTMLInputElement} */ (form.elements.namedItem("username")).value.trim();
    const password = /** @type {HTMLInputElement} */ (form.elements.namedItem("password")).value;
    if (!username || !password) {
      errorBox.replaceChildren(notice(t("login.missing"), "error"));
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    errorBox.replaceChildren();
    try {
      const response = await fetch(S.urls.token || "/auth/token", {
        method: "POST",
        headers: { Accept: "application/json", "Accept-Language": locale.lang },
        body: new URLSearchParams({ grant_type: "password", username, password }),
      });
      if (!response.ok) {
        const key = response.status === 401 ? "login.wrong" : response.status === 429 ? "login.throttled" : "login.failed";
        errorBox.replaceChildren(notice(t(key, { status: response.status }), "error"));
        return;
      }
      const body = await response.json();
      sessionStorage.setItem(TOKEN_KEY, body.access_token);
      const next = safeNext(new URLSearchParams(location.search).get("next"));
      location.assign(next || S.links.home || "/");
    } catch (err) {
      errorBox.replaceChildren(notice(t("error.offline"), "error"));
    } finally {
      button.disabled = false;
    }
  });
  app.append(heading(t("login.title")));
  if (S.standalone) app.append(notice(t("login.standalone"), "info"));
  app.append(form);
  markReady(0, 0);
}
