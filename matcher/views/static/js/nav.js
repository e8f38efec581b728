// @ts-check
/* The site header's menu and signing out. */

import { pageLink, token, TOKEN_KEY } from "./api.js";
import { el } from "./dom.js";
import { locale, t } from "./i18n.js";
import { available, S } from "./state.js";

/** The roles whose pages are the cluster's: network, dashboard, mentoring, plan. */
const ANALYST_ROLES = ["admin", "coordinator", "association_leader"];

/**
 * Whether the menu offers the cluster's pages: unless the signed-in role, once a page has read it, is another.
 * @returns {boolean}
 */
function analyst() {
  return !S.me || ANALYST_ROLES.includes(S.me.role);
}

export function renderNav() {
  const nav = document.getElementById("nav");
  if (!nav) return;
  const items = [];
  const pages = S.standalone
    ? ["home", "network", "dashboard", "proposal", "shortlist", "mentoring", "plan"].filter((p) => p === "home" || available(p))
    : ["home"].concat(["network", "proposal", "dashboard", "mentoring", "plan"].includes(S.page) && analyst() ? ["network", "dashboard", "mentoring", "plan"] : []);
  if (!(S.standalone && pages.length <= 2)) {
    for (const page of pages) {
      const href = page === "home" && !S.standalone ? S.links.home || "/" : pageLink(page);
      if (!href) continue;
      items.push(el("li", {}, el("a", { href, "aria-current": page === S.page ? "page" : null }, t("nav." + page))));
    }
  }
  if (!S.standalone && S.page !== "login") {
    if (token()) {
      items.push(el("li", {}, el("button", { type: "button", class: "link-button", id: "sign-out", onclick: signOut }, t("nav.sign_out"))));
    } else if (S.links.login) {
      items.push(el("li", {}, el("a", { href: S.links.login }, t("nav.sign_in"))));
    }
  }
  nav.replaceChildren(items.length ? el("ul", {}, items) : "");
}

export async function signOut() {
  const bearer = token();
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch (err) {
    /* nothing kept */
  }
  if (bearer) {
    try {
      await fetch(S.urls.logout || "/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + bearer, "Accept-Language": locale.lang } });
    } catch (err) {
      /* the token expires anyway */
    }
  }
  location.assign(S.links.login || S.links.home || "/");
}
