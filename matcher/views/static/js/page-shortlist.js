// @ts-check
/* A lead firm's anonymized shortlist for an order: the scores, the entries and their members' profiles. */

import { api, errorNotice, need } from "./api.js";
import { chartBox, dl, el, heading, notice, table } from "./dom.js";
import { explained, label, num, t, yesNo } from "./i18n.js";
import { orderFacts } from "./order-form.js";
import { axisTitle, PALETTE, plot, topLegend } from "./plot.js";
import { app, markReady, rerender, S } from "./state.js";

/** @typedef {import("./i18n.js").Message} Message */

/**
 * A member's profile in a shortlist entry: a field that would single a workshop out is a band or null.
 * @typedef {object} ProfileMember
 * @property {string} ref
 * @property {boolean} [leader]
 * @property {string | null} [territory]
 * @property {string | null} [size_band]
 * @property {{low: number, high: number} | null} [quality]
 * @property {boolean | null} [formal]
 * @property {boolean | null} [main_product]
 * @property {string[] | null} [processes]
 * @property {{process: string, units: number}[]} [allocations]
 * @property {string[]} [withheld]
 */

/**
 * One entry of a shortlist: a single workshop or a group, its score and its members' profiles.
 * @typedef {object} Entry
 * @property {string} ref
 * @property {string} kind
 * @property {number} size
 * @property {Record<string, number | null>} [score]
 * @property {number} [free_minutes]
 * @property {number} [needed_minutes]
 * @property {ProfileMember[]} [members]
 * @property {string[]} [why]
 * @property {Message[]} [why_messages]
 */

/**
 * A lead firm's shortlist for an order (the service's answer, or a standalone file's).
 * @typedef {object} Shortlist
 * @property {Record<string, any>} [order]
 * @property {Record<string, number>} [score_weights]
 * @property {Entry[]} [singles]
 * @property {Entry[]} [groups]
 * @property {{k?: number}} [anonymity]
 * @property {Record<string, string[]>} [refs]
 * @property {boolean} [current]
 * @property {number} [top]
 * @property {string[]} [notes]
 * @property {Message[]} [note_messages]
 */

export const SCORE_PARTS = ["capability", "capacity", "quality_margin", "reliability", "cohesion"];

// A lead firm's profiles fit at least k workshops of the cluster (matcher.privacy): a field that
// would single a workshop out comes as a band (quality) or withheld (null, named in "withheld").

/**
 * A field withheld from a profile: a dash whose title says why.
 * @param {number | undefined} k
 * @returns {HTMLElement}
 */
export function withheld(k) {
  return el("abbr", { class: "withheld", title: t("shortlist.withheld", { k: num(k) }) }, t("value.none"));
}

/**
 * A profile's quality: one level, a band ("3–4") or withheld.
 * @param {{low: number, high: number} | null | undefined} quality
 * @param {number | undefined} k
 * @returns {HTMLElement | string}
 */
export function shownQuality(quality, k) {
  if (!quality) return withheld(k);
  return quality.low === quality.high ? num(quality.low) : num(quality.low) + "–" + num(quality.high);
}

/**
 * A profile's field through ``show``, or the withheld mark.
 * @template T
 * @param {T | null | undefined} value
 * @param {number | undefined} k
 * @param {(value: T) => string} show
 * @returns {HTMLElement | string}
 */
export function shown(value, k, show) {
  return value === null || value === undefined ? withheld(k) : show(value);
}

/**
 * The shortlist page: the newest shortlist of the order, or a way to make one.
 * @param {import("./state.js").Current} current
 */
export async function pageShortlist(current) {
  app.append(heading(t("page.shortlist")));
  let answer = S.data.shortlist;
  if (!answer && !S.standalone && S.urls.shortlists) {
    const list = await api(S.urls.shortlists);
    const newest = list && list.items && list.items[0];
    if (newest) answer = await api((S.urls.shortlist || "/shortlists").replace(/\/$/, "") + "/" + encodeURIComponent(newest.shortlist_id));
    S.data.shortlist = answer;
  }
  if (!answer && !S.standalone && S.urls.shortlist && !S.urls.shortlists) {
    answer = await need("shortlist");
  }
  if (!current()) return;
  if (!answer) {
    if (!S.standalone && S.urls.order) {
      // The order itself, so that the firm sees what it is about to shortlist.
      /** @type {any} */
      let order = null;
      try {
        order = await api(S.urls.order);
      } catch (err) {
        if (err.status === 401) throw err;
      }
      if (!current()) return;
      if (order) {
        app.append(
          el(
            "section",
            { class: "panel", "aria-labelledby": "sl-order-title" },
            el("h2", { id: "sl-order-title" }, t("shortlist.order_title", { order: order.order_id })),
            orderFacts(order)
          )
        );
      }
    }
    app.append(notice(t("shortlist.none"), "info"));
    if (!S.standalone && S.urls.shortlists) {
      const button = el("button", { type: "button", id: "make-shortlist", class: "primary" }, t("shortlist.make"));
      const status = el("p", { role: "status", "aria-live": "polite" });
      button.addEventListener("click", async () => {
        button.disabled = true;
        status.textContent = t("shortlist.making");
        try {
          S.data.shortlist = await api(S.urls.shortlists, { method: "POST" });
          rerender();
        } catch (err) {
          button.disabled = false;
          status.replaceChildren(errorNotice(err));
        }
      });
      app.append(el("div", { class: "button-row" }, button), status);
    }
    markReady(0, 0);
    return;
  }
  await drawShortlist(answer, current);
}

/**
 * The warning of a shortlist made on older data, with the button that makes it again on the current data.
 * @param {Shortlist} answer
 * @returns {HTMLElement}
 */
export function outdatedNotice(answer) {
  const box = el("div", { class: "notice notice-warning", id: "shortlist-outdated" }, el("p", {}, t("shortlist.outdated")));
  if (S.standalone || !S.urls.shortlists) return box; // a file has no service to ask
  const status = el("p", { id: "refresh-status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", id: "refresh-shortlist", class: "primary" }, t("shortlist.refresh"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = t("shortlist.making");
    try {
      // The same length of list as before; the service answers the shortlist of the current data.
      S.data.shortlist = await api(S.urls.shortlists + "?top=" + encodeURIComponent(answer.top || 5), { method: "POST" });
      S.refreshed = true;
      rerender();
    } catch (err) {
      button.disabled = false;
      status.replaceChildren(errorNotice(err));
    }
  });
  box.append(el("div", { class: "button-row" }, button), status);
  return box;
}

/**
 * Draws a shortlist: the order, the score chart, the entries and the chosen entry's members.
 * @param {Shortlist} answer
 * @param {import("./state.js").Current} current
 */
export async function drawShortlist(answer, current) {
  const order = answer.order || {};
  const weights = answer.score_weights || {};
  const entries = (answer.singles || []).concat(answer.groups || []);
  const k = (answer.anonymity || {}).k;
  app.append(
    el(
      "section",
      { class: "panel", "aria-labelledby": "sl-order-title" },
      el("h2", { id: "sl-order-title" }, t("shortlist.order_title", { order: order.order_id || "" })),
      dl([
        [t("order.product"), label("product", order.product)],
        [t("order.quantity"), num(order.quantity)],
        [t("order.due"), t("order.due_weeks", { weeks: num(order.due_weeks, 1) })],
        [t("order.min_quality"), num(order.min_quality)],
        [t("order.territories"), (order.territories || []).join(", ") || t("shortlist.any_territory")],
        [t("order.formal"), yesNo(order.require_formal)],
      ]),
      answer.current === false ? outdatedNotice(answer) : null,
      S.refreshed && answer.current !== false ? notice(t("shortlist.refreshed"), "info") : null,
      (answer.notes || []).length
        ? el("ul", { class: "plain muted", id: "shortlist-notes" }, explained(answer.notes, answer.note_messages).map((n) => el("li", {}, n)))
        : null
    )
  );
  if (!entries.length) {
    app.append(notice(t("shortlist.empty"), "info"));
    markReady(0, 0);
    return;
  }
  // Each part's share of the total: the total is the weighted mean of the parts known.
  const contributions = entries.map((entry) => {
    /** @type {Record<string, number | null>} */
    const score = entry.score || {};
    const known = SCORE_PARTS.filter((p) => score[p] !== null && score[p] !== undefined);
    const weightSum = known.reduce((s, p) => s + (weights[p] === undefined ? 1 : weights[p]), 0) || 1;
    /** @type {Record<string, number>} */
    const out = {};
    for (const p of known) out[p] = ((weights[p] === undefined ? 1 : weights[p]) * /** @type {number} */ (score[p])) / weightSum;
    return out;
  });
  const refs = entries.map((e) => e.ref);
  const scoreTable = table(
    [t("shortlist.col_ref")].concat(SCORE_PARTS.map((p) => t("score." + p)), [t("score.total")]),
    entries.map((e) => [e.ref].concat(SCORE_PARTS.map((p) => num((e.score || {})[p], 2)), [num((e.score || {}).total, 3)])),
    { numeric: [1, 2, 3, 4, 5, 6] }
  );
  const box = chartBox("score-chart", t("shortlist.chart_title"), t("shortlist.chart_label", { count: num(entries.length) }), scoreTable);
  app.append(box.figure, el("p", { class: "muted", id: "score-help" }, t("shortlist.score_help")));
  const traces = SCORE_PARTS.filter((p) => contributions.some((c) => c[p] !== undefined)).map((p, k) => ({
    type: "bar",
    name: t("score." + p),
    x: refs,
    y: contributions.map((c) => c[p] || 0),
    customdata: entries.map((e) => num((e.score || {})[p], 2)),
    hovertemplate: "%{x} · " + t("score." + p) + ": %{customdata} → %{y:.3f}<extra></extra>",
    marker: { color: PALETTE[k % PALETTE.length] },
  }));
  const pending = plot(box.plotDiv, traces, {
    barmode: "stack",
    showlegend: true,
    legend: topLegend(),
    margin: { l: 70, r: 20, t: 40, b: 50 },
    xaxis: axisTitle(t("shortlist.axis_entry")),
    yaxis: Object.assign(axisTitle(t("shortlist.axis_score")), { range: [0, 1] }),
    height: 360,
  });

  const detail = el("section", { id: "entry-detail", class: "panel", "aria-live": "polite" });
  /** @type {HTMLTableRowElement[]} */
  let rows = [];
  const show = (/** @type {number} */ index) => {
    const entry = entries[index];
    for (const row of rows) row.setAttribute("aria-selected", String(Number(row.dataset.index) === index));
    const owners = (answer.refs || {})[entry.ref];
    const parts = [
      el("h2", {}, t("shortlist.detail_title", { ref: entry.ref })),
      owners ? el("p", {}, t("shortlist.refs", { ids: owners.join(", ") })) : null,
      (entry.why || []).length ? el("ul", {}, explained(entry.why, entry.why_messages).map((w) => el("li", {}, w))) : null,
      el(
        "div",
        { class: "table-scroll" },
        table(
          [t("shortlist.col_member"), t("net.col_territory"), t("shortlist.col_size"), t("shortlist.col_quality"), t("shortlist.col_formal"), t("shortlist.col_main_product"), t("shortlist.col_processes"), t("shortlist.col_allocations")],
          (entry.members || []).map((m) => [
            m.ref + (m.leader ? " · " + t("proposal.role_leader") : ""),
            shown(m.territory, k, (v) => v),
            shown(m.size_band, k, (v) => label("size_band", v)),
            shownQuality(m.quality, k),
            shown(m.formal, k, yesNo),
            shown(m.main_product, k, (v) => (v ? label("product", order.product) : t("shortlist.main_other"))),
            shown(m.processes, k, (v) => v.map((p) => label("process", p)).join(", ") || t("value.none")),
            (m.allocations || []).map((a) => label("process", a.process) + " " + num(a.units)).join(", ") || t("value.none"),
          ]),
          { numeric: [3], id: "members-table" }
        )
      ),
      (entry.members || []).some((m) => (m.withheld || []).length)
        ? el("p", { class: "muted", id: "withheld-help" }, t("shortlist.withheld_help", { k: num(k) }))
        : null,
    ];
    detail.replaceChildren(...parts.filter((part) => part !== null));
  };
  rows = entries.map((e, index) =>
    el(
      "tr",
      { tabindex: index === 0 ? "0" : "-1", "aria-selected": "false", dataset: { index: String(index), ref: e.ref } },
      el("td", { class: "num" }, num(index + 1)),
      el("th", { scope: "row" }, e.ref),
      el("td", {}, label("entry", e.kind)),
      el("td", { class: "num" }, num(e.size)),
      el("td", { class: "num" }, num((e.score || {}).total, 3)),
      SCORE_PARTS.map((p) => el("td", { class: "num" }, num((e.score || {})[p], 2))),
      el("td", { class: "num" }, num(e.free_minutes)),
      el("td", { class: "num" }, num(e.needed_minutes)),
      el("td", {}, [...new Set((e.members || []).map((m) => m.territory || t("value.none")))].join(", "))
    )
  );
  const body = el("tbody", {}, rows);
  body.addEventListener("click", (event) => {
    const row = /** @type {HTMLElement} */ (event.target).closest("tr");
    if (row) {
      rows.forEach((r) => (r.tabIndex = -1));
      row.tabIndex = 0;
      show(Number(row.dataset.index));
    }
  });
  body.addEventListener("keydown", (event) => {
    const row = /** @type {HTMLElement} */ (event.target).closest("tr");
    if (!row) return;
    const at = rows.indexOf(row);
    /** @type {Record<string, number>} */
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      const next = rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))];
      rows.forEach((r) => (r.tabIndex = -1));
      next.tabIndex = 0;
      next.focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      show(at);
    }
  });
  app.append(
    el(
      "section",
      { class: "panel", "aria-labelledby": "sl-table-title" },
      el("h2", { id: "sl-table-title" }, t("shortlist.table_title")),
      el("p", { class: "muted" }, t("shortlist.table_help")),
      el(
        "div",
        { class: "table-scroll" },
        el(
          "table",
          { id: "shortlist-table", class: "selectable" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", { scope: "col", class: "num" }, t("shortlist.col_rank")),
              el("th", { scope: "col" }, t("shortlist.col_ref")),
              el("th", { scope: "col" }, t("shortlist.col_kind")),
              el("th", { scope: "col", class: "num" }, t("shortlist.col_workshops")),
              el("th", { scope: "col", class: "num" }, t("score.total")),
              SCORE_PARTS.map((p) => el("th", { scope: "col", class: "num" }, t("score." + p))),
              el("th", { scope: "col", class: "num" }, t("shortlist.col_free")),
              el("th", { scope: "col", class: "num" }, t("shortlist.col_needed")),
              el("th", { scope: "col" }, t("shortlist.col_territory"))
            )
          ),
          body
        )
      )
    ),
    detail
  );
  show(0);
  await pending;
  if (current()) markReady(0, 0);
}
