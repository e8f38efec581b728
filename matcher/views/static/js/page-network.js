// @ts-check
/* The network page: the figure, its filters, the summary, a workshop's profile and the workshop table. */

import { need } from "./api.js";
import { dl, el, heading, notice, selectField } from "./dom.js";
import { label, num, pct, t, yesNo } from "./i18n.js";
import { layoutNetwork, networkLayout, networkLegend, networkState, networkTraces, prepare } from "./network.js";
import { plot } from "./plot.js";
import { app, markReady, S } from "./state.js";

/** @typedef {import("./network.js").NetworkView} NetworkView */
/** @typedef {import("./network.js").NetworkState} NetworkState */
/** @typedef {import("./network.js").NetworkLayout} NetworkLayout */
/** @typedef {import("./network.js").Prepared} Prepared */

export const TABLE_ROWS = 400; // workshop rows shown at once; the search box narrows the rest

/**
 * The network page: the figure and its filters, the summary, a workshop's profile and the table.
 * @param {import("./state.js").Current} current
 */
export async function pageNetwork(current) {
  app.append(heading(t("page.network")));
  /** @type {NetworkView | null} */
  const found = await need("network");
  if (!current()) return;
  if (!found) {
    app.append(notice(t("error.no_view"), "info"));
    markReady(0, 0);
    return;
  }
  const view = found;
  if (!S.prep || S.prep.view !== view) {
    S.prep = prepare(view);
    S.net = networkState(view);
  }
  const P = S.prep;
  const st = /** @type {NetworkState} */ (S.net);
  const N = view.nodes;

  const graph = el("div", {
    id: "network-graph",
    class: "chart network-chart",
    role: "img",
    "aria-label": t("net.graph_label", { workshops: num(P.n), ties: num((view.summary || {}).ties) }),
  });
  const legendSlot = el("div", { class: "legend-slot" });
  const drawn = el("p", { id: "drawn-counts", class: "muted", "aria-live": "polite" });
  const profile = el("section", { id: "profile", class: "panel", "aria-live": "polite", "aria-labelledby": "profile-title" });
  const tableSlot = el("div", { id: "workshop-table-slot" });
  const tableNote = el("p", { class: "muted", id: "workshop-table-note" });

  const layoutRow = el(
    "div",
    { class: "network-layout" },
    networkControls(P, st, redraw, refilter),
    el("div", { class: "network-main" }, el("div", { class: "network-frame" }, graph), legendSlot, P.collapsible ? collapseButtons(P, st, redraw) : null),
    el("aside", { class: "network-side" }, summarySection(view, drawn), profile)
  );
  const search = el("input", {
    id: "workshop-search",
    type: "search",
    value: st.search,
    autocomplete: "off",
    oninput: (/** @type {Event} */ event) => {
      st.search = /** @type {HTMLInputElement} */ (event.target).value.trim().toLowerCase();
      renderTable();
    },
  });
  app.append(
    layoutRow,
    el(
      "section",
      { class: "panel", "aria-labelledby": "workshops-title" },
      el("h2", { id: "workshops-title" }, t("net.table_title")),
      el("p", { class: "muted" }, t("net.table_help")),
      el("div", { class: "field" }, el("label", { for: "workshop-search" }, t("net.search")), search),
      tableNote,
      tableSlot
    )
  );

  function renderProfile() {
    const i = st.selected;
    if (i === null || i === undefined) {
      profile.replaceChildren(el("h2", { id: "profile-title" }, t("profile.title")), el("p", { class: "muted" }, t("profile.empty")));
      return;
    }
    const cats = view.categories || {};
    const roles = [];
    if (N.broker[i]) roles.push(t("role_in_network.broker"));
    if (N.isolate[i]) roles.push(t("role_in_network.isolate"));
    if (N.articulation[i]) roles.push(t("role_in_network.articulation"));
    // Workshops it is tied to by each kind (in the wave chosen, else in any): a partner
    // recorded in two waves, or both ways, counts once.
    const wave = st.wave === "all" ? null : (view.waves || []).indexOf(st.wave);
    const partners = new Map();
    for (let e = 0; e < P.m; e++) {
      const s = view.edges.source[e];
      const d = view.edges.target[e];
      if ((s !== i && d !== i) || (wave !== null && view.edges.wave[e] !== wave)) continue;
      const kind = view.kinds[view.edges.kind[e]];
      if (!partners.has(kind)) partners.set(kind, new Set());
      partners.get(kind).add(s === i ? d : s);
    }
    /** @type {[string, number][]} */
    const byKind = view.kinds.filter((kind) => partners.has(kind)).map((kind) => [kind, partners.get(kind).size]);
    const community = (view.communities || [])[N.community[i]];
    profile.replaceChildren(
      el("h2", { id: "profile-title" }, t("profile.title_of", { id: N.id[i] })),
      dl([
        [t("profile.territory"), (cats.territory || [])[N.territory[i]] || t("value.none")],
        [t("profile.product"), label("product", (cats.product || [])[N.product[i]])],
        [t("profile.organizations"), (N.organizations[i] || []).map((o) => (cats.organization || [])[o]).join(", ") || t("value.none")],
        [t("profile.community"), community ? community.label : t("value.none")],
        [t("profile.workers"), num(N.workers[i])],
        [t("profile.quality"), num(N.quality[i])],
        [t("profile.formal"), yesNo(N.formal[i])],
        [t("profile.can_lead"), yesNo(N.can_lead[i])],
        [t("profile.capacity"), num(N.capacity[i]) + " " + t("unit.min_week")],
        [t("profile.degree"), num(N.degree[i])],
        [t("profile.betweenness"), num(N.betweenness[i], 3)],
        [t("profile.processes"), (N.processes[i] || []).map((p) => label("process", p)).join(", ") || t("value.none")],
        [t("profile.roles"), roles.join(", ") || t("value.none")],
        [
          wave === null ? t("profile.ties") : t("profile.ties_wave", { wave: st.wave }),
          byKind.map(([kind, count]) => label("kind", kind) + " " + num(count)).join(", ") || t("value.none"),
        ],
      ])
    );
  }

  /** @type {HTMLTableRowElement[]} */
  let rows = [];
  /** @type {NetworkLayout | null} */
  let lastLayout = null;
  function renderTable() {
    const matches = [];
    for (let i = 0; i < P.n; i++) {
      if (lastLayout && !lastLayout.visible[i]) continue;
      if (st.search && !N.id[i].toLowerCase().includes(st.search)) continue;
      matches.push(i);
    }
    const shown = matches.slice(0, TABLE_ROWS);
    tableNote.textContent =
      matches.length > shown.length
        ? t("net.table_capped", { shown: num(shown.length), total: num(matches.length) })
        : t("net.table_count", { total: num(matches.length) });
    const cats = view.categories || {};
    const active = st.selected !== null && shown.includes(st.selected) ? st.selected : shown[0];
    rows = shown.map((i) => {
      const roles = [];
      if (N.broker[i]) roles.push(t("role_in_network.broker"));
      if (N.isolate[i]) roles.push(t("role_in_network.isolate"));
      if (N.articulation[i]) roles.push(t("role_in_network.articulation"));
      const community = (view.communities || [])[N.community[i]];
      return el(
        "tr",
        {
          tabindex: i === active ? "0" : "-1",
          "aria-selected": String(i === st.selected),
          dataset: { index: String(i), id: N.id[i] },
        },
        el("th", { scope: "row" }, N.id[i]),
        el("td", {}, (cats.territory || [])[N.territory[i]] || ""),
        el("td", {}, community ? community.label : t("value.none")),
        el("td", { class: "num" }, num(N.degree[i])),
        el("td", { class: "num" }, num(N.capacity[i])),
        el("td", {}, roles.join(", "))
      );
    });
    const tableNode = el(
      "table",
      { id: "workshop-table", class: "selectable", "aria-describedby": "workshop-table-note" },
      el("caption", { class: "visually-hidden" }, t("net.table_title")),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, t("net.col_workshop")),
          el("th", { scope: "col" }, t("net.col_territory")),
          el("th", { scope: "col" }, t("net.col_community")),
          el("th", { scope: "col", class: "num" }, t("net.col_degree")),
          el("th", { scope: "col", class: "num" }, t("net.col_capacity")),
          el("th", { scope: "col" }, t("net.col_roles"))
        )
      ),
      el("tbody", { onkeydown: tableKeys, onclick: tableClick }, rows)
    );
    tableSlot.replaceChildren(el("div", { class: "table-scroll" }, tableNode));
  }

  /**
   * Moves the keyboard focus to a row of the workshop table.
   * @param {HTMLTableRowElement} row
   */
  function focusRow(row) {
    for (const r of rows) r.tabIndex = -1;
    row.tabIndex = 0;
    row.focus();
  }

  /**
   * The workshop table's keys: arrows, Home, End and pages move; Enter and space choose.
   * @param {KeyboardEvent} event
   */
  function tableKeys(event) {
    const row = /** @type {HTMLElement} */ (event.target).closest("tr");
    if (!row) return;
    const at = rows.indexOf(row);
    /** @type {Record<string, number>} */
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1, PageDown: at + 10, PageUp: at - 10 };
    if (event.key in moves) {
      event.preventDefault();
      focusRow(rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(Number(row.dataset.index));
    }
  }

  /**
   * A click on a row chooses its workshop.
   * @param {MouseEvent} event
   */
  function tableClick(event) {
    const row = /** @type {HTMLElement} */ (event.target).closest("tr");
    if (row && row.dataset.index) {
      focusRow(row);
      select(Number(row.dataset.index));
    }
  }

  /**
   * Chooses a workshop: its profile, its row, and the figure with its community open and it circled.
   * @param {number} i
   */
  function select(i) {
    st.selected = i;
    if (P.collapsible && N.community[i] >= 0) st.expanded.add(N.community[i]);
    for (const row of rows) row.setAttribute("aria-selected", String(Number(row.dataset.index) === i));
    renderProfile();
    redraw();
  }

  function redraw() {
    const layout = layoutNetwork(P, st);
    lastLayout = layout;
    const rings = st.selected === null ? [] : [{ nodes: [st.selected], color: "#111111", name: t("legend.selected") }];
    const traces = networkTraces(P, st, layout, rings);
    legendSlot.replaceChildren(networkLegend(P, st));
    const count = layout.nodes.length + layout.members.size;
    drawn.textContent = layout.members.size
      ? t("sum.drawn_collapsed", { nodes: num(count), communities: num(layout.members.size), edges: num(layout.edges) })
      : t("sum.drawn", { nodes: num(count), edges: num(layout.edges) });
    document.body.dataset.ready = "0";
    return plot(graph, traces, networkLayout(), { scrollZoom: true }).then(() => {
      if (current()) markReady(count, layout.edges);
    });
  }

  function refilter() {
    const done = redraw();
    renderTable();
    return done;
  }

  renderProfile();
  await redraw();
  renderTable();
  const plotted = /** @type {PlotlyDiv} */ (graph); // plotly.js gives the div its events
  if (window.Plotly && plotted.on) {
    plotted.on("plotly_click", (event) => {
      const point = event && event.points && event.points[0];
      if (!point || point.customdata === undefined || point.customdata === null) return;
      const value = Number(point.customdata);
      if (value >= 0) select(value);
      else {
        st.expanded.add(-value - 1);
        redraw();
      }
    });
  }
}

/**
 * The figure's filters: tie kinds, territory, organization, wave, colour, size, highlights.
 * @param {Prepared} P
 * @param {NetworkState} st
 * @param {() => unknown} redraw
 * @param {() => unknown} refilter
 * @returns {HTMLElement}
 */
export function networkControls(P, st, redraw, refilter) {
  const view = P.view;
  const cats = view.categories || {};
  // A checkbox that keeps `chosen` (a Set of values) in step and redraws.
  /** @type {(name: string, value: string, chosen: Set<string>, text: string, labelClass?: string | null) => HTMLElement} */
  const toggle = (name, value, chosen, text, labelClass = null) => {
    const id = name + "-" + value;
    return el(
      "div",
      { class: "check" },
      el("input", {
        type: "checkbox",
        id,
        name,
        value,
        checked: chosen.has(value),
        onchange: (/** @type {Event} */ event) => {
          if (/** @type {HTMLInputElement} */ (event.target).checked) chosen.add(value);
          else chosen.delete(value);
          redraw();
        },
      }),
      el("label", { for: id, class: labelClass }, text)
    );
  };
  const kindBoxes = view.kinds.map((kind) =>
    toggle("kind", kind, st.kinds, label("kind", kind), kind === "conflict" ? "conflict-label" : null)
  );
  const highlightBoxes = ["broker", "isolate", "articulation"].map((role) =>
    toggle("highlight", role, st.highlight, t("highlight." + role))
  );
  const waves = view.waves || [];
  const waveField = selectField(
    "wave",
    t("filter.wave"),
    [["all", t("filter.all_waves")]].concat(waves.map((w) => [w, t("filter.wave_n", { wave: w })])),
    st.wave,
    (value) => {
      st.wave = value;
      redraw();
    }
  );
  if (!waves.length) /** @type {HTMLSelectElement} */ (waveField.querySelector("select")).disabled = true;
  const territoryField = selectField(
    "territory-filter",
    t("filter.territory"),
    [["", t("filter.all_territories")]].concat((cats.territory || []).map((v) => [v, v])),
    st.territory,
    (value) => {
      st.territory = value;
      refilter();
    }
  );
  const organizationField = selectField(
    "organization-filter",
    t("filter.organization"),
    [["", t("filter.all_organizations")]].concat((cats.organization || []).map((v) => [v, v])),
    st.organization,
    (value) => {
      st.organization = value;
      refilter();
    }
  );
  if (!(cats.organization || []).length) /** @type {HTMLSelectElement} */ (organizationField.querySelector("select")).disabled = true;
  return el(
    "form",
    { id: "filters", class: "panel controls", "aria-labelledby": "filters-title", onsubmit: (/** @type {Event} */ event) => event.preventDefault() },
    el("h2", { id: "filters-title" }, t("filter.title")),
    el("fieldset", {}, el("legend", {}, t("filter.kinds")), kindBoxes),
    territoryField,
    organizationField,
    waveField,
    selectField(
      "color-by",
      t("filter.color_by"),
      [
        ["community", t("color.community")],
        ["territory", t("color.territory")],
        ["product", t("color.product")],
      ],
      st.colorBy,
      (value) => {
        st.colorBy = value;
        redraw();
      }
    ),
    selectField(
      "size-by",
      t("filter.size_by"),
      [
        ["degree", t("size.degree")],
        ["betweenness", t("size.betweenness"), !P.hasBetweenness],
        ["capacity", t("size.capacity")],
      ],
      st.sizeBy,
      (value) => {
        st.sizeBy = value;
        redraw();
      }
    ),
    el("fieldset", {}, el("legend", {}, t("filter.highlight")), highlightBoxes)
  );
}

/**
 * Buttons that open or close every community of a collapsed network.
 * @param {Prepared} P
 * @param {NetworkState} st
 * @param {() => unknown} redraw
 * @returns {HTMLElement}
 */
export function collapseButtons(P, st, redraw) {
  const all = (P.view.communities || []).map((c) => c.id);
  return el(
    "div",
    { class: "button-row" },
    el("p", { class: "muted" }, t("net.collapsed_help")),
    el(
      "button",
      {
        type: "button",
        id: "expand-all",
        onclick: () => {
          all.forEach((c) => st.expanded.add(c));
          redraw();
        },
      },
      t("net.expand_all")
    ),
    el(
      "button",
      {
        type: "button",
        id: "collapse-all",
        onclick: () => {
          st.expanded.clear();
          redraw();
        },
      },
      t("net.collapse_all")
    )
  );
}

/**
 * The network's summary in sentences, and what the figure draws now.
 * @param {NetworkView} view
 * @param {HTMLElement} drawn
 * @returns {HTMLElement}
 */
export function summarySection(view, drawn) {
  const s = view.summary || {};
  /** @type {HTMLElement[]} */
  const lines = [];
  /** @type {(key: string, ready: boolean, params: Record<string, string>) => void} */
  const add = (key, ready, params) => {
    if (ready) lines.push(el("li", {}, t(key, params)));
  };
  add("sum.size", s.workshops !== undefined, {
    workshops: num(s.workshops),
    ties: num(s.ties),
    collaboration: num(s.collaboration_edges),
  });
  add("sum.density", s.density !== null && s.density !== undefined, { density: num(s.density, 3), share: pct(s.density, 1) });
  add("sum.components", s.components !== null && s.components !== undefined, {
    components: num(s.components),
    largest: pct(s.largest_component_share),
  });
  add("sum.isolates", s.isolates !== null && s.isolates !== undefined, { isolates: num(s.isolates) });
  add("sum.communities", s.communities !== null && s.communities !== undefined, {
    communities: num(s.communities),
    modularity: num(s.modularity, 2),
  });
  add("sum.clustering", s.average_clustering !== null && s.average_clustering !== undefined, {
    clustering: num(s.average_clustering, 2),
    transitivity: num(s.transitivity, 2),
  });
  add("sum.conflicts", s.conflict_pairs !== null && s.conflict_pairs !== undefined, {
    pairs: num(s.conflict_pairs),
    within: num(s.conflict_within_communities),
  });
  add("sum.balance", s.balanced_share !== null && s.balanced_share !== undefined, { share: pct(s.balanced_share) });
  add("sum.brokers", s.brokers !== null && s.brokers !== undefined, {
    brokers: num(s.brokers),
    workshops: num(s.workshops),
    articulation: num(s.articulation_points),
    bridges: num(s.bridges),
  });
  const top = s.top_brokers || [];
  // The list may be cut to the highest betweenness; it then says how many of how many it shows.
  add(top.length < s.brokers ? "sum.top_brokers" : "sum.top_brokers_all", top.length > 0, {
    ids: top.join(", "),
    shown: num(top.length),
    brokers: num(s.brokers),
  });
  const scope = view.scope || {};
  const scopeText = [scope.territory, scope.organization].filter(Boolean).join(" · ");
  return el(
    "section",
    { id: "summary", class: "panel", "aria-labelledby": "summary-title" },
    el("h2", { id: "summary-title" }, t("sum.title")),
    scopeText ? el("p", { class: "muted" }, t("sum.scope", { scope: scopeText })) : null,
    el("ul", { class: "plain" }, lines),
    el("p", { class: "muted", id: "summary-help" }, t("sum.counts_help")),
    view.collapsed ? el("p", {}, t("sum.collapsed")) : null,
    drawn
  );
}
