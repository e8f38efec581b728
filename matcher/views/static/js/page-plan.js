// @ts-check
/* An upgrade plan: the budget and the portfolio (planned and confirmed units), the interventions ranked
 * with the orders each helps fill, every unfilled order's set, and the cost table used. */

import { serviceRun } from "./develop-run.js";
import { dl, el, heading, notice } from "./dom.js";
import { explained, label, num, t, yesNo } from "./i18n.js";
import { app, markReady, S } from "./state.js";

/** @typedef {import("./i18n.js").Message} Message */

/**
 * One intervention of the plan, ranked (matcher.views.plan_view).
 * @typedef {object} PlanStep
 * @property {number} rank
 * @property {string} key
 * @property {string} kind
 * @property {string | null} workshop_id
 * @property {string | null} [territory]
 * @property {string | null} [target]
 * @property {number | null} [amount]
 * @property {number | null} cost
 * @property {string} text
 * @property {Message | null} [message]
 * @property {string[]} orders the orders whose set of interventions it belongs to
 * @property {number} units those orders' units
 * @property {boolean} in_portfolio
 */

/**
 * An unfilled order and the cheapest set of interventions found for it (matcher.views.plan_view).
 * @typedef {object} PlanOrder
 * @property {number} rank
 * @property {string} order_id
 * @property {string} [product]
 * @property {number} [quantity]
 * @property {boolean} fills
 * @property {number} units
 * @property {number | null} cost
 * @property {number | null} [units_per_cost]
 * @property {string[]} interventions keys of its steps
 * @property {boolean} in_portfolio
 * @property {boolean | null} within_budget
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/**
 * An upgrade plan as the page shows it (matcher.views.plan_view).
 * @typedef {object} PlanView
 * @property {number | null} budget
 * @property {string | null} [cost_source]
 * @property {{units?: number, status?: string}} baseline
 * @property {{orders: number, fillable: number, steps: number, portfolio_steps: number}} summary
 * @property {PlanStep[]} steps
 * @property {PlanOrder[]} orders
 * @property {{cost: number | null, remaining: number | null, orders: string[], planned_units: number, confirmed_units: number | null, confirmed_status: string | null, unlocked_orders: string[], lost_orders: string[]}} portfolio
 * @property {{kind: string, cost: number, unit?: string}[]} costs
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/** The service's run form: the budget (empty: rank only) and the time for the whole plan.
 * @type {import("./develop-run.js").RunField[]} */
const PLAN_FIELDS = [
  { name: "budget", type: "whole", text: "develop.budget", hint: "develop.budget_hint", value: null, min: 1 },
  { name: "time_limit", type: "whole", text: "develop.time_limit", hint: "develop.time_limit_hint", value: 60, min: 1, max: 3600 },
];

/**
 * Order ids as a short list ("O10, O07"; a dash for none).
 * @param {string[]} ids
 * @returns {string}
 */
function orderIdList(ids) {
  return ids.length ? ids.join(", ") : t("value.none");
}

/**
 * The plan page.
 * @param {import("./state.js").Current} current
 */
export async function pagePlan(current) {
  app.append(heading(t("page.plan")));
  /** @type {PlanView | null} */
  let view = S.data.plan || null;
  if (!S.standalone) {
    view = await serviceRun("plan", PLAN_FIELDS, current, (shown) => ({ budget: shown.budget }));
    if (!current()) return;
  }
  if (!view) {
    if (S.standalone) app.append(notice(t("plan.none"), "info"));
    markReady(0, 0);
    return;
  }
  if (!current()) return;
  app.append(portfolioSection(view), stepTable(view.steps), planOrderTable(view), planCostTable(view));
  markReady(view.steps.length, 0);
}

/**
 * The budget, what the cluster fills as it is, and the portfolio: its cost, units planned and confirmed by solving.
 * @param {PlanView} view
 * @returns {HTMLElement}
 */
export function portfolioSection(view) {
  const p = view.portfolio;
  const reasons = explained(view.reasons, view.reason_messages);
  // With a budget and a portfolio, its figures; with a budget and none, that none fits; without a budget, no portfolio at all.
  const chosen = view.budget !== null && view.budget !== undefined && p.orders.length > 0;
  return el(
    "section",
    { class: "panel", id: "plan-summary", "aria-labelledby": "plan-summary-title" },
    el("h2", { id: "plan-summary-title" }, t("plan.summary_title")),
    String(view.cost_source || "").startsWith("default") ? notice(t("plan.synthetic_costs"), "warning") : null,
    dl([
      [t("plan.budget"), view.budget !== null && view.budget !== undefined ? num(view.budget) : t("plan.no_budget")],
      [t("plan.portfolio"), view.budget !== null && view.budget !== undefined && !chosen ? t("plan.no_portfolio") : undefined],
      [t("plan.baseline"), t("plan.units_value", { units: num(view.baseline.units) })],
      [t("plan.unfilled_orders"), t("plan.unfilled_value", { orders: num(view.summary.orders), fillable: num(view.summary.fillable) })],
      [t("plan.portfolio_cost"), chosen ? num(p.cost) : undefined],
      [t("plan.remaining"), chosen && p.remaining !== null ? num(p.remaining) : undefined],
      [t("plan.planned_units"), chosen ? t("plan.units_value", { units: num(p.planned_units) }) : undefined],
      [t("plan.confirmed_units"), chosen ? (p.confirmed_units === null ? t("plan.not_confirmed") : t("plan.units_value", { units: num(p.confirmed_units) })) : undefined],
      [t("plan.unlocked_orders"), chosen ? orderIdList(p.unlocked_orders) : undefined],
      [t("plan.lost_orders"), p.lost_orders.length ? orderIdList(p.lost_orders) : undefined],
    ]),
    chosen ? el("p", { class: "muted" }, t("plan.confirmed_help")) : null,
    reasons.length ? el("ul", { id: "plan-reasons" }, reasons.map((r) => el("li", {}, r))) : null
  );
}

/**
 * One intervention in the page's language.
 * @param {PlanStep} step
 * @returns {string}
 */
export function stepText(step) {
  return explained([step.text], step.message ? [step.message] : undefined)[0];
}

/**
 * The interventions ranked: the portfolio's first, then by the units of the orders they help fill.
 * @param {PlanStep[]} steps
 * @returns {HTMLElement}
 */
export function stepTable(steps) {
  const headers = ["plan.col_rank", "plan.col_step", "plan.col_kind", "plan.col_territory", "plan.col_cost", "plan.col_orders", "plan.col_units", "plan.col_portfolio"];
  const numeric = new Set([0, 4, 6]);
  return el(
    "section",
    { class: "panel", "aria-labelledby": "steps-title" },
    el("h2", { id: "steps-title" }, t("plan.steps_title")),
    el("p", { class: "muted" }, t("plan.steps_help")),
    steps.length
      ? el(
          "div",
          { class: "table-scroll" },
          el(
            "table",
            { id: "step-table" },
            el("thead", {}, el("tr", {}, headers.map((k, i) => el("th", { scope: "col", class: numeric.has(i) ? "num" : null }, t(k))))),
            el(
              "tbody",
              {},
              steps.map((s) =>
                el(
                  "tr",
                  { dataset: { key: s.key, portfolio: String(s.in_portfolio) }, class: s.in_portfolio ? "chosen" : null },
                  el("td", { class: "num" }, num(s.rank)),
                  el("th", { scope: "row" }, stepText(s)),
                  el("td", {}, label("intervention", s.kind)),
                  el("td", {}, s.territory || ""),
                  el("td", { class: "num" }, num(s.cost)),
                  el("td", {}, orderIdList(s.orders)),
                  el("td", { class: "num" }, num(s.units)),
                  el("td", {}, s.in_portfolio ? t("plan.in_portfolio") : "")
                )
              )
            )
          )
        )
      : el("p", { class: "muted" }, t("plan.no_steps"))
  );
}

/**
 * Every unfilled order: whether a set of interventions found fills it, its cost, and whether the portfolio takes it.
 * @param {PlanView} view
 * @returns {HTMLElement}
 */
export function planOrderTable(view) {
  const headers = ["plan.col_rank", "plan.col_order", "plan.col_product", "plan.col_quantity", "plan.col_fills", "plan.col_set", "plan.col_cost", "plan.col_budget", "plan.col_portfolio", "plan.col_reasons"];
  const numeric = new Set([0, 3, 5, 6]);
  return el(
    "section",
    { class: "panel", "aria-labelledby": "plan-orders-title" },
    el("h2", { id: "plan-orders-title" }, t("plan.orders_title")),
    view.orders.length
      ? el(
          "div",
          { class: "table-scroll" },
          el(
            "table",
            { id: "plan-order-table" },
            el("thead", {}, el("tr", {}, headers.map((k, i) => el("th", { scope: "col", class: numeric.has(i) ? "num" : null }, t(k))))),
            el(
              "tbody",
              {},
              view.orders.map((o) =>
                el(
                  "tr",
                  { dataset: { id: o.order_id } },
                  el("td", { class: "num" }, num(o.rank)),
                  el("th", { scope: "row" }, o.order_id),
                  el("td", {}, label("product", o.product)),
                  el("td", { class: "num" }, num(o.quantity)),
                  el("td", {}, yesNo(o.fills)),
                  el("td", { class: "num" }, num(o.interventions.length)),
                  el("td", { class: "num" }, num(o.cost)),
                  el("td", {}, o.within_budget === null ? t("value.none") : yesNo(o.within_budget)),
                  el("td", {}, o.in_portfolio ? t("plan.in_portfolio") : ""),
                  el("td", {}, el("ul", { class: "plain" }, explained(o.reasons, o.reason_messages).map((r) => el("li", {}, r))))
                )
              )
            )
          )
        )
      : el("p", { class: "muted" }, t("plan.all_filled"))
  );
}

/**
 * The cost of each kind of intervention the plan used.
 * @param {PlanView} view
 * @returns {HTMLElement}
 */
export function planCostTable(view) {
  return el(
    "section",
    { class: "panel", "aria-labelledby": "costs-title" },
    el("h2", { id: "costs-title" }, t("plan.costs_title")),
    el(
      "details",
      {},
      el("summary", {}, t("plan.costs_show")),
      el(
        "table",
        { id: "cost-table" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("plan.col_kind")), el("th", { scope: "col", class: "num" }, t("plan.col_cost")), el("th", { scope: "col" }, t("plan.col_per")))),
        el(
          "tbody",
          {},
          view.costs.map((c) =>
            el("tr", { dataset: { kind: c.kind } }, el("th", { scope: "row" }, label("intervention", c.kind)), el("td", { class: "num" }, num(c.cost)), el("td", {}, label("cost_unit", c.unit)))
          )
        )
      )
    )
  );
}
