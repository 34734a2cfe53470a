// The dashboard: a live list of runs at #/ and one run's page at #/runs/{run}.
import { RuncastClient } from "./runcast.js";
import { h, progressBar, age } from "./ui.js";
import { RunView } from "./run-view.js";

const client = new RuncastClient(undefined, window.RUNCAST_OPTIONS || {});
// For tests and the curious: the client and a log of every delivered seq per run.
window.runcast = { client, delivered: {}, states: [] };
client.on("event", (ev) => (window.runcast.delivered[ev.run] ||= []).push(ev.seq));
client.on("state", (s) => window.runcast.states.push(s.state));

const main = document.getElementById("main");
const indicator = document.getElementById("conn");
let view = null;

// ---- connection indicator ----
client.on("state", (s) => {
  const text = {
    idle: "Not connected", connecting: "Connecting…", open: "Real-time updates active",
    reconnecting: "Reconnecting…", closed: "Disconnected",
  }[s.state];
  indicator.className = "conn " + s.state;
  indicator.textContent = text;
  indicator.title = s.state === "reconnecting" && s.delay != null
    ? `attempt ${s.attempt}, next try in ${(s.delay / 1000).toFixed(1)} s${s.reason ? " (" + s.reason + ")" : ""}`
    : s.connection ? "connection " + s.connection : "";
});
client.connect();

// ---- routing ----
function route() {
  view?.destroy();
  main.replaceChildren();
  window.runcast.delivered = {}; // per page: what this page's subscriptions were handed
  const m = location.hash.match(/^#\/runs\/(.+)$/);
  view = m ? new RunView(client, decodeURIComponent(m[1])) : new ListView(client);
  main.append(view.el);
  document.title = m ? `${decodeURIComponent(m[1])} · Runcast` : "Runcast · runs";
}
window.addEventListener("hashchange", route);

// ---- the run list ----
const POLL_MS = 2000;
const LIVE_LIMIT = 25; // open runs followed over the socket for their progress

class ListView {
  constructor(client) {
    this.client = client;
    this.rows = new Map(); // run -> {el, bar, status, ...}
    this.subs = new Map();
    this.tbody = h("tbody");
    this.empty = h("p", { class: "empty" }, "No runs yet. Start one with ", h("code", {}, "./runcast demo"), " or POST /api/runs/{run}/events.");
    this.error = h("p", { class: "error-banner", hidden: true });
    this.filter = h("input", { type: "search", placeholder: "Filter runs…", "aria-label": "Filter runs", oninput: () => this.applyFilter() });
    this.el = h("section", { class: "list-view" },
      h("div", { class: "toolbar" }, h("h1", {}, "Runs"), this.filter),
      this.error,
      h("table", { class: "runs" },
        h("thead", {}, h("tr", {}, h("th", {}, "Run"), h("th", {}, "Status"), h("th", { class: "col-progress" }, "Progress"),
          h("th", { class: "num" }, "Events"), h("th", { class: "num" }, "Age"))),
        this.tbody),
      this.empty);
    this.poll();
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    try {
      const res = await fetch("/api/runs?limit=200", { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const body = await res.json();
      this.error.hidden = true;
      this.render(body.runs || []);
    } catch (err) {
      this.error.hidden = false;
      this.error.textContent = "Could not load runs: " + err.message;
    }
  }

  render(runs) {
    this.empty.hidden = runs.length > 0;
    let open = 0;
    runs.forEach((r, i) => {
      let row = this.rows.get(r.run);
      if (!row) {
        row = this.makeRow(r.run);
        this.rows.set(r.run, row);
        if (this.seeded) row.el.classList.add("new");
      }
      const before = this.tbody.children[i];
      if (before !== row.el) this.tbody.insertBefore(row.el, before || null);
      row.status.textContent = r.status;
      row.status.className = "badge " + r.status;
      row.events.textContent = r.head;
      row.age.textContent = age(r.created);
      row.age.title = "created " + r.created + ", updated " + r.updated;
      row.el.dataset.status = r.status;
      if (r.status === "running" || r.status === "paused") {
        if (open++ < LIVE_LIMIT) this.follow(r.run, row);
      } else {
        row.bar.set(100);
        row.bar.className = "bar " + r.status;
      }
    });
    this.seeded = true;
    this.applyFilter();
  }

  makeRow(run) {
    const bar = progressBar(0);
    const row = { bar, status: h("span", { class: "badge" }), events: h("td", { class: "num" }), age: h("td", { class: "num" }),
      note: h("span", { class: "note" }) };
    row.el = h("tr", { "data-run": run },
      h("td", {}, h("a", { href: "#/runs/" + encodeURIComponent(run) }, run)),
      h("td", {}, row.status),
      h("td", { class: "col-progress" }, bar, row.note),
      row.events, row.age);
    row.el.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.hash = "#/runs/" + encodeURIComponent(run); });
    return row;
  }

  /** Follows an open run's lifecycle and progress events to fill its bar. */
  follow(run, row) {
    if (this.subs.has(run) || this.client.subs.has(run)) return;
    const steps = new Map();
    let total = 0;
    const update = (note) => {
      const done = [...steps.values()].reduce((a, p) => a + p, 0);
      const n = Math.max(total, steps.size);
      if (n) row.bar.set((done / n));
      if (note != null) row.note.textContent = note;
    };
    const sub = this.client.subscribe(run, {
      types: ["run.*", "step.*", "workflow.stage"],
      onEvent: (ev) => {
        const d = ev.data || {};
        if (ev.type === "run.started") total = Array.isArray(d.steps) ? d.steps.length : Number(d.steps) || total;
        else if (ev.type === "step.started" && ev.step) { steps.set(ev.step, 0); update(ev.step); }
        else if (ev.type === "step.progress" && ev.step) { steps.set(ev.step, Number(d.progress) || 0); update(); }
        else if (ev.type === "step.completed" && ev.step) { steps.set(ev.step, 100); update(); }
        else if (ev.type === "workflow.stage" && d.completion_percentage != null) { row.bar.set(d.completion_percentage); row.note.textContent = d.stage ?? ""; }
      },
      onEnd: () => { row.bar.set(100); this.subs.delete(run); },
    });
    this.subs.set(run, sub);
  }

  applyFilter() {
    const q = this.filter.value.trim().toLowerCase();
    for (const [run, row] of this.rows) row.el.hidden = q !== "" && !run.toLowerCase().includes(q);
  }

  destroy() {
    clearInterval(this.timer);
    for (const sub of this.subs.values()) sub.unsubscribe();
    this.subs.clear();
  }
}

route(); // last: the view classes above must be initialised first
