// @ts-check
/* The network figure: what a network view draws for the filters chosen, as plotly traces and a legend. */

import { el } from "./dom.js";
import { label, num, t } from "./i18n.js";
import { PALETTE } from "./plot.js";

export const GREY = "#8a8f98";
export const CONFLICT_COLOR = "#c62828";

/**
 * A community of a network view: its id, label, position and what most of its members are.
 * @typedef {{id: number, label: string, x: number, y: number, territory?: string | null, product?: string | null} & Record<string, any>} Community
 */

/**
 * The workshops of a network view, one column per field (categories as indices into the view's).
 * @typedef {object} NodeColumns
 * @property {string[]} id
 * @property {number[]} x
 * @property {number[]} y
 * @property {number[]} community -1 for a workshop in none
 * @property {number[]} territory
 * @property {number[]} product
 * @property {number[][]} organizations
 * @property {string[][]} processes
 * @property {number[]} degree
 * @property {(number | null)[]} betweenness
 * @property {number[]} capacity
 * @property {number[]} workers
 * @property {number[]} quality
 * @property {boolean[]} formal
 * @property {boolean[]} can_lead
 * @property {boolean[]} broker
 * @property {boolean[]} isolate
 * @property {boolean[]} articulation
 */

/**
 * A network view (matcher.views.network_view): nodes and edges as columns, categories by index.
 * @typedef {object} NetworkView
 * @property {NodeColumns} nodes
 * @property {{source: number[], target: number[], kind: number[], wave: number[]}} edges
 * @property {string[]} kinds
 * @property {string[]} [waves]
 * @property {Record<string, string[]>} [categories]
 * @property {Community[]} [communities]
 * @property {boolean} [collapsed]
 * @property {Record<string, any>} [summary]
 * @property {Record<string, any>} [scope]
 */

/**
 * What stays the same for a network view whatever the filters.
 * @typedef {ReturnType<typeof prepare>} Prepared
 */

/**
 * The reader's choices on a network figure, kept across redraws and language switches.
 * @typedef {ReturnType<typeof networkState>} NetworkState
 */

/**
 * What a network view draws for the current filters.
 * @typedef {ReturnType<typeof layoutNetwork>} NetworkLayout
 */

/**
 * Workshops circled on the figure (the one selected, a proposed group), the rest dimmed if `dim`.
 * @typedef {{nodes: number[], color: string, name: string, dim?: boolean}} Ring
 */

/**
 * What stays the same for a network view whatever the filters: indices, maxima, lookups.
 * @param {NetworkView} view
 */
export function prepare(view) {
  const nodes = view.nodes;
  const n = nodes.id.length;
  /** @param {(number | null)[]} values */
  const maxOf = (values) => values.reduce((/** @type {number} */ m, v) => (v !== null && v > m ? v : m), 0);
  return {
    view,
    n,
    m: view.edges.source.length,
    conflict: view.kinds.indexOf("conflict"),
    index: new Map(nodes.id.map((id, i) => [id, i])),
    collapsible: Boolean(view.collapsed) && (view.communities || []).length > 0,
    max: {
      degree: maxOf(nodes.degree || []),
      betweenness: maxOf(nodes.betweenness || []),
      capacity: maxOf(nodes.capacity || []),
    },
    hasBetweenness: (nodes.betweenness || []).some((/** @type {number | null} */ v) => v !== null && v !== undefined),
  };
}

/**
 * The choices a network figure starts with: every tie kind, coloured by community, sized by degree.
 * @param {NetworkView} view
 */
export function networkState(view) {
  return {
    colorBy: "community",
    sizeBy: "degree",
    kinds: new Set(view.kinds),
    wave: "all",
    territory: "",
    organization: "",
    /** @type {Set<string>} */
    highlight: new Set(),
    /** @type {Set<number>} */
    expanded: new Set(),
    /** @type {number | null} */
    selected: null,
    search: "",
  };
}

/**
 * The nodes, community nodes and line segments drawn for the current filters.
 * @param {Prepared} P
 * @param {NetworkState} st
 * @param {{expandAll?: boolean}} [options]
 */
export function layoutNetwork(P, st, options) {
  const v = P.view;
  const N = v.nodes;
  const E = v.edges;
  const cats = v.categories || {};
  const territory = st.territory === "" ? -1 : (cats.territory || []).indexOf(st.territory);
  const organization = st.organization === "" ? -1 : (cats.organization || []).indexOf(st.organization);
  const visible = new Uint8Array(P.n);
  for (let i = 0; i < P.n; i++) {
    const inTerritory = territory < 0 || N.territory[i] === territory;
    const inOrganization = organization < 0 || (N.organizations[i] || []).includes(organization);
    visible[i] = inTerritory && inOrganization ? 1 : 0;
  }
  const collapsed = P.collapsible && !(options && options.expandAll);
  // A workshop in no community (an isolate, community -1) is always drawn on its own.
  const open = (/** @type {number} */ i) => !collapsed || N.community[i] < 0 || st.expanded.has(N.community[i]);
  const nodes = [];
  const members = new Map(); // community -> visible members drawn as one node
  for (let i = 0; i < P.n; i++) {
    if (!visible[i]) continue;
    if (open(i)) nodes.push(i);
    else members.set(N.community[i], (members.get(N.community[i]) || 0) + 1);
  }
  const kindOn = v.kinds.map((k) => st.kinds.has(k));
  const wave = st.wave === "all" ? null : (v.waves || []).indexOf(st.wave);
  const communities = v.communities || [];
  /** @type {{x: (number | null)[], y: (number | null)[]}} */
  const pos = { x: [], y: [] };
  /** @type {{x: (number | null)[], y: (number | null)[]}} */
  const neg = { x: [], y: [] };
  const seen = new Set();
  let edges = 0;
  for (let e = 0; e < P.m; e++) {
    if (!kindOn[E.kind[e]]) continue;
    if (wave !== null && E.wave[e] !== wave) continue;
    const s = E.source[e];
    const d = E.target[e];
    if (!visible[s] || !visible[d]) continue;
    const conflict = E.kind[e] === P.conflict;
    const openS = open(s);
    const openD = open(d);
    // One line per pair and sign: a pair tied in two waves, or by two kinds, is one line; a tie
    // into a closed community is drawn once per (end, community, sign).
    const a = openS ? "n" + s : "c" + N.community[s];
    const b = openD ? "n" + d : "c" + N.community[d];
    if (a === b) continue;
    const key = (a < b ? a + "|" + b : b + "|" + a) + (conflict ? "!" : "");
    if (seen.has(key)) continue;
    seen.add(key);
    let x0, y0, x1, y1;
    if (openS && openD) {
      x0 = N.x[s];
      y0 = N.y[s];
      x1 = N.x[d];
      y1 = N.y[d];
    } else {
      const cs = communities[N.community[s]];
      const cd = communities[N.community[d]];
      x0 = openS ? N.x[s] : cs.x;
      y0 = openS ? N.y[s] : cs.y;
      x1 = openD ? N.x[d] : cd.x;
      y1 = openD ? N.y[d] : cd.y;
    }
    const line = conflict ? neg : pos;
    line.x.push(x0, x1, null);
    line.y.push(y0, y1, null);
    edges += 1;
  }
  return { visible, nodes, members, pos, neg, edges };
}

/**
 * The category a workshop is coloured by (its index in the view's categories).
 * @param {Prepared} P
 * @param {string} colorBy
 * @param {number} i
 * @returns {number}
 */
export function categoryOf(P, colorBy, i) {
  const N = P.view.nodes;
  if (colorBy === "territory") return N.territory[i];
  if (colorBy === "product") return N.product[i];
  return N.community[i];
}

/**
 * The colour of a category by its index; grey for none (-1, null).
 * @param {number | null | undefined} index
 * @returns {string}
 */
export function colorOf(index) {
  return index === null || index === undefined || index < 0 ? GREY : PALETTE[index % PALETTE.length];
}

/**
 * The colour of a collapsed community: its own, or that of the category most of its members are in.
 * @param {Prepared} P
 * @param {string} colorBy
 * @param {number} c
 * @returns {string}
 */
export function communityColor(P, colorBy, c) {
  const community = (P.view.communities || [])[c];
  if (colorBy === "community") return colorOf(c);
  const values = (P.view.categories || {})[colorBy] || [];
  return colorOf(values.indexOf(community[colorBy]));
}

/**
 * A workshop's marker size by a measure (area in proportion to it).
 * @param {Prepared} P
 * @param {string} sizeBy
 * @param {number} i
 * @returns {number}
 */
export function sizeOf(P, sizeBy, i) {
  const value = (/** @type {Record<string, (number | null)[]>} */ (/** @type {unknown} */ (P.view.nodes))[sizeBy] || [])[i];
  const max = /** @type {Record<string, number>} */ (P.max)[sizeBy];
  if (value === null || value === undefined || !max) return 7;
  return 6 + 16 * Math.sqrt(Math.max(value, 0) / max);
}

/**
 * Whether a workshop has one of the roles highlighted (broker, isolate, articulation point).
 * @param {NetworkView["nodes"]} N
 * @param {Set<string>} highlight
 * @param {number} i
 */
export function isHighlighted(N, highlight, i) {
  return (
    (highlight.has("broker") && N.broker[i]) ||
    (highlight.has("isolate") && N.isolate[i]) ||
    (highlight.has("articulation") && N.articulation[i])
  );
}

/**
 * A workshop's hover text.
 * @param {Prepared} P
 * @param {number} i
 * @returns {string}
 */
export function nodeHover(P, i) {
  const N = P.view.nodes;
  const cats = P.view.categories || {};
  const parts = [
    "<b>" + N.id[i] + "</b>",
    ((cats.territory || [])[N.territory[i]] || "") + " · " + label("product", (cats.product || [])[N.product[i]]),
    t("net.degree") + ": " + num(N.degree[i]),
    t("net.capacity") + ": " + num(N.capacity[i]) + " " + t("unit.min_week"),
  ];
  return parts.join("<br>");
}

/**
 * Plotly traces of a network: tie lines, conflict lines, workshops, communities, rings.
 * @param {Prepared} P
 * @param {NetworkState} st
 * @param {NetworkLayout} layout
 * @param {Ring[]} rings
 * @returns {object[]}
 */
export function networkTraces(P, st, layout, rings) {
  const N = P.view.nodes;
  const highlight = st.highlight;
  const any = highlight.size > 0;
  const focus = rings.find((ring) => ring.dim);
  const inFocus = focus ? new Set(focus.nodes) : null;
  const nodes = layout.nodes;
  /** @type {any[]} */
  const traces = [
    {
      type: "scatter", mode: "lines", x: layout.pos.x, y: layout.pos.y, hoverinfo: "skip", name: t("legend.ties"),
      line: { color: "rgba(80, 86, 96, 0.35)", width: 0.8 },
    },
    {
      type: "scatter", mode: "lines", x: layout.neg.x, y: layout.neg.y, hoverinfo: "skip", name: t("legend.conflicts"),
      line: { color: CONFLICT_COLOR, width: 1.4, dash: "dash" },
    },
    {
      type: "scatter",
      mode: "markers",
      x: nodes.map((i) => N.x[i]),
      y: nodes.map((i) => N.y[i]),
      customdata: nodes,
      hovertext: nodes.map((i) => nodeHover(P, i)),
      hoverinfo: "text",
      name: t("legend.workshops"),
      marker: {
        color: nodes.map((i) => colorOf(categoryOf(P, st.colorBy, i))),
        size: nodes.map((i) => sizeOf(P, st.sizeBy, i)),
        opacity: any
          ? nodes.map((i) => (isHighlighted(N, highlight, i) ? 1 : 0.2))
          : inFocus
            ? nodes.map((i) => (inFocus.has(i) ? 1 : 0.3))
            : 0.9,
        line: {
          color: "#111111",
          width: any ? nodes.map((i) => (isHighlighted(N, highlight, i) ? 2.5 : 0)) : 0.5,
        },
      },
    },
  ];
  const closed = [...layout.members.keys()].sort((a, b) => a - b);
  const maxMembers = closed.reduce((m, c) => Math.max(m, layout.members.get(c)), 1);
  const communities = P.view.communities || [];
  traces.push({
    type: "scatter",
    mode: "markers+text",
    x: closed.map((c) => communities[c].x),
    y: closed.map((c) => communities[c].y),
    customdata: closed.map((c) => -(c + 1)),
    text: closed.map((c) => communities[c].label),
    textposition: "top center",
    textfont: { color: "#1f2328", size: 12 },
    hovertext: closed.map((c) =>
      t("net.community_hover", {
        label: communities[c].label,
        size: num(layout.members.get(c)),
        territory: communities[c].territory || t("value.none"),
        product: label("product", communities[c].product),
      })
    ),
    hoverinfo: "text",
    name: t("legend.communities"),
    marker: {
      color: closed.map((c) => communityColor(P, st.colorBy, c)),
      size: closed.map((c) => 18 + 34 * Math.sqrt(layout.members.get(c) / maxMembers)),
      line: { color: "#ffffff", width: 1.5 },
      opacity: 0.95,
    },
  });
  for (const ring of rings) {
    const shown = ring.nodes.filter((i) => layout.visible[i]);
    traces.push({
      type: "scatter",
      mode: "markers",
      x: shown.map((i) => N.x[i]),
      y: shown.map((i) => N.y[i]),
      customdata: shown,
      hovertext: shown.map((i) => nodeHover(P, i)),
      hoverinfo: "text",
      name: ring.name,
      marker: { symbol: "circle-open", size: shown.map((i) => sizeOf(P, st.sizeBy, i) + 12), color: ring.color, line: { width: 3, color: ring.color } },
    });
  }
  return traces;
}

export function networkLayout() {
  const axis = { visible: false, showgrid: false, zeroline: false, fixedrange: false };
  return {
    height: 560,
    margin: { l: 5, r: 5, t: 5, b: 5 },
    showlegend: false,
    hovermode: "closest",
    dragmode: "pan",
    uirevision: "network",
    xaxis: Object.assign({}, axis),
    yaxis: Object.assign({}, axis, { scaleanchor: "x", scaleratio: 1 }),
  };
}

/**
 * The legend of the colours and lines drawn.
 * @param {Prepared} P
 * @param {NetworkState} st
 * @returns {HTMLElement}
 */
export function networkLegend(P, st) {
  const box = el("div", { class: "legend", id: "legend", "aria-label": t("legend.label") });
  const items = [];
  let values;
  if (st.colorBy === "community") values = (P.view.communities || []).map((c) => c.label);
  else values = ((P.view.categories || {})[st.colorBy] || []).map((v) => (st.colorBy === "product" ? label("product", v) : v));
  values.slice(0, 12).forEach((value, i) => {
    items.push(el("li", {}, el("span", { class: "swatch", dataset: { color: colorOf(i) } }), value));
  });
  if (values.length > 12) items.push(el("li", {}, t("legend.more", { count: num(values.length - 12) })));
  items.push(el("li", {}, el("span", { class: "line-swatch" }), t("legend.ties")));
  if (P.conflict >= 0) items.push(el("li", {}, el("span", { class: "line-swatch conflict" }), t("legend.conflicts")));
  box.append(el("p", { class: "legend-title" }, t("legend.color_" + st.colorBy)), el("ul", {}, items));
  for (const swatch of /** @type {NodeListOf<HTMLElement>} */ (box.querySelectorAll(".swatch"))) {
    swatch.style.backgroundColor = swatch.dataset.color || "";
  }
  return box;
}
