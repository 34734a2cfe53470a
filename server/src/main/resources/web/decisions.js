// A decision prompt: its question, one button per option, and a countdown to its timeout.
import { h, compact } from "./ui.js";

export class DecisionCard {
  /** @param ev the decision.requested event; @param send (choice) => Promise */
  constructor(ev, send) {
    const d = ev.data || {};
    this.send = send;
    this.deadline = d.timeout_seconds ? Date.parse(ev.time) + Number(d.timeout_seconds) * 1000 : null;
    this.total = Number(d.timeout_seconds) || 0;
    this.countdown = h("span", { class: "countdown" });
    this.ring = h("span", { class: "ring", hidden: !this.deadline });
    this.status = h("p", { class: "decision-status" });
    const options = Array.isArray(d.options) ? d.options : [];
    this.buttons = options.map((o) => {
      const value = typeof o === "object" && o !== null ? o.value ?? o.id ?? o.label : o;
      const label = typeof o === "object" && o !== null ? o.label ?? o.value ?? o.id : o;
      const isDefault = d.default != null && compact(d.default) === compact(value);
      return h("button", { class: "option" + (isDefault ? " default" : ""), "data-choice": compact(value),
        onclick: () => this.choose(value) }, compact(label), isDefault ? " (default)" : "");
    });
    if (d.can_skip) this.buttons.push(h("button", { class: "option skip", onclick: () => this.choose("skip") }, "Skip"));
    this.el = h("section", { class: "decision open", "data-decision": d.decision ?? "" },
      h("div", { class: "decision-head" }, h("h2", {}, "🤔 Your decision"), this.ring, this.countdown),
      h("p", { class: "prompt" }, compact(d.prompt ?? d.question ?? d.decision ?? "")),
      d.context ? h("p", { class: "context" }, compact(d.context)) : null,
      h("div", { class: "options" }, this.buttons),
      this.status);
    this.tick();
    if (this.deadline) this.timer = setInterval(() => this.tick(), 250);
  }

  tick() {
    if (!this.deadline) return;
    const left = Math.max(0, this.deadline - Date.now());
    const s = Math.ceil(left / 1000);
    this.countdown.textContent = s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left` : `${s}s left`;
    const frac = this.total ? left / (this.total * 1000) : 0;
    this.ring.style.setProperty("--frac", frac.toFixed(3));
    this.el.classList.toggle("urgent", left < 10000);
    if (left === 0) { clearInterval(this.timer); this.countdown.textContent = "time is up"; }
  }

  async choose(value) {
    this.buttons.forEach((b) => (b.disabled = true));
    this.status.textContent = "Sending…";
    try {
      await this.send(value);
      // decision.resolved usually arrives before the reply and has already said who decided what.
      if (!this.el.classList.contains("resolved")) this.status.textContent = "Sent: " + compact(value);
    } catch (err) {
      if (this.el.classList.contains("resolved")) return;
      this.status.textContent = "Not accepted: " + err.message;
      if (err.code !== "decision_closed") this.buttons.forEach((b) => (b.disabled = false));
    }
  }

  /** decision.resolved arrived: whoever answered, the prompt is closed. */
  resolved(d) {
    this.stop();
    this.el.classList.remove("open", "urgent");
    this.el.classList.add("resolved");
    this.buttons.forEach((b) => {
      b.disabled = true;
      if (b.dataset.choice === compact(d.choice)) b.classList.add("chosen");
    });
    this.countdown.textContent = "";
    this.status.textContent = `Decided: ${compact(d.choice)}${d.by ? " (by " + compact(d.by) + ")" : ""}`;
  }

  /** The run ended while the question was open. */
  expire() {
    if (!this.el.classList.contains("open")) return;
    this.stop();
    this.buttons.forEach((b) => (b.disabled = true));
    this.el.classList.remove("open", "urgent");
    this.countdown.textContent = "";
    this.status.textContent = "The run ended before a decision.";
  }

  stop() { clearInterval(this.timer); }
}
