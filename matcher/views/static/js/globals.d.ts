// Globals of the pages: plotly.js (its own classic <script>) and what the pages leave for tests.
// Type declarations only; the bundle and the service never load this file.

interface PlotlyDiv extends HTMLElement {
  on?: (event: string, handler: (event: any) => void) => void;
}

interface Window {
  /** plotly.js, when the page loads it (pages with charts). */
  Plotly?: {
    react(div: HTMLElement, traces: object[], layout: object, config: object): Promise<unknown>;
    register(module: object): void;
  };
  /** What is on screen once drawn: counts, page and language (for tests and benchmarks). */
  matcherState?: { nodes: number; edges: number; page: string; lang: string };
  /** The data of a standalone file (#matcher-data), or set by a script before the page's. */
  MATCHER_DATA?: unknown;
}

declare const Plotly: NonNullable<Window["Plotly"]>;
