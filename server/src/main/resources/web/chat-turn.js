// One turn of a chat: the person's message and the agent's reply as its run streams it — the router's
// choice, the steps, thinking (collapsible), tool calls with arguments and results, decision cards, the
// growing answer, and the end with its telemetry. Fed one event at a time, in seq order, exactly once.
import { h, compact } from "./ui.js";
import { DecisionCard } from "./decisions.js";

const OPEN = ["waiting", "running", "paused"];

export class ChatTurnView {
  /**
   * @param message what the person wrote; null when it is read from the run (an earlier turn)
   * @param actions { stop(run), decide(run, decision, choice) }, each returning a Promise
   */
  constructor(message, actions) {
    this.actions = actions;
    this.run = null;
    this.userText = h("div", { class: "bubble" }, message ?? "");
    this.agentName = h("span", { class: "agent-name" });
    this.route = h("span", { class: "route-badge", hidden: true, tabindex: 0 });
    this.status = h("span", { class: "badge waiting" }, "sending…");
    this.stepsEl = h("ol", { class: "turn-steps", "aria-label": "steps" });
    this.headFlags = h("span", { class: "head-flags" });
    this.stopBtn = h("button", { type: "button", class: "stop danger", hidden: true, onclick: () => this.stop() }, "■ Stop");
    this.runLink = h("a", { class: "run-link", hidden: true, title: "this turn's run page: every event" });
    this.flow = h("div", { class: "flow" });
    this.answerText = h("div", { class: "answer-text" });
    this.answer = h("div", { class: "reply-answer", hidden: true }, this.answerText);
    this.note = h("p", { class: "turn-note", hidden: true, role: "status" });
    this.tele = h("div", { class: "telemetry", hidden: true });
    this.reply = h("div", { class: "msg agent" },
      h("div", { class: "reply-head" },
        h("span", { class: "avatar", "aria-hidden": "true" }, "🤖"), this.agentName, this.route, this.status, this.headFlags, this.stepsEl,
        h("span", { class: "spacer" }), this.stopBtn, this.runLink),
      this.flow, this.answer, this.note, this.tele);
    this.el = h("article", { class: "turn", "data-status": "waiting" },
      h("div", { class: "msg user" }, h("span", { class: "who" }, "You"), this.userText), this.reply);
    this.reset();
  }

  /** The run answering this turn is known: {run, turn, agent?}. */
  attach(started) {
    this.run = started.run;
    this.el.dataset.run = started.run;
    this.el.dataset.turn = started.turn;
    if (started.agent) this.agentName.textContent = started.agent;
    this.runLink.href = "#/runs/" + encodeURIComponent(started.run);
    this.runLink.textContent = `turn ${started.turn} · run ↗`;
    this.runLink.hidden = false;
    if (this.statusName === "waiting") this.setStatus("waiting", "starting…");
  }

  /** Forgets the reply (the server could not resume the run: it is delivered again from its start). */
  reset() {
    for (const card of this.decisions?.values() || []) card.stop();
    this.flow.replaceChildren();
    this.stepsEl.replaceChildren();
    this.headFlags.replaceChildren();
    this.answerText.textContent = "";
    this.answer.hidden = true;
    this.tele.hidden = true;
    this.route.hidden = true;
    this.steps = new Map();
    this.tools = new Map();      // call id -> card
    this.decisions = new Map();  // decision id -> DecisionCard
    this.thinking = [];          // thinking blocks, collapsed once the answer starts
    this.last = null;            // the latest block of the flow, to group consecutive thoughts
    this.answering = false;
    this.say(null);
  }

  apply(ev) {
    const d = ev.data || {};
    switch (ev.type) {
      case "run.started":
        if (!this.userText.textContent && d.message != null) this.userText.textContent = compact(d.message);
        if (d.agent) this.agentName.textContent = d.agent;
        if (Array.isArray(d.steps)) d.steps.forEach((s) => this.step(typeof s === "string" ? s : s.id, "pending"));
        if (d.options?.fresh) this.flag("fresh", "fresh: tool caches bypassed");
        this.setStatus("running");
        break;
      case "workflow.route": this.showRoute(d); break;
      case "step.started": this.step(ev.step, "running"); break;
      case "step.completed": this.step(ev.step, "completed"); break;
      case "step.failed": this.step(ev.step, "failed"); this.line("error", `⚠️ ${ev.step} failed: ${compact(d.error ?? "")}`); break;
      case "agent.thinking": this.think(ev, d); break;
      case "tool.call": this.toolCall(ev, d); break;
      case "tool.result": this.toolResult(ev, d); break;
      case "decision.requested": this.decisionRequested(ev, d); break;
      case "decision.resolved": this.decisions.get(d.decision)?.resolved(d); break;
      case "answer.delta": this.startAnswer(); this.answerText.append(String(d.text ?? "")); break;
      case "answer.final": this.startAnswer(); if (d.text != null) this.answerText.textContent = compact(d.text); break;
      case "quality.check":
        this.line("quality", `${d.passed === false ? "✗" : "✓"} quality check${d.gate ? " · " + compact(d.gate) : ""}${d.score != null ? " · score " + d.score : ""}`);
        break;
      case "agent.error": this.line("error", "⚠️ " + compact(d.message ?? d)); break;
      case "error.recovery": this.line("error", `↻ retrying${d.error_message ? ": " + compact(d.error_message) : ""}`); break;
      case "run.paused": this.setStatus("paused"); break;
      case "run.resumed": this.setStatus("running"); break;
      case "run.completed": case "run.failed": case "run.cancelled": this.finish(ev.type.slice(4), d); break;
      default: break;
    }
  }

  /** The run's stream ended (after its terminal event). */
  ended() {
    if (OPEN.includes(this.statusName)) this.setStatus("ended");
  }

  showRoute(d) {
    const light = d.pipeline === "light";
    this.route.hidden = false;
    this.route.className = "route-badge " + (light ? "light" : "full");
    this.route.textContent = light ? "⚡ light" : "🧭 full";
    const conf = d.confidence != null ? `confidence ${d.confidence}` : null;
    this.route.title = [`${light ? "light" : "full"} pipeline (${compact(d.mode ?? "auto")})`, conf, d.reason && compact(d.reason)]
      .filter(Boolean).join(" · ");
    this.route.setAttribute("aria-label", "router: " + this.route.title);
    if (Array.isArray(d.steps)) d.steps.forEach((s) => this.step(s, "pending"));
  }

  step(id, status) {
    if (!id) return;
    let li = this.steps.get(id);
    if (!li) {
      li = h("li", { "data-step": id }, id);
      this.steps.set(id, li);
      this.stepsEl.append(li);
    }
    if (status !== "pending" || !li.className) li.className = status;
  }

  think(ev, d) {
    let block = this.last?.kind === "thinking" && this.last.step === ev.step ? this.last : null;
    if (!block) {
      const body = h("div", { class: "thinking-body" });
      const count = h("span", { class: "count" });
      const el = h("details", { class: "thinking", open: !this.answering },
        h("summary", {}, "🧠 Thinking", ev.step ? h("span", { class: "step-tag" }, ev.step) : null, count), body);
      block = { kind: "thinking", step: ev.step, el, body, count, n: 0 };
      this.push(block);
      this.thinking.push(block);
    }
    block.body.append(h("p", {}, compact(d.content ?? d.text ?? d)));
    block.n++;
    block.count.textContent = block.n > 1 ? `${block.n} thoughts` : "";
  }

  toolCard(call, tool) {
    let card = this.tools.get(call);
    if (card) return card;
    card = {
      kind: "tool",
      name: h("b", { class: "tool-name" }, compact(tool ?? "tool")),
      flags: h("span", { class: "flags" }),
      time: h("span", { class: "tool-time" }, "running…"),
      args: h("pre", { class: "args" }, "—"),
      result: h("pre", { class: "result" }),
      resultLabel: h("span", { class: "io-label" }, "Result"),
    };
    card.resultBox = h("div", { class: "io out", hidden: true }, card.resultLabel, card.result);
    card.el = h("div", { class: "tool-card running", "data-call": call },
      h("div", { class: "tool-head" }, h("span", { "aria-hidden": "true" }, "🔧"), card.name, card.flags, card.time),
      h("div", { class: "tool-io" }, h("div", { class: "io in" }, h("span", { class: "io-label" }, "Arguments"), card.args), card.resultBox));
    this.tools.set(call, card);
    this.push(card);
    return card;
  }

  toolCall(ev, d) {
    const card = this.toolCard(d.call ?? "seq-" + ev.seq, d.tool);
    card.args.textContent = pretty(d.input ?? {});
    if (d.invalid) {
      card.el.classList.add("invalid");
      const errors = Array.isArray(d.errors) ? d.errors.map(compact).join("; ") : d.errors != null ? compact(d.errors) : "";
      card.flags.append(h("span", { class: "flag invalid", title: errors || "the arguments do not fit the tool's schema" }, "⚠ invalid call"));
      if (errors) card.el.append(h("p", { class: "tool-errors" }, errors));
    }
  }

  toolResult(ev, d) {
    const card = this.toolCard(d.call ?? "seq-" + ev.seq, d.tool);
    card.el.classList.remove("running");
    card.resultBox.hidden = false;
    if (d.error != null) {
      card.el.classList.add("failed");
      card.resultLabel.textContent = "Error";
      card.result.textContent = compact(d.error);
    } else {
      card.result.textContent = pretty(d.output ?? d.result ?? null);
    }
    card.time.textContent = d.duration_ms != null ? `${d.duration_ms} ms` : "";
    if (d.cache === "hit") card.flags.append(h("span", { class: "flag cache", title: "served from the tool cache" }, "⚡ cache hit"));
    else if (d.cache) card.flags.append(h("span", { class: "flag", title: "tool cache" }, "cache " + compact(d.cache)));
  }

  decisionRequested(ev, d) {
    const card = new DecisionCard(ev, (choice) => this.actions.decide(this.run ?? ev.run, d.decision, choice));
    this.decisions.set(d.decision, card);
    this.push({ kind: "decision", el: card.el });
  }

  startAnswer() {
    if (this.answering) return;
    this.answering = true;
    this.answer.hidden = false;
    for (const b of this.thinking) b.el.open = false; // the answer is what matters now; thoughts stay one click away
  }

  line(kind, text) {
    this.push({ kind, el: h("p", { class: "flow-line " + kind }, text) });
  }

  flag(cls, text) {
    this.headFlags.append(h("span", { class: "flag " + cls, title: text }, cls));
  }

  push(block) {
    this.flow.append(block.el);
    this.last = block;
  }

  finish(status, d) {
    this.setStatus(status);
    for (const card of this.decisions.values()) card.expire();
    for (const card of this.tools.values()) if (card.el.classList.contains("running")) { card.el.classList.remove("running"); card.time.textContent = "no result"; }
    for (const li of this.steps.values()) if (li.className === "running") li.className = status === "completed" ? "completed" : "stopped";
    for (const b of this.thinking) b.el.open = false;
    if (status === "cancelled") this.say(`Stopped${d.by ? " by " + compact(d.by) : ""}${d.reason ? ": " + compact(d.reason) : ""}.`);
    if (status === "failed") this.say(`The agent failed${d.reason ? ": " + compact(d.reason) : ""}.`);
    this.telemetry(d.summary);
  }

  /** Key numbers of the terminal event's summary, and a bar of where the time went. */
  telemetry(s) {
    if (!s || typeof s !== "object") return;
    const chips = [];
    if (s.time_to_first_token_ms != null) chips.push(["first token", ms(s.time_to_first_token_ms), "ttft"]);
    if (s.time_to_done_ms != null) chips.push(["done in", ms(s.time_to_done_ms), "done"]);
    if (s.tool_calls != null) chips.push(["tools", String(s.tool_calls), "tools"]);
    if (s.tool_ms) chips.push(["in tools", ms(s.tool_ms), "tool-ms"]);
    if (s.tokens_in != null || s.tokens_out != null) chips.push(["tokens", `${s.tokens_in ?? "–"} in / ${s.tokens_out ?? "–"} out`, "tokens"]);
    if (s.decisions) chips.push(["decisions", String(s.decisions), "decisions"]);
    if (s.tool_cache_hits) chips.push(["cache hits", String(s.tool_cache_hits), "cache"]);
    this.tele.replaceChildren(...[
      this.timeBar(s),
      h("div", { class: "tele-chips" }, chips.map(([label, value, key]) =>
        h("span", { class: "tele-chip", "data-key": key }, label + " ", h("b", {}, value))))].filter(Boolean));
    this.tele.hidden = false;
  }

  /** Steps as segments of the whole time, with a tick where the first token came. */
  timeBar(s) {
    const total = Number(s.time_to_done_ms) || 0;
    const steps = Object.entries(s.steps_ms || {});
    if (!total || !steps.length) return null;
    const bar = h("div", { class: "time-bar", role: "img" });
    steps.forEach(([name, v], i) => {
      const seg = h("span", { class: "seg s" + (i % 4), title: `${name}: ${ms(v)}` });
      seg.style.width = Math.max(0.5, (100 * Number(v)) / total) + "%";
      bar.append(seg);
    });
    const label = [...steps.map(([n, v]) => `${n} ${ms(v)}`)];
    if (s.time_to_first_token_ms != null) {
      const tick = h("span", { class: "ttft-tick", title: "first token at " + ms(s.time_to_first_token_ms) });
      tick.style.left = Math.min(100, (100 * s.time_to_first_token_ms) / total) + "%";
      bar.append(tick);
      label.push("first token at " + ms(s.time_to_first_token_ms));
    }
    bar.setAttribute("aria-label", label.join(", "));
    const legend = h("div", { class: "time-legend" }, steps.map(([name, v], i) =>
      h("span", {}, h("i", { class: "sw s" + (i % 4) }), `${name} ${ms(v)}`)));
    return h("div", { class: "time" }, bar, legend);
  }

  setStatus(s, label) {
    this.statusName = s;
    this.el.dataset.status = s;
    this.status.className = "badge " + s;
    this.status.textContent = label ?? s;
    this.answer.classList.toggle("streaming", s === "running");
    const open = OPEN.includes(s) && this.run != null;
    this.stopBtn.hidden = !open;
    if (open && !this.stopping) this.stopBtn.disabled = false;
  }

  async stop() {
    if (!this.run) return;
    this.stopping = true;
    this.stopBtn.disabled = true;
    this.stopBtn.textContent = "Stopping…";
    try {
      await this.actions.stop(this.run);
    } catch (err) {
      if (!OPEN.includes(this.statusName)) return; // it ended by itself meanwhile
      this.say("Could not stop: " + err.message);
      this.stopBtn.disabled = false;
    } finally {
      this.stopping = false;
      this.stopBtn.textContent = "■ Stop";
    }
  }

  say(text) {
    this.note.hidden = !text;
    this.note.textContent = text || "";
  }

  destroy() {
    for (const card of this.decisions.values()) card.stop();
  }
}

function pretty(v) {
  if (typeof v === "string") return v;
  try { return JSON.stringify(v, null, 2); } catch (_) { return String(v); }
}

function ms(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) return "?";
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10000 ? 2 : 1)} s`;
}
