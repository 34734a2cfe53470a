// One run's page: controls, stage pipeline, step progress, decisions, the answer, and the timeline.
import { h, Sparkline, progressBar, clock, kindOf, iconOf, summary, compact, KINDS, watchChips } from "./ui.js";
import { DecisionCard } from "./decisions.js";

// Rows kept in the timeline; older ones are dropped (the run's history stays on the server) so a run
// with a huge stream cannot make the page sluggish.
const MAX_ROWS = 5000;
// Who watches the run (GET /api/runs/{run} → watched_by) is not in any stream: it is read when the
// page opens, then every WATCH_MS while the run is open, and once more when it ends.
const WATCH_MS = 5000;

export class RunView {
  constructor(client, run) {
    this.client = client;
    this.run = run;
    this.spark = new Sparkline();
    this.status = h("span", { class: "badge", id: "run-status" }, "…");
    this.btn = {
      pause: h("button", { class: "ctl", id: "btn-pause", onclick: () => this.control("pause") }, "⏸ Pause"),
      resume: h("button", { class: "ctl", id: "btn-resume", onclick: () => this.control("resume") }, "▶ Resume"),
      cancel: h("button", { class: "ctl danger", id: "btn-cancel", onclick: () => this.control("cancel") }, "✕ Cancel"),
    };
    this.notice = h("p", { class: "notice", hidden: true, role: "status" });
    this.chatLink = h("a", { class: "chat-link", id: "chat-link", hidden: true }); // a chat run's conversation
    this.watchers = h("span", { class: "watchers", id: "run-watchers", title: "watched through" });
    this.stages = h("ol", { class: "pipeline", hidden: true, "aria-label": "workflow stages" });
    this.overall = progressBar(0, "overall");
    this.overallText = h("span", { class: "overall-text" });
    this.stepsEl = h("ul", { class: "steps" });
    this.decisionsEl = h("div", { class: "decisions" });
    this.answerText = h("div", { class: "answer-text", id: "answer" });
    this.answer = h("section", { class: "answer", hidden: true }, h("h2", {}, "✅ Answer"), this.answerText);
    this.timeline = h("ol", { class: "timeline", id: "timeline", "aria-live": "polite" });
    this.more = h("button", { class: "more", hidden: true, onclick: () => this.scrollToEnd(true) });
    this.waiting = h("p", { class: "empty" }, "Waiting for events…");
    const filters = h("div", { class: "filters", role: "group", "aria-label": "filter by kind" },
      KINDS.map(([kind, label, icon]) => h("button", {
        class: "chip k-" + kind, "aria-pressed": "true", "data-kind": kind,
        onclick: (e) => this.toggleKind(kind, e.currentTarget),
      }, icon + " " + label)));
    this.el = h("section", { class: "run-view" },
      h("div", { class: "toolbar" },
        h("a", { href: "#/", class: "back" }, "← Runs"),
        h("h1", { class: "run-id" }, run), this.status, this.watchers, this.chatLink, this.spark.el,
        h("span", { class: "controls" }, this.btn.pause, this.btn.resume, this.btn.cancel)),
      this.notice, this.stages,
      h("div", { class: "progress-block" }, h("div", { class: "overall-row" }, this.overall, this.overallText), this.stepsEl),
      this.decisionsEl, this.answer,
      h("div", { class: "timeline-head" }, h("h2", {}, "Timeline"), filters),
      h("div", { class: "timeline-box" }, this.waiting, this.timeline, this.more));
    this.reset();
    this.stick = true;
    this.timeline.addEventListener("scroll", () => {
      const t = this.timeline;
      this.stick = t.scrollTop + t.clientHeight >= t.scrollHeight - 24;
      if (this.stick) this.more.hidden = true;
    });
    this.sub = client.subscribe(run, {
      onEvent: (ev) => this.apply(ev),
      onReset: () => { this.reset(); this.say("History was lost or trimmed on the server; showing what it still has."); },
      onEnd: () => { this.setStatus(this.finalStatus || this.statusName); this.refreshWatchers(); },
      onError: (err) => this.say(err.message),
    });
    this.refreshWatchers();
  }

  /** Reads who watches the run now; again in WATCH_MS while the run is open. */
  async refreshWatchers() {
    clearTimeout(this.watchTimer);
    try {
      const res = await fetch("/api/runs/" + encodeURIComponent(this.run), { cache: "no-store" });
      if (res.ok && !this.destroyed) watchChips(this.watchers, (await res.json()).watched_by);
    } catch (_) { /* the next refresh will tell */ }
    if (!this.destroyed && !this.finalStatus) this.watchTimer = setTimeout(() => this.refreshWatchers(), WATCH_MS);
  }

  reset() {
    this.timeline.replaceChildren();
    this.stepsEl.replaceChildren();
    this.decisionsEl.replaceChildren();
    this.stages.replaceChildren();
    this.stages.hidden = true;
    this.answer.hidden = true;
    this.answerText.textContent = "";
    this.steps = new Map();
    this.decisions = new Map();
    this.totalSteps = 0;
    this.deltaRows = new Map(); // step -> the row its answer tokens grow in
    this.lastRow = null;
    this.unseen = 0;
    this.setStatus("waiting");
  }

  /** Applies one delivered event (in seq order, exactly once) to every part of the page. */
  apply(ev) {
    this.waiting.hidden = true;
    this.spark.tick();
    const d = ev.data || {};
    switch (ev.type) {
      case "run.started":
        this.setStatus("running");
        if (Array.isArray(d.steps)) d.steps.forEach((s) => this.step(typeof s === "string" ? s : s.id ?? s.name, s.name ?? s.title ?? s.description));
        this.totalSteps = Array.isArray(d.steps) ? d.steps.length : Number(d.steps) || 0;
        if (d.kind === "chat" && typeof d.conversation === "string") {
          this.chatLink.href = "#/chat/" + encodeURIComponent(d.conversation);
          this.chatLink.textContent = `💬 conversation ${d.conversation}${d.turn != null ? " · turn " + d.turn : ""}`;
          this.chatLink.hidden = false;
        }
        break;
      case "run.paused": this.setStatus("paused"); break;
      case "run.resumed": this.setStatus("running"); break;
      case "run.completed": case "run.failed": case "run.cancelled":
        this.setStatus(ev.type.slice(4));
        if (ev.type === "run.completed") this.stages.querySelectorAll("li").forEach((li) => (li.className = "done"));
        for (const card of this.decisions.values()) card.expire();
        break;
      case "step.started": this.step(ev.step, d.name ?? d.title ?? d.description, "running"); break;
      case "step.progress": this.step(ev.step, null, "running", d.progress, d.message ?? d.substep); break;
      case "step.completed": this.step(ev.step, null, "completed", 100); break;
      case "step.failed": this.step(ev.step, null, "failed", null, d.error ?? d.message); break;
      case "workflow.stage": this.stage(d); break;
      case "decision.requested": this.decisionRequested(ev); break;
      case "decision.resolved": this.decisions.get(d.decision)?.resolved(d); break;
      case "answer.delta": this.showAnswer(this.answerText.textContent + (d.text ?? "")); break;
      case "answer.final": if (d.text != null) this.showAnswer(String(d.text)); break;
      default: break;
    }
    this.row(ev);
  }

  row(ev) {
    const kind = kindOf(ev.type);
    const key = ev.step || "";
    // Token deltas grow one row per step (until its answer.final), and a run of progress updates for
    // the same step updates one row: the timeline stays readable when a model streams token by token.
    const merged = ev.type === "answer.delta" ? this.deltaRows.get(key)
      : ev.type === "step.progress" && this.lastRow?.type === "step.progress" && this.lastRow.step === key ? this.lastRow : null;
    if (merged) {
      merged.text.textContent = ev.type === "answer.delta" ? merged.text.textContent + (ev.data?.text ?? "") : summary(ev);
      merged.el.dataset.last = ev.seq;
      merged.seq.textContent = `#${merged.el.dataset.seq}–${ev.seq}`;
      if (ev.type === "answer.delta") merged.time.textContent = clock(ev.time);
    } else {
      const text = h("span", { class: "text" }, summary(ev));
      const seq = h("span", { class: "seq" }, "#" + ev.seq);
      const time = h("time", { datetime: ev.time }, clock(ev.time));
      const who = [ev.agent, ev.step].filter(Boolean).join(" · ");
      const li = h("li", { class: "ev k-" + kind, "data-seq": ev.seq, "data-type": ev.type, tabindex: 0 },
        seq, time,
        h("span", { class: "icon", "aria-hidden": "true" }, iconOf(kind)),
        h("span", { class: "type" }, ev.type),
        who ? h("span", { class: "who" }, who) : null,
        text);
      li.addEventListener("click", () => this.toggleDetail(li, ev));
      this.timeline.append(li);
      if (this.timeline.childElementCount > MAX_ROWS) {
        this.timeline.firstElementChild.remove();
        this.trimmed = true;
        this.say(`Showing the latest ${MAX_ROWS} timeline rows; older ones are in GET /api/runs/${this.run}/events.`);
      }
      const row = { el: li, text, seq, time, type: ev.type, step: key };
      if (ev.type === "answer.delta") this.deltaRows.set(key, row);
      else this.lastRow = row;
    }
    if (ev.type === "answer.final") this.deltaRows.delete(key);
    if (this.stick) this.scrollToEnd(false);
    else { this.unseen++; this.more.hidden = false; this.more.textContent = `↓ ${this.unseen} new`; }
  }

  toggleDetail(li, ev) {
    const open = li.querySelector("pre");
    if (open) { open.remove(); return; }
    li.append(h("pre", { class: "detail" }, JSON.stringify(ev, null, 2)));
  }

  scrollToEnd(force) {
    if (force) this.stick = true;
    this.unseen = 0;
    this.more.hidden = true;
    this.timeline.scrollTop = this.timeline.scrollHeight;
  }

  toggleKind(kind, button) {
    const hidden = this.timeline.classList.toggle("hide-" + kind);
    button.setAttribute("aria-pressed", String(!hidden));
  }

  step(id, name, status, progress, note) {
    if (!id) return;
    let s = this.steps.get(id);
    if (!s) {
      s = { bar: progressBar(0), label: h("span", { class: "step-name" }, name || id), note: h("span", { class: "step-note" }), progress: 0 };
      s.el = h("li", { class: "step pending", "data-step": id }, s.label, s.bar, s.note);
      this.steps.set(id, s);
      this.stepsEl.append(s.el);
    }
    if (name) s.label.textContent = name;
    if (status) s.el.className = "step " + status;
    if (progress != null) { s.progress = Math.max(0, Math.min(100, Number(progress) || 0)); s.bar.set(s.progress); }
    if (note != null) s.note.textContent = compact(note);
    const n = Math.max(this.totalSteps, this.steps.size);
    const sum = [...this.steps.values()].reduce((a, x) => a + x.progress, 0);
    const done = [...this.steps.values()].filter((x) => x.progress >= 100).length;
    this.overall.set(n ? sum / n : 0);
    this.overallText.textContent = `${done}/${n} steps`;
  }

  stage(d) {
    const stages = Array.isArray(d.stages) && d.stages.length ? d.stages.map(String) : this.stageNames || [];
    if (d.stage != null && !stages.includes(String(d.stage))) stages.push(String(d.stage));
    this.stageNames = stages;
    const at = stages.indexOf(String(d.stage));
    this.stages.replaceChildren(...stages.map((name, i) =>
      h("li", { class: i < at ? "done" : i === at ? "current" : "todo" }, name)));
    this.stages.hidden = stages.length === 0;
    if (d.completion_percentage != null && this.steps.size === 0) {
      this.overall.set(d.completion_percentage);
      this.overallText.textContent = `${Math.round(d.completion_percentage)}%`;
    }
  }

  decisionRequested(ev) {
    const card = new DecisionCard(ev, (choice) => this.client.decide(this.run, ev.data.decision, choice));
    this.decisions.set(ev.data.decision, card);
    this.decisionsEl.append(card.el);
  }

  showAnswer(text) {
    this.answer.hidden = false;
    this.answerText.textContent = text;
  }

  setStatus(s) {
    this.statusName = s;
    if (["completed", "failed", "cancelled"].includes(s)) this.finalStatus = s;
    this.status.textContent = s;
    this.status.className = "badge " + s;
    const open = s === "running" || s === "paused" || s === "waiting";
    this.btn.pause.disabled = s !== "running";
    this.btn.resume.disabled = s !== "paused";
    this.btn.cancel.disabled = !open;
  }

  async control(op) {
    if (op === "cancel" && !confirm(`Cancel run ${this.run}?`)) return;
    const b = this.btn[op];
    b.disabled = true;
    try {
      await this.client[op](this.run);
      this.say(null);
    } catch (err) {
      this.say(`${op} failed: ${err.message}`);
      this.setStatus(this.statusName);
    }
  }

  say(text) {
    this.notice.hidden = !text;
    this.notice.textContent = text || "";
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.watchTimer);
    this.sub.unsubscribe();
    this.spark.stop();
    for (const card of this.decisions.values()) card.stop();
  }
}
