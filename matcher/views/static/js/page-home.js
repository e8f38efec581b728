// @ts-check
/* The home page: the pages the signed-in role may open, its orders, and a lead firm's new order. */

import { api, errorNotice, pageLink, token, TOKEN_KEY } from "./api.js";
import { el, heading, notice } from "./dom.js";
import { label, num, t } from "./i18n.js";
import { renderNav } from "./nav.js";
import { newOrderSection } from "./order-form.js";
import { app, available, markReady, S } from "./state.js";

/** The pages each role may open, beside home. @type {Record<string, string[]>} */
export const ROLE_PAGES = {
  admin: ["network", "dashboard", "mentoring", "plan"],
  coordinator: ["network", "dashboard", "mentoring", "plan"],
  association_leader: ["network", "dashboard", "mentoring", "plan"],
  lead_firm: [],
  municipality: [],
};
/** The pages of an order each role may open. @type {Record<string, string[]>} */
export const ORDER_PAGES = {
  admin: ["proposal", "shortlist"],
  coordinator: ["proposal", "shortlist"],
  lead_firm: ["shortlist"],
};

/**
 * The home page: in a file, the pages it holds; in the service, the signed-in user's pages, orders and new-order form.
 * @param {import("./state.js").Current} current
 */
export async function pageHome(current) {
  app.append(heading(t("home.title")));
  if (S.standalone) {
    const items = ["network", "dashboard", "proposal", "shortlist", "mentoring", "plan"]
      .filter(available)
      .map((page) => el("li", {}, el("a", { href: pageLink(page) }, t("nav." + page)), " — ", t("home.about_" + page)));
    app.append(el("p", {}, t("home.standalone_intro")), items.length ? el("ul", { id: "home-links" }, items) : notice(t("home.empty"), "info"));
    markReady(0, 0);
    return;
  }
  if (!token()) {
    app.append(el("p", {}, t("home.signed_out")), el("p", {}, el("a", { href: S.links.login || "login", class: "button primary" }, t("nav.sign_in"))));
    markReady(0, 0);
    return;
  }
  let me;
  try {
    me = await api(S.urls.me || "/me", { noRedirect: true });
  } catch (err) {
    if (err.status === 401) {
      try {
        sessionStorage.removeItem(TOKEN_KEY);
      } catch (ignored) {
        /* nothing kept */
      }
      if (!current()) return;
      renderNav();
      app.append(notice(t("home.expired"), "info"), el("p", {}, el("a", { href: S.links.login || "login", class: "button primary" }, t("nav.sign_in"))));
      markReady(0, 0);
      return;
    }
    throw err;
  }
  if (!current()) return;
  app.append(el("p", { id: "whoami" }, t("home.signed_in", { user: me.username, role: label("role", me.role) })));
  const pages = (ROLE_PAGES[me.role] || []).filter((p) => S.links[p]);
  const items = pages.map((page) => el("li", {}, el("a", { href: pageLink(page) }, t("nav." + page)), " — ", t("home.about_" + page)));
  if (items.length) app.append(el("ul", { id: "home-links" }, items));
  const orderPages = (ORDER_PAGES[me.role] || []).filter((p) => S.links[p]);
  /** @type {import("./order-form.js").Order[]} */
  let placed = [];
  if (orderPages.length) {
    try {
      const page = await api(S.urls.orders || "/orders");
      if (!current()) return;
      /** @type {import("./order-form.js").Order[]} */
      const orders = (page && page.items) || [];
      placed = orders;
      app.append(
        el(
          "section",
          { class: "panel", "aria-labelledby": "home-orders-title" },
          el("h2", { id: "home-orders-title" }, t("home.orders_title")),
          orders.length
            ? el(
                "ul",
                { id: "home-orders" },
                orders.map((o) =>
                  el(
                    "li",
                    {},
                    o.order_id + " · " + label("product", o.product) + " · " + num(o.quantity) + " " + t("unit.units") + " — ",
                    orderPages.map((p, k) => [k ? " · " : "", el("a", { href: pageLink(p, o.order_id) }, t("nav." + p))])
                  )
                )
              )
            : el("p", { class: "muted" }, t("dash.no_orders"))
        )
      );
    } catch (err) {
      if (err.status !== 403) app.append(errorNotice(err));
    }
  }
  if (me.role === "lead_firm" && S.urls.products) {
    await newOrderSection(current, me, placed);
    if (!current()) return;
  }
  if (!items.length && !orderPages.length) app.append(notice(t("home.no_pages"), "info"));
  if (current()) markReady(0, 0);
}
