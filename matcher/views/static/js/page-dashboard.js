// @ts-check
/* The dashboard: capacity by product, process and territory, utilisation, the territories' map and the orders. */

import { need, pageLink } from "./api.js";
import { chartBox, dl, el, heading, notice, statusBadge, table } from "./dom.js";
import { label, num, pct, t } from "./i18n.js";
import { axisTitle, plot } from "./plot.js";
import { app, markReady, S } from "./state.js";

/**
 * An order's row on the dashboard.
 * @typedef {{order_id: string, firm_id?: string | null, product: string, quantity: number, due_weeks: number,
 *   status: string, filled_units?: number, group_size?: number}} OrderRow
 */

/**
 * The cluster dashboard (matcher.views.dashboard_view).
 * @typedef {object} DashboardView
 * @property {number} workshops
 * @property {OrderRow[]} [orders]
 * @property {Record<string, {key: string, workshops: number, minutes: number}[]>} [capacity] by_product, by_process, by_territory
 * @property {{overall?: number, source?: string, by_territory?: {key: string, available: number, used: number, share: number}[]}} [utilisation]
 * @property {{territory: string, workshops: number, lat: number, lon: number}[]} [territories]
 */

/**
 * The dashboard page: its facts, the capacity, utilisation and map charts, and the orders.
 * @param {import("./state.js").Current} current
 */
export async function pageDashboard(current) {
  app.append(heading(t("page.dashboard")));
  /** @type {DashboardView | null} */
  const view = await need("dashboard");
  if (!current()) return;
  if (!view) {
    app.append(notice(t("error.no_view"), "info"));
    markReady(0, 0);
    return;
  }
  const util = view.utilisation || {};
  app.append(
    el(
      "section",
      { class: "panel", "aria-labelledby": "dash-facts-title" },
      el("h2", { id: "dash-facts-title", class: "visually-hidden" }, t("dash.facts")),
      dl([
        [t("dash.workshops"), num(view.workshops)],
        [t("dash.orders"), num((view.orders || []).length)],
        [t("dash.utilisation"), pct(util.overall, 1)],
      ]),
      el("p", { class: "muted" }, util.source === "match" ? t("dash.source_match") : t("dash.source_committed"))
    )
  );
  const capacity = view.capacity || {};
  // Plots are drawn once every box is in the grid: a plot sizes itself to its box when drawn.
  const pending = [];
  const grid = el("div", { class: "chart-grid" });
  app.append(grid);
  /** @type {[string, string, string | null][]} */
  const groups = [
    ["by_product", "capacity-product-chart", "product"],
    ["by_process", "capacity-process-chart", "process"],
    ["by_territory", "capacity-territory-chart", null],
  ];
  for (const [key, id, group] of groups) {
    const rows = capacity[key] || [];
    const names = rows.map((r) => (group ? label(group, r.key) : r.key));
    const title = t("dash." + key);
    const box = chartBox(
      id,
      title,
      t("dash.capacity_label", { what: title }),
      table(
        [t("dash.col_" + (group || "territory")), t("dash.col_workshops"), t("dash.col_minutes")],
        rows.map((r, i) => [names[i], num(r.workshops), num(r.minutes)]),
        { numeric: [1, 2] }
      )
    );
    grid.append(box.figure);
    pending.push(() =>
      plot(
        box.plotDiv,
        [
          {
            type: "bar",
            orientation: "h",
            y: names,
            x: rows.map((r) => r.minutes),
            customdata: rows.map((r) => num(r.workshops)),
            marker: { color: "#0072B2" },
            hovertemplate: "%{y}: %{x:,.0f} " + t("unit.min_week") + "<br>%{customdata} " + t("unit.workshops") + "<extra></extra>",
          },
        ],
        {
          xaxis: Object.assign(axisTitle(t("dash.axis_minutes")), { tickformat: ",d" }),
          yaxis: { automargin: true, autorange: "reversed" },
          height: Math.max(220, 70 + 26 * rows.length),
        }
      )
    );
  }
  const byTerritory = util.by_territory || [];
  const utilBox = chartBox(
    "utilisation-chart",
    t("dash.utilisation_title"),
    t("dash.utilisation_label", { overall: pct(util.overall, 1) }),
    table(
      [t("dash.col_territory"), t("dash.col_available"), t("dash.col_used"), t("dash.col_share")],
      byTerritory.map((r) => [r.key, num(r.available), num(r.used), pct(r.share, 1)]),
      { numeric: [1, 2, 3] }
    )
  );
  grid.append(utilBox.figure);
  pending.push(() =>
    plot(
      utilBox.plotDiv,
      [
        {
          type: "bar",
          orientation: "h",
          y: byTerritory.map((r) => r.key),
          x: byTerritory.map((r) => r.share),
          marker: { color: "#009E73" },
          hovertemplate: "%{y}: %{x:.1%}<extra></extra>",
        },
      ],
      {
        xaxis: Object.assign(axisTitle(t("dash.axis_share")), { tickformat: ".0%", range: [0, Math.max(1, ...byTerritory.map((r) => r.share || 0))] }),
        yaxis: { automargin: true, autorange: "reversed" },
        height: Math.max(220, 70 + 26 * byTerritory.length),
      }
    )
  );
  const territories = view.territories || [];
  if (territories.length) {
    const mapBox = chartBox(
      "territory-map",
      t("dash.map_title"),
      t("dash.map_label", { count: num(territories.length) }),
      table(
        [t("dash.col_territory"), t("dash.col_workshops"), t("dash.col_lat"), t("dash.col_lon")],
        territories.map((r) => [r.territory, num(r.workshops), num(r.lat, 3), num(r.lon, 3)]),
        { numeric: [1, 2, 3] }
      )
    );
    grid.append(mapBox.figure);
    const most = Math.max(1, ...territories.map((r) => r.workshops));
    pending.push(() =>
      plot(
        mapBox.plotDiv,
        [
          {
            type: "scatter",
            mode: "markers+text",
            x: territories.map((r) => r.lon),
            y: territories.map((r) => r.lat),
            text: territories.map((r) => r.territory),
            textposition: "top center",
            customdata: territories.map((r) => num(r.workshops)),
            marker: { size: territories.map((r) => 10 + 30 * Math.sqrt(r.workshops / most)), color: "#CC79A7", line: { color: "#1f2328", width: 1 } },
            hovertemplate: "%{text}: %{customdata} " + t("unit.workshops") + "<extra></extra>",
          },
        ],
        {
          xaxis: Object.assign(axisTitle(t("dash.axis_lon")), { constrain: "domain" }),
          yaxis: Object.assign(axisTitle(t("dash.axis_lat")), { scaleanchor: "x", scaleratio: 1 }),
          height: 380,
        }
      )
    );
  }
  app.append(ordersSection(view.orders || []));
  await Promise.all(pending.map((draw) => draw()));
  if (current()) markReady(0, 0);
}

/**
 * The orders, with links to each one's proposal and shortlist where there are such pages.
 * @param {OrderRow[]} orders
 * @returns {HTMLElement}
 */
export function ordersSection(orders) {
  const linksOf = (/** @type {OrderRow} */ o) => {
    /** @type {(HTMLElement | string)[]} */
    const links = [];
    const hasProposal = S.standalone ? Boolean(S.data.proposals[o.order_id]) : Boolean(S.links.proposal);
    if (hasProposal) links.push(el("a", { href: pageLink("proposal", o.order_id) }, t("dash.open_proposal")));
    if (!S.standalone && S.links.shortlist) {
      if (links.length) links.push(" · ");
      links.push(el("a", { href: pageLink("shortlist", o.order_id) }, t("dash.open_shortlist")));
    }
    return links;
  };
  const links = orders.map(linksOf);
  const withLinks = links.some((l) => l.length);
  const rows = orders.map((o, k) =>
    [
      o.order_id,
      o.firm_id || t("value.none"),
      label("product", o.product),
      num(o.quantity),
      num(o.due_weeks, 1),
      statusBadge(o.status),
      num(o.filled_units),
      num(o.group_size),
    ].concat(withLinks ? [el("span", {}, links[k])] : [])
  );
  const headers = [
    t("dash.col_order"),
    t("dash.col_firm"),
    t("dash.col_product"),
    t("dash.col_quantity"),
    t("dash.col_due"),
    t("dash.col_status"),
    t("dash.col_filled"),
    t("dash.col_group"),
  ].concat(withLinks ? [t("dash.col_links")] : []);
  return el(
    "section",
    { class: "panel", "aria-labelledby": "orders-title" },
    el("h2", { id: "orders-title" }, t("dash.orders_title")),
    orders.length
      ? el("div", { class: "table-scroll" }, table(headers, rows, { id: "orders-table", numeric: [3, 4, 6, 7] }))
      : el("p", { class: "muted" }, t("dash.no_orders"))
  );
}
