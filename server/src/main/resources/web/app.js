// The dashboard: a live list of runs at #/, one run's page at #/runs/{run}, and the chat at #/chat
// (a new conversation) or #/chat/{conversation}.
import { RuncastClient } from "./runcast.js";
import { h, progressBar, age, watchChips } from "./ui.js";
import { RunView } from "./run-view.js";
import { ChatView } from "./chat-view.js";

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
  const run = location.hash.match(/^#\/runs\/(.+)$/);
  const chat = location.hash.match(/^#\/chat(?:\/(.+))?$/);
  const conversation = chat?.[1] ? decodeURIComponent(chat[1]) : null;
  if (run) view = new RunView(client, decodeURIComponent(run[1]));
  else if (chat) view = new ChatView(client, conversation);
  else view = new ListView(client);
  main.append(view.el);
  document.title = run ? `${decodeURIComponent(run[1])} · Runcast`
    : chat ? (conversation ? `${conversation} · Chat · Runcast` : "Runcast · chat") : "Runcast · runs";
  for (const a of document.querySelectorAll(".nav a")) a.classList.toggle("active", a.dataset.nav === (chat ? "chat" : "runs"));
}
window.addEventListener("hashchange", route);

// ---- the run list ----
// Loaded once from GET /api/runs, then kept live by the run feed ($runs, see docs/protocol.md):
// runs.created adds a row, runs.status moves its badge, runs.progress (at most once a second) its
// event count and bar. The list is loaded again only when the feed cannot resume (the server
// restarted, or the page was away too long); nothing polls. Who watches each run (watched_by: its
// connections by transport) is not in the feed: the list shows it as loaded and clears it when a run
// ends (its subscribers are then handed the end); a run's page keeps it current (run-view.js).
const FEED = "$runs";
const RETRY_MS = 2000; // after a failed load

class ListView {
  constructor(client) {
    this.client = client;
    this.rows = new Map(); // run -> {el, bar, status, events, age, note, head, created}
    this.feed = null;      // the feed subscription
    this.tbody = h("tbody");
    this.empty = h("p", { class: "empty" }, "No runs yet. Start one with ", h("code", {}, "./runcast demo"), " or POST /api/runs/{run}/events.");
    this.error = h("p", { class: "error-banner", hidden: true });
    this.filter = h("input", { type: "search", placeholder: "Filter runs…", "aria-label": "Filter runs", oninput: () => this.applyFilter() });
    this.el = h("section", { class: "list-view", "data-feed": "loading" },
      h("div", { class: "toolbar" }, h("h1", {}, "Runs"), this.filter),
      this.error,
      h("table", { class: "runs" },
        h("thead", {}, h("tr", {}, h("th", {}, "Run"), h("th", {}, "Status"), h("th", { class: "col-progress" }, "Progress"),
          h("th", { class: "num" }, "Events"), h("th", { class: "num" }, "Age"), h("th", { class: "col-watch" }, "Watched via"))),
        this.tbody),
      this.empty);
    this.load();
    this.ages = setInterval(() => this.refreshAges(), 1000); // relative times only: nothing is fetched
  }

  /** GET /api/runs, then the feed from the position it reports (read before the list: no change is missed). */
  async load() {
    clearTimeout(this.retry);
    try {
      const res = await fetch("/api/runs?limit=200", { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const body = await res.json();
      if (this.destroyed) return;
      this.error.hidden = true;
      this.render(body.runs || []);
      this.follow(body.feed);
    } catch (err) {
      if (this.destroyed) return;
      this.error.hidden = false;
      this.error.textContent = "Could not load runs: " + err.message;
      this.retry = setTimeout(() => this.load(), RETRY_MS);
    }
  }

  follow(position) {
    if (!position || !position.epoch) {
      this.error.hidden = false;
      this.error.textContent = "This server has no run feed: the list will not update by itself.";
      return;
    }
    const sub = this.client.subscribe(FEED, {
      since: position.head, epoch: position.epoch,
      onSubscribed: () => { if (this.feed === sub) this.el.dataset.feed = "live"; },
      onEvent: (ev) => this.apply(ev),
      onReset: () => this.reload(), // changes were missed: the list itself must be read again
      onError: (err) => { this.error.hidden = false; this.error.textContent = "Run feed refused: " + err.message; },
    });
    this.feed = sub;
  }

  reload() {
    this.feed?.unsubscribe();
    this.feed = null;
    this.el.dataset.feed = "loading";
    this.load();
  }

  /** The list as loaded: newest first. A row the feed already moved past keeps what it shows. */
  render(runs) {
    runs.forEach((r, i) => {
      const row = this.rows.get(r.run) || this.addRow(r.run, r.created);
      const before = this.tbody.children[i];
      if (before !== row.el) this.tbody.insertBefore(row.el, before || null);
      if (this.show(row, r)) this.showProgress(row, r);
      const open = row.el.dataset.status === "running" || row.el.dataset.status === "paused";
      watchChips(row.watch, open ? r.watched_by : {});
    });
    this.seeded = true;
    this.settle();
  }

  apply(ev) {
    const d = ev.data || {};
    if (ev.type === "runs.created" || ev.type === "runs.status") {
      const row = this.rows.get(d.run) || this.addRow(d.run, d.created);
      if (this.show(row, d) && d.reason) row.note.textContent = d.reason;
      this.settle();
    } else if (ev.type === "runs.progress") {
      for (const p of d.runs || []) {
        const row = this.rows.get(p.run);
        if (!row || p.head < row.head) continue;
        row.head = p.head;
        row.events.textContent = p.head;
        this.showProgress(row, p);
      }
    }
  }

  /** Shows a run's status and head, unless the row already shows a later head. Returns whether it did. */
  show(row, r) {
    if (r.head < row.head) return false;
    row.head = r.head;
    if (r.created) row.created = row.el.dataset.created = r.created;
    row.status.textContent = r.status;
    row.status.className = "badge " + r.status;
    row.el.dataset.status = r.status;
    row.events.textContent = r.head;
    row.age.title = "created " + row.created + (r.updated ? ", updated " + r.updated : "");
    if (r.status !== "running" && r.status !== "paused") {
      watchChips(row.watch, {}); // an ended run's subscriptions end with it
      row.bar.set(100);
      row.bar.className = "bar " + r.status;
    }
    this.refreshAge(row);
    return true;
  }

  /** The bar and note of an open run, from a progress entry (or a listed run's last one). */
  showProgress(row, p) {
    if (row.el.dataset.status !== "running" && row.el.dataset.status !== "paused") return;
    if (p.progress != null) row.bar.set(p.progress);
    const note = p.note ?? p.step;
    if (note != null) row.note.textContent = note;
  }

  /** A row for a run not shown yet, placed by creation time (newest first). */
  addRow(run, created) {
    const bar = progressBar(0);
    const row = { bar, status: h("span", { class: "badge" }), events: h("td", { class: "num" }), age: h("td", { class: "num" }),
      note: h("span", { class: "note" }), watch: h("span", { class: "watchers" }), head: 0, created };
    row.el = h("tr", { "data-run": run },
      h("td", {}, h("a", { href: "#/runs/" + encodeURIComponent(run) }, run)),
      h("td", {}, row.status),
      h("td", { class: "col-progress" }, bar, row.note),
      row.events, row.age, h("td", { class: "col-watch" }, row.watch));
    row.el.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.hash = "#/runs/" + encodeURIComponent(run); });
    if (this.seeded) row.el.classList.add("new");
    const at = Date.parse(created);
    const older = Number.isNaN(at) ? null : [...this.tbody.children].find((el) => !(Date.parse(el.dataset.created) > at));
    if (created) row.el.dataset.created = created;
    this.tbody.insertBefore(row.el, older || null);
    this.rows.set(run, row);
    return row;
  }

  settle() {
    this.empty.hidden = this.rows.size > 0;
    this.applyFilter();
  }

  refreshAge(row) {
    if (row.created) row.age.textContent = age(row.created);
  }

  refreshAges() {
    for (const row of this.rows.values()) this.refreshAge(row);
  }

  applyFilter() {
    const q = this.filter.value.trim().toLowerCase();
    for (const [run, row] of this.rows) row.el.hidden = q !== "" && !run.toLowerCase().includes(q);
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.retry);
    clearInterval(this.ages);
    this.feed?.unsubscribe();
  }
}

route(); // last: the view classes above must be initialised first
