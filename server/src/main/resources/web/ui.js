// Small DOM helpers for the dashboard. Everything that shows data goes through textContent or
// attributes set one by one: no string of data ever reaches innerHTML, so agent output stays inert.

/** h("div", {class: "x", onclick: fn}, "text", child) — builds an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** An events/sec sparkline over the last `seconds` seconds. Call tick() on each event. */
export class Sparkline {
  constructor(seconds = 60, width = 120, height = 24) {
    this.seconds = seconds;
    this.buckets = new Array(seconds).fill(0);
    this.current = Math.floor(Date.now() / 1000);
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", height);
    this.svg.setAttribute("class", "sparkline");
    this.svg.setAttribute("role", "img");
    this.line = document.createElementNS(SVG, "polyline");
    this.svg.append(this.line);
    this.label = h("span", { class: "rate" }, "0/s");
    this.el = h("span", { class: "spark", title: "events per second, last minute" }, this.svg, this.label);
    this.w = width;
    this.ht = height;
    this.timer = setInterval(() => this.render(), 1000);
  }
  roll() {
    const now = Math.floor(Date.now() / 1000);
    const steps = Math.min(this.seconds, now - this.current);
    for (let i = 0; i < steps; i++) { this.buckets.shift(); this.buckets.push(0); }
    this.current = now;
  }
  tick() {
    this.roll();
    this.buckets[this.buckets.length - 1]++;
    if (!this.pending) { this.pending = true; requestAnimationFrame(() => { this.pending = false; this.render(); }); }
  }
  render() {
    this.roll();
    const max = Math.max(1, ...this.buckets);
    const dx = this.w / (this.seconds - 1);
    const pts = this.buckets.map((v, i) => `${(i * dx).toFixed(1)},${(this.ht - 1 - (v / max) * (this.ht - 2)).toFixed(1)}`);
    this.line.setAttribute("points", pts.join(" "));
    const recent = this.buckets.slice(-5).reduce((a, b) => a + b, 0) / 5; // smoothed over 5 s
    this.label.textContent = `${recent < 10 ? recent.toFixed(1) : Math.round(recent)} ev/s`;
  }
  stop() { clearInterval(this.timer); }
}

/** A progress bar element; set(pct) updates it. */
export function progressBar(pct = 0, cls = "") {
  const fill = h("span", { class: "fill" });
  const bar = h("span", { class: "bar " + cls, role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100 }, fill);
  bar.set = (p) => {
    const v = Math.max(0, Math.min(100, Number(p) || 0));
    fill.style.width = v + "%";
    bar.setAttribute("aria-valuenow", Math.round(v));
  };
  bar.set(pct);
  return bar;
}

/** "12s", "4m", "3h", "2d" since an ISO time. */
export function age(iso) {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return Math.floor(s) + "s";
  if (s < 3600) return Math.floor(s / 60) + "m";
  if (s < 86400) return Math.floor(s / 3600) + "h";
  return Math.floor(s / 86400) + "d";
}

/** HH:MM:SS.mmm of an ISO time, local. */
export function clock(iso) {
  const d = new Date(iso);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * The visual kind of an event type: the colour family of the timeline (seed 002: thinking blue,
 * tool use orange, tool result purple, final answer green, error red).
 */
export function kindOf(type) {
  switch (type) {
    case "agent.thinking": case "model.selected": return "thinking";
    case "tool.call": case "agent.action": return "tool";
    case "tool.result": case "agent.result": return "result";
    case "answer.delta": case "answer.final": case "run.completed": case "chat.message": return "answer";
    case "agent.error": case "step.failed": case "run.failed": case "error.recovery": return "error";
    case "decision.requested": case "decision.resolved": case "quality.review": return "decision";
    case "step.started": case "step.progress": case "step.completed": case "workflow.stage": case "quality.check": return "progress";
    default: return "other";
  }
}

export const KINDS = [
  ["thinking", "Thinking", "🧠"],
  ["tool", "Tool use", "🔧"],
  ["result", "Tool result", "📊"],
  ["answer", "Answer", "✅"],
  ["error", "Error", "⚠️"],
  ["decision", "Decision", "🤔"],
  ["progress", "Progress", "⏱"],
  ["other", "Other", "•"],
];

export function iconOf(kind) {
  return (KINDS.find((k) => k[0] === kind) || KINDS[KINDS.length - 1])[2];
}

/** The most readable one-line text of an event's data, never HTML. */
export function summary(ev) {
  const d = ev.data || {};
  const pick = (...keys) => { for (const k of keys) if (d[k] != null && d[k] !== "") return d[k]; return undefined; };
  let text;
  switch (ev.type) {
    case "tool.call": text = `${d.tool ?? "tool"}(${d.input != null ? compact(d.input) : ""})`; break;
    case "tool.result": text = `${d.tool ?? "tool"} → ${compact(pick("output", "result") ?? "")}`; break;
    case "step.progress": text = `${d.progress != null ? Math.round(Number(d.progress)) : "?"}%${d.message ? " " + d.message : ""}${d.substep ? " · " + d.substep : ""}`; break;
    case "decision.requested": text = pick("prompt", "question") ?? d.decision; break;
    case "decision.resolved": text = `${d.decision ?? ""} → ${compact(d.choice)}${d.by ? " by " + d.by : ""}`; break;
    case "workflow.stage": text = `${d.stage ?? ""}${d.completion_percentage != null ? " (" + d.completion_percentage + "%)" : ""}`; break;
    case "run.started": {
      const n = Array.isArray(d.steps) ? d.steps.length : d.total_steps ?? d.steps;
      text = [d.query, n != null ? `${n} steps` : null].filter((x) => x != null && x !== "").map(compact).join(" · ");
      break;
    }
    case "step.started": text = d.name ?? d.title ?? d.description ?? (Array.isArray(d.after) && d.after.length ? "after " + d.after.join(", ") : ""); break;
    case "run.completed": case "run.failed": case "run.cancelled": text = runSummary(d); break;
    case "model.selected": text = `${d.agent ?? ev.agent ?? ""} → ${d.model ?? ""}${d.reasoning ? ": " + d.reasoning : ""}`; break;
    default: text = pick("content", "text", "message", "error_message", "error", "reason", "result", "summary", "name", "title", "stage");
  }
  if (text === undefined) text = Object.keys(d).length ? compact(d) : "";
  return typeof text === "string" ? text : compact(text);
}

/** "completed in 4.2 s · 104 events · 4 tool calls" from run.* telemetry; falls back to reason/by. */
function runSummary(d) {
  const s = d.summary || {};
  const parts = [];
  if (d.reason) parts.push(String(d.reason));
  if (d.by) parts.push("by " + d.by);
  if (s.time_to_done_ms != null) parts.push(`${(s.time_to_done_ms / 1000).toFixed(1)} s`);
  if (s.events != null) parts.push(`${s.events} events`);
  if (s.tool_calls != null) parts.push(`${s.tool_calls} tool calls`);
  if (s.retries) parts.push(`${s.retries} retries`);
  if (s.decisions) parts.push(`${s.decisions} decisions`);
  if (parts.length) return parts.join(" · ");
  return Object.keys(d).length ? compact(d) : "";
}

export function compact(v) {
  if (typeof v === "string") return v;
  try { return JSON.stringify(v); } catch (_) { return String(v); }
}

/** Readable names of the transports a run can be watched through (a run's `watched_by`). */
export const TRANSPORTS = {
  ws: "WebSocket", sse: "SSE",
  "seed-000": "000 plan page", "seed-001": "001 research plans", "seed-002": "002 reasoning chat",
  "seed-003": "003 manager workflow", "seed-004": "004 agent fleet",
  agui: "AG-UI", "ai-sdk": "AI SDK",
};

/**
 * Fills `el` with one small chip per transport of a run's `watched_by` ({transport: connections}),
 * e.g. "003 manager workflow ·1"; empty when nobody watches. Returns `el`.
 */
export function watchChips(el, watchedBy) {
  const entries = Object.entries(watchedBy || {}).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  el.replaceChildren(...entries.map(([transport, n]) => h("span", {
    class: "watch", "data-transport": transport,
    title: `${n} connection${n === 1 ? "" : "s"} watching through ${transport}`,
  }, TRANSPORTS[transport] ?? transport, h("span", { class: "watch-n" }, String(n)))));
  el.dataset.watchers = entries.map(([t]) => t).join(" ");
  return el;
}
