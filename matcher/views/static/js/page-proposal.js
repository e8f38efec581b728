// @ts-check
/* The group proposed for an order: the order, the changes that would fill it, the run form, allocation and capacity charts, members, cohesion, reasons, and the group on the network. */

import { api, errorNotice, need, PageError } from "./api.js";
import { chartBox, dl, el, heading, notice, selectField, statusBadge, table } from "./dom.js";
import { clearOnEdit, formField, readBackWhole, readWhole, serviceProblems, showErrors } from "./forms.js";
import { explained, fillMessage, label, num, pct, t, yesNo } from "./i18n.js";
import { layoutNetwork, networkLayout, networkLegend, networkState, networkTraces, prepare } from "./network.js";
import { axisTitle, PALETTE, plot, topLegend } from "./plot.js";
import { app, markReady, rerender, S } from "./state.js";

/** @typedef {import("./network.js").NetworkView} NetworkView */
/** @typedef {import("./i18n.js").Message} Message */

/**
 * What one member of a proposed group makes, by process.
 * @typedef {{process: string, units: number, minutes: number}} Allocation
 */

/**
 * A member of a proposed group (matcher.views.proposal_view).
 * @typedef {object} Member
 * @property {string} workshop_id
 * @property {string} [territory]
 * @property {boolean} [leader]
 * @property {boolean} [backup]
 * @property {Allocation[]} [allocations]
 * @property {number} [minutes] its minutes on this order
 * @property {number} [other_minutes] its minutes on the other orders
 * @property {number} [free_minutes] its minutes free by the due date
 * @property {string[]} [why]
 * @property {Message[]} [why_messages]
 */

/**
 * A change that would let an order be filled (matcher.optimize.whatif).
 * @typedef {{kind: string, value: any, text?: string}} Change
 */

/**
 * The group proposed for an order (matcher.views.proposal_view).
 * @typedef {object} ProposalView
 * @property {Record<string, any> & {order_id: string}} order
 * @property {string} [status]
 * @property {Member[]} [members]
 * @property {string[]} [processes]
 * @property {Change[]} [changes]
 * @property {Record<string, any>} [cohesion]
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/**
 * The order the page is about: chosen, named by the address, or the file's.
 * @returns {string | null}
 */
export function proposalOrderId() {
  if (S.order) return S.order;
  const template = S.links.proposal;
  if (template && template.includes("{order_id}")) {
    const [before, after] = template.split("{order_id}");
    const path = location.pathname;
    if (path.startsWith(before) && path.endsWith(after) && path.length > before.length + after.length) {
      return decodeURIComponent(path.slice(before.length, path.length - after.length));
    }
  }
  return new URLSearchParams(location.search).get("order") || S.data.order_id || null;
}

/**
 * The proposal page: the group proposed for the order chosen (or how to get one).
 * @param {import("./state.js").Current} current
 */
export async function pageProposal(current) {
  app.append(heading(t("page.proposal")));
  let orderIds = Object.keys(S.data.proposals).sort();
  if (!S.standalone && S.urls.proposal && !orderIds.length) {
    try {
      const view = await api(S.urls.proposal);
      S.data.proposals[view.order.order_id] = view;
    } catch (err) {
      if (!current()) return;
      if (err.status === 404) {
        await missingProposal(current, err);
        return;
      }
      throw err;
    }
    orderIds = Object.keys(S.data.proposals).sort();
  }
  if (!current()) return;
  if (!orderIds.length) {
    app.append(notice(t("proposal.none"), "info"));
    markReady(0, 0);
    return;
  }
  const wanted = proposalOrderId();
  const orderId = wanted !== null && orderIds.includes(wanted) ? wanted : orderIds[0];
  S.order = orderId;
  const view = S.data.proposals[orderId];
  if (orderIds.length > 1) {
    app.append(
      el(
        "div",
        { class: "panel controls inline" },
        selectField(
          "order-select",
          t("proposal.choose_order"),
          orderIds.map((id) => [id, id + " · " + label("product", S.data.proposals[id].order.product) + " · " + label("status", S.data.proposals[id].status)]),
          orderId,
          (value) => {
            S.order = value;
            if (S.standalone) {
              try {
                history.replaceState(null, "", "#proposal=" + encodeURIComponent(value));
              } catch (err) {
                /* the choice holds until reload */
              }
            }
            rerender();
          }
        )
      )
    );
  }
  let network = null;
  try {
    network = await need("network");
  } catch (err) {
    network = null; // the proposal reads without the network (e.g. a role without it)
  }
  if (!current()) return;
  await drawProposal(view, network, current);
}

/**
 * An order with no proposal yet: says so and, for a coordinator, offers to match it.
 * @param {import("./state.js").Current} current
 * @param {PageError} err
 */
export async function missingProposal(current, err) {
  const orderId = proposalOrderId();
  app.append(notice(t("proposal.missing", { order: orderId || "" }), "info"));
  if (err && err.detail) app.append(el("p", { class: "muted detail" }, err.detail));
  if (S.urls.run && orderId) {
    let quantity = null; // for the usual lot in the hint; the run needs no more than the id
    if (S.urls.order) {
      try {
        quantity = (await api(S.urls.order)).quantity;
      } catch (failure) {
        if (failure.status === 401) return;
      }
      if (!current()) return;
    }
    app.append(runForm(orderId, quantity, false));
  }
  markReady(0, 0);
}

/**
 * The lot an order gets when the run sets none: 5 % of the quantity, at least 50 units, at most the quantity.
 * @param {number} quantity
 * @returns {number}
 */
export function usualLot(quantity) {
  return Math.min(quantity, Math.max(50, Math.ceil((quantity * 5) / 100)));
}

/**
 * How an order's lot reads ("300 units"; 0 or 1: any number); undefined from a run that says none.
 * @param {number | null | undefined} lot
 * @returns {string | undefined}
 */
export function lotText(lot) {
  if (lot === null || lot === undefined) return undefined;
  return lot > 1 ? fillMessage("order.lot_units", { units: lot }) || num(lot) : t("order.lot_none");
}

/**
 * The form that runs the matching of one order with a lot of the coordinator's choosing (empty: the usual one).
 * @param {string} orderId
 * @param {number | null} quantity
 * @param {boolean} again
 * @returns {HTMLElement}
 */
export function runForm(orderId, quantity, again) {
  const input = el("input", { type: "text", id: "run-lot", inputmode: "numeric", autocomplete: "off" });
  const hint = quantity ? fillMessage("run.lot_hint_usual", { units: usualLot(quantity) }) : t("run.lot_hint");
  const field = formField("min_lot", t("run.lot"), input, { hint, readBack: true });
  readBackWhole(input, /** @type {HTMLOutputElement} */ (field.querySelector("output")), (n) => lotText(n));
  const status = el("p", { id: "run-status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "submit", id: "run-match", class: "primary" }, again ? t("run.again") : t("proposal.run"));
  const form = el(
    "form",
    { id: "run-form", class: again ? "panel run-form" : "run-form", novalidate: true, "aria-labelledby": again ? "run-title" : null },
    again ? el("h2", { id: "run-title" }, t("run.again_title")) : null,
    again ? el("p", { class: "muted" }, t("run.again_help")) : null,
    field,
    el("div", { class: "button-row" }, button),
    status
  );
  clearOnEdit(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lot = readWhole(input.value);
    if (lot.error) {
      showErrors(form, [["min_lot", t("form.whole", { example: num(300) })]]);
      return;
    }
    showErrors(form, []);
    button.disabled = true;
    status.textContent = t("proposal.run_started");
    try {
      await runMatch(orderId, status, lot.empty ? null : /** @type {number} */ (lot.value));
      S.data.proposals = {};
      rerender();
    } catch (failure) {
      button.disabled = false;
      if (failure instanceof PageError && failure.status === 422) {
        const left = showErrors(form, serviceProblems(failure, () => "min_lot"));
        status.replaceChildren(...left.map((m) => notice(m, "error")));
      } else {
        status.replaceChildren(failure instanceof PageError ? errorNotice(failure) : notice(String(failure.message || failure), "error"));
      }
    }
  });
  return form;
}

/**
 * Runs the matching of one order (with its lot when given, null: the usual one) and follows the job to its end.
 * @param {string} orderId
 * @param {HTMLElement} status
 * @param {number | null} lot
 * @returns {Promise<void>}
 */
export async function runMatch(orderId, status, lot) {
  /** @type {{order_ids: string[], options?: object}} */
  const body = { order_ids: [orderId] };
  if (lot !== null && lot !== undefined) body.options = { order_rules: { [orderId]: { min_lot: lot } } };
  const job = await api(S.urls.run, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const base = (S.urls.jobs || S.urls.run.replace(/\/match\/?$/, "")).replace(/\/$/, "");
  let state = job;
  while (!["done", "failed", "cancelled"].includes(state.status)) {
    status.textContent = t("proposal.run_progress", { progress: pct(state.progress || 0), message: state.message || "" });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = await api(base + "/" + encodeURIComponent(job.job_id));
  }
  if (state.status !== "done") {
    throw new Error(t("proposal.run_failed", { status: label("job", state.status), error: state.error || "" }));
  }
  status.textContent = t("proposal.run_done");
}

/**
 * Draws a proposal: order, changes, run form, charts, members, cohesion, reasons and the network.
 * @param {ProposalView} view
 * @param {NetworkView | null} network
 * @param {import("./state.js").Current} current
 */
export async function drawProposal(view, network, current) {
  const order = view.order;
  const members = view.members || [];
  const processes = view.processes || [];
  const status = view.status || order.status;
  const leader = members.find((m) => m.leader);
  const backups = members.filter((m) => m.backup);

  app.append(
    el(
      "section",
      { class: "panel", id: "order-summary", "aria-labelledby": "order-title" },
      el("h2", { id: "order-title" }, t("proposal.order_title", { order: order.order_id }), " ", statusBadge(status)),
      dl([
        [t("order.product"), label("product", order.product)],
        [t("order.quantity"), num(order.quantity)],
        [t("order.filled"), num(order.filled_units)],
        [t("order.due"), t("order.due_weeks", { weeks: num(order.due_weeks, 1) })],
        [t("order.firm"), order.firm_id || t("value.none")],
        [t("order.eligible"), num(order.eligible_workshops)],
        // An order with no group has no leader and no group size to tell.
        [t("order.leader"), !members.length ? undefined : leader ? leader.workshop_id : t("proposal.no_leader")],
        backups.length ? [t("order.backup"), backups.map((m) => m.workshop_id).join(", ")] : [t("order.backup"), undefined],
        [t("order.group_size"), members.length ? num(members.length) : undefined],
        [t("order.lot"), lotText(order.lot)],
      ])
    )
  );

  if (status !== "filled" || (view.changes || []).length) app.append(changesSection(view));
  if (!S.standalone && S.urls.run) app.append(runForm(order.order_id, order.quantity, true));

  const pending = [];
  if (members.length) {
    const ids = members.map((m) => m.workshop_id);
    const allocTable = table(
      [t("proposal.col_workshop"), t("proposal.col_process"), t("proposal.col_units"), t("proposal.col_minutes")],
      members.flatMap((m) => (m.allocations || []).map((a) => [m.workshop_id, label("process", a.process), num(a.units), num(a.minutes)])),
      { numeric: [2, 3] }
    );
    const alloc = chartBox("allocation-chart", t("proposal.allocation_title"), t("proposal.allocation_label", { order: order.order_id, members: num(members.length) }), allocTable);
    const freeOf = (/** @type {Member} */ m) => Math.max(0, (m.free_minutes || 0) - (m.minutes || 0) - (m.other_minutes || 0));
    const capTable = table(
      [t("proposal.col_workshop"), t("proposal.cap_this"), t("proposal.cap_other"), t("proposal.cap_free")],
      members.map((m) => [m.workshop_id, num(m.minutes), num(m.other_minutes), num(freeOf(m))]),
      { numeric: [1, 2, 3] }
    );
    const cap = chartBox("capacity-chart", t("proposal.capacity_title"), t("proposal.capacity_label", { order: order.order_id }), capTable);
    app.append(el("div", { class: "chart-grid" }, alloc.figure, cap.figure));
    const used = processes.length ? processes : [...new Set(members.flatMap((m) => (m.allocations || []).map((a) => a.process)))];
    const allocTraces = used.map((process, k) => {
      const cells = members.map((m) => (m.allocations || []).find((a) => a.process === process));
      return {
        type: "bar",
        name: label("process", process),
        x: ids,
        y: cells.map((a) => (a ? a.minutes : 0)),
        customdata: cells.map((a) => (a ? num(a.units) : "0")),
        hovertemplate: "%{x}<br>" + label("process", process) + ": %{y:,.0f} " + t("unit.min") + " (%{customdata} " + t("unit.units") + ")<extra></extra>",
        marker: { color: PALETTE[k % PALETTE.length] },
      };
    });
    pending.push(
      plot(alloc.plotDiv, allocTraces, {
        barmode: "stack",
        showlegend: true,
        legend: topLegend(),
        margin: { l: 70, r: 20, t: 40, b: 50 },
        xaxis: axisTitle(t("proposal.axis_workshop")),
        yaxis: Object.assign(axisTitle(t("proposal.axis_minutes")), { tickformat: ",d" }),
        height: 360,
      })
    );
    /** @type {[string, string, string, (m: Member) => number][]} */
    const capBars = [
      ["minutes", t("proposal.cap_this"), "#0072B2", (m) => m.minutes || 0],
      ["other", t("proposal.cap_other"), "#D55E00", (m) => m.other_minutes || 0],
      ["free", t("proposal.cap_free"), "#c4c9d0", freeOf],
    ];
    const capTraces = capBars.map(([, name, color, value]) => ({
      type: "bar",
      orientation: "h",
      name,
      y: ids,
      x: members.map(value),
      marker: { color },
      hovertemplate: "%{y}: %{x:,.0f} " + t("unit.min") + "<extra>" + name + "</extra>",
    }));
    pending.push(
      plot(cap.plotDiv, capTraces, {
        barmode: "stack",
        showlegend: true,
        legend: topLegend(),
        margin: { l: 70, r: 20, t: 40, b: 50 },
        xaxis: Object.assign(axisTitle(t("proposal.axis_minutes_due", { weeks: num(order.due_weeks, 1) })), { tickformat: ",d" }),
        yaxis: { automargin: true, autorange: "reversed" },
        height: Math.max(260, 110 + 36 * members.length),
      })
    );
    app.append(memberTable(members));
  }

  // No group, no cohesion to show: an unfilled order's page has no empty group box.
  if (members.length) app.append(cohesionSection(view.cohesion || {}, status, members.length));
  const reasons = explained(view.reasons, view.reason_messages);
  app.append(
    el(
      "section",
      { id: "reasons", class: "panel", "aria-labelledby": "reasons-title" },
      el("h2", { id: "reasons-title" }, t("proposal.reasons_title")),
      reasons.length ? el("ul", {}, reasons.map((r) => el("li", {}, r))) : el("p", { class: "muted" }, t("value.none"))
    )
  );

  let counts = [0, 0];
  if (network && members.length) {
    const P = prepare(network);
    const st = networkState(network);
    const group = members.map((m) => P.index.get(m.workshop_id)).filter((i) => i !== undefined);
    if (P.collapsible) group.forEach((i) => st.expanded.add(network.nodes.community[i]));
    const graph = el("div", {
      id: "network-graph",
      class: "chart network-chart",
      role: "img",
      "aria-label": t("proposal.network_label", { members: num(group.length) }),
    });
    app.append(
      el(
        "section",
        { class: "panel", "aria-labelledby": "proposal-network-title" },
        el("h2", { id: "proposal-network-title" }, t("proposal.network_title")),
        el("p", { class: "muted" }, t("proposal.network_help")),
        el("div", { class: "network-frame" }, graph),
        networkLegend(P, st)
      )
    );
    const layout = layoutNetwork(P, st);
    const traces = networkTraces(P, st, layout, [{ nodes: group, color: "#111111", name: t("legend.group"), dim: true }]);
    pending.push(plot(graph, traces, networkLayout(), { scrollZoom: true }));
    counts = [layout.nodes.length + layout.members.size, layout.edges];
  }
  await Promise.all(pending);
  if (current()) markReady(counts[0], counts[1]);
}

/**
 * One suggested change in words (its own sentence, not the optimizer's message).
 * @param {Change} change
 * @returns {string}
 */
export function changeText(change) {
  const value = change.value;
  switch (change.kind) {
    case "due_weeks":
      return t("change.due_weeks", { value: num(value, 1) });
    case "max_group_size":
      return t("change.max_group_size", { value: num(value) });
    case "territory":
      return t("change.territory", { value });
    case "min_quality":
      return t("change.min_quality", { value: num(value) });
    case "require_formal":
      return t("change.require_formal");
    case "conflict":
      return t("change.conflict", { a: (value || [])[0], b: (value || [])[1] });
    case "min_lot":
      return value > 1 ? t("change.min_lot", { value: num(value) }) : t("change.no_min_lot");
    case "rule":
      return value === "min_group_size" ? t("change.no_min_group") : t("change.rule", { value: label("rule", value) });
    default:
      return change.text || String(value);
  }
}

/**
 * What the order's status means, and the changes that would let it be filled.
 * @param {ProposalView} view
 * @returns {HTMLElement}
 */
export function changesSection(view) {
  const changes = view.changes || [];
  const status = view.status || view.order.status;
  return el(
    "section",
    { id: "changes", class: "panel", "aria-labelledby": "changes-title" },
    el("h2", { id: "changes-title" }, t("proposal.changes_title")),
    el("p", {}, status === "partial" ? t("proposal.partial_text") : status === "filled" ? t("proposal.filled_text") : t("proposal.unfilled_text")),
    changes.length
      ? el("ul", {}, changes.map((c) => el("li", {}, changeText(c))))
      : el("p", { class: "muted" }, t("proposal.no_changes"))
  );
}

/**
 * The members of the group: role, work by process, minutes and why each is in it.
 * @param {Member[]} members
 * @returns {HTMLElement}
 */
export function memberTable(members) {
  const rows = members.map((m) =>
    el(
      "tr",
      { dataset: { id: m.workshop_id } },
      el("th", { scope: "row" }, m.workshop_id),
      el("td", {}, m.territory || ""),
      el("td", {}, m.leader ? t("proposal.role_leader") : m.backup ? t("proposal.role_backup") : t("proposal.role_member")),
      el("td", {}, (m.allocations || []).map((a) => label("process", a.process) + " " + num(a.units)).join(", ")),
      el("td", { class: "num" }, num(m.minutes)),
      el("td", { class: "num" }, num(m.other_minutes)),
      el("td", { class: "num" }, num(m.free_minutes)),
      el("td", {}, (m.why || []).length ? el("ul", { class: "plain" }, explained(m.why, m.why_messages).map((w) => el("li", {}, w))) : "")
    )
  );
  return el(
    "section",
    { class: "panel", "aria-labelledby": "members-title" },
    el("h2", { id: "members-title" }, t("proposal.members_title")),
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { id: "member-table" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            /** @type {[string, boolean][]} */ ([
              ["proposal.col_workshop", false],
              ["proposal.col_territory", false],
              ["proposal.col_role", false],
              ["proposal.col_units_by_process", false],
              ["proposal.cap_this", true],
              ["proposal.cap_other", true],
              ["proposal.col_free", true],
              ["proposal.col_why", false],
            ]).map(([key, numeric]) => el("th", { scope: "col", class: numeric ? "num" : null }, t(key)))
          )
        ),
        el("tbody", {}, rows)
      )
    )
  );
}

/**
 * What is known of a group linked by ties that could take the order instead (matcher.optimize.whatif).
 * @param {{size: number, smallest?: boolean} | null | undefined} alternative
 * @returns {string}
 */
export function alternativeText(alternative) {
  if (alternative === null) return t("proposal.alternative_none");
  if (alternative === undefined) return t("proposal.alternative_unknown");
  const key = alternative.smallest ? "proposal.alternative_size" : "proposal.alternative_at_most";
  return fillMessage(key, { size: alternative.size }) || String(alternative.size);
}

/**
 * How the group holds together (ties, parts, leader reach), as facts.
 * @param {Record<string, any>} cohesion
 * @param {string} status
 * @param {number} members
 * @returns {HTMLElement}
 */
export function cohesionSection(cohesion, status, members) {
  // A filled group of two or more not linked by ties has connected_alternative (absent: not settled in time).
  const unlinked = status === "filled" && members > 1 && cohesion.connected === false;
  const entries = Object.entries(cohesion).filter(([key]) => key !== "connected_alternative");
  if (unlinked) entries.push(["connected_alternative", cohesion.connected_alternative]);
  /** @type {[string, string][]} */
  const pairs = entries.map(([key, value]) => {
    let shown;
    if (key === "connected_alternative") shown = alternativeText(value);
    else if (typeof value === "boolean") shown = yesNo(value);
    else if (typeof value === "number") shown = num(value, Number.isInteger(value) ? 0 : 2);
    else if (value === null) shown = t("value.none");
    else shown = String(value);
    return [label("cohesion", key), shown];
  });
  return el(
    "section",
    { id: "cohesion", class: "panel", "aria-labelledby": "cohesion-title" },
    el("h2", { id: "cohesion-title" }, t("proposal.cohesion_title")),
    pairs.length ? dl(pairs) : el("p", { class: "muted" }, t("value.none"))
  );
}
