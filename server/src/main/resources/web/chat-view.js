// The chat page: #/chat starts a conversation, #/chat/{conversation} shows one and continues it.
// Each message starts a chat run (rc.chat); its events stream into the turn. Earlier turns are the
// runs {conversation}.1, .2 … read back by subscribing to each, so a reload rebuilds the thread.
import { h } from "./ui.js";
import { ErrorCode } from "./runcast.js";
import { ChatTurnView } from "./chat-turn.js";

/** The light-mode selector's values as options.light (docs/protocol.md, "Chat runs"). */
const LIGHT = { auto: "auto", light: true, full: false };
const TERMINAL = ["run.completed", "run.failed", "run.cancelled"];

export class ChatView {
  constructor(client, conversation) {
    this.client = client;
    this.conversation = conversation || null;
    this.turns = [];   // ChatTurnView, in order
    this.subs = [];    // their subscriptions, ended on leaving the page
    this.known = 0;    // the highest turn number shown
    this.ready = !this.conversation; // false while earlier turns are being found
    this.agentSelect = h("select", { id: "chat-agent", "aria-label": "agent", disabled: true,
      onchange: () => { this.agentPicked = true; this.describe(); } }, h("option", {}, "loading…"));
    this.agentDesc = h("span", { class: "agent-desc", id: "agent-desc" });
    this.light = h("select", { id: "chat-light", "aria-label": "light mode",
      title: "light: answer directly (one step); full: analyze → respond → review; auto: the router decides per message" },
      h("option", { value: "auto" }, "auto"), h("option", { value: "light" }, "light"), h("option", { value: "full" }, "full"));
    this.fresh = h("input", { type: "checkbox", id: "chat-fresh" });
    this.box = h("textarea", { id: "chat-input", rows: 2, "aria-label": "message",
      placeholder: "Ask the agent… (Enter sends, Shift+Enter adds a line)", onkeydown: (e) => this.onKey(e) });
    this.sendBtn = h("button", { type: "submit", class: "send", id: "chat-send", disabled: !this.ready }, "Send ➤");
    this.error = h("p", { class: "chat-error", id: "chat-error", role: "alert", hidden: true });
    this.thread = h("div", { class: "thread", id: "thread" });
    this.loading = h("p", { class: "empty", hidden: !this.conversation }, "Loading the conversation…");
    this.empty = h("div", { class: "chat-empty", hidden: !!this.conversation },
      h("p", {}, "Ask something. The reply streams in as it happens:"),
      h("ol", { class: "how" },
        h("li", { class: "k-thinking" }, "🧠 thinking"), h("li", { class: "k-tool" }, "🔧 tool calls"),
        h("li", { class: "k-decision" }, "🤔 your approvals"), h("li", { class: "k-answer" }, "✅ the answer")));
    this.convLabel = h("code", { class: "conv-id", id: "conv-id", hidden: !this.conversation }, this.conversation ?? "");
    this.el = h("section", { class: "chat-view" },
      h("div", { class: "toolbar" }, h("h1", {}, "💬 Chat"), this.convLabel,
        h("a", { href: "#/chat", class: "new-chat" }, "+ New conversation")),
      this.loading, this.empty, this.thread,
      h("form", { class: "composer", onsubmit: (e) => { e.preventDefault(); this.submit(); } },
        this.error,
        h("div", { class: "composer-row" }, this.box, this.sendBtn),
        h("div", { class: "composer-opts" },
          h("label", {}, "Agent ", this.agentSelect), this.agentDesc,
          h("span", { class: "opts-right" },
            h("label", {}, "Mode ", this.light),
            h("label", { title: "bypass tool caches" }, this.fresh, " fresh")))));
    this.loadAgents();
    if (this.conversation) this.discover();
  }

  onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    }
  }

  async loadAgents() {
    try {
      const res = await fetch("/api/agents", { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const agents = (await res.json()).agents || [];
      if (this.destroyed) return;
      this.agents = agents;
      if (!agents.length) {
        this.agentSelect.replaceChildren(h("option", {}, "none"));
        this.sendBtn.disabled = true;
        this.showError("This server runs no chat agents, so there is nobody to talk to here.");
        return;
      }
      const keep = this.agentPicked ? this.agentSelect.value : this.lastAgent;
      this.agentSelect.replaceChildren(...agents.map((a) => h("option", { value: a.name }, a.name + (a.default ? " (default)" : ""))));
      const pick = agents.find((a) => a.name === keep) || agents.find((a) => a.default) || agents[0];
      this.agentSelect.value = pick.name;
      this.agentSelect.disabled = false;
      this.describe();
    } catch (err) {
      if (!this.destroyed) this.showError("Could not load the agents: " + err.message);
    }
  }

  describe() {
    const a = this.agents?.find((x) => x.name === this.agentSelect.value);
    this.agentDesc.textContent = a?.description ?? "";
  }

  /** Finds the conversation's turns after the last one shown (GET /api/runs/{c}.{n} until a 404) and follows each. */
  async discover() {
    if (this.discovering) return;
    this.discovering = true;
    this.el.dataset.thread = "loading";
    try {
      for (let n = this.known + 1; ; n++) {
        const run = `${this.conversation}.${n}`;
        const res = await fetch("/api/runs/" + encodeURIComponent(run), { cache: "no-store" });
        if (this.destroyed) return;
        if (res.status === 404) break;
        if (!res.ok) throw new Error(await problem(res));
        const turn = this.addTurn(null);
        this.follow(turn, { run, turn: n, conversation: this.conversation }, () => this.client.subscribe(run, this.handlers(turn)));
      }
      this.el.dataset.thread = "loaded";
      this.empty.hidden = this.turns.length > 0;
    } catch (err) {
      if (this.destroyed) return;
      this.showError("Could not load the conversation: " + err.message);
    } finally {
      // Sending is safe even if the thread could not be read: the server numbers the turns.
      this.discovering = false;
      this.ready = true;
      this.loading.hidden = true;
      this.sendBtn.disabled = false;
    }
  }

  follow(turn, started, subscribe) {
    this.known = Math.max(this.known, started.turn);
    turn.attach(started);
    try {
      this.subs.push(subscribe());
    } catch (err) {
      turn.say(err.message); // already followed elsewhere on this page's client
    }
  }

  handlers(turn) {
    return {
      onEvent: (ev) => {
        this.keepScrolled(() => turn.apply(ev));
        if (ev.type === "run.started" && ev.data?.agent) this.sawAgent(ev.data.agent);
        // "Still answering" is over once the turn ends: the message can be sent now.
        if (TERMINAL.includes(ev.type) && this.errorCode === ErrorCode.CONVERSATION_BUSY) this.hideError();
      },
      onReset: () => turn.reset(),
      onEnd: () => turn.ended(),
      onError: (err) => turn.say(err.message),
    };
  }

  /** A loaded conversation keeps talking to the agent of its latest turn, unless the person picked one. */
  sawAgent(name) {
    this.lastAgent = name;
    if (this.agentPicked || !this.agents?.some((a) => a.name === name)) return;
    this.agentSelect.value = name;
    this.describe();
  }

  addTurn(message) {
    const turn = new ChatTurnView(message, {
      stop: (run) => this.client.cancel(run, "stopped from the chat"),
      decide: (run, decision, choice) => this.client.decide(run, decision, choice),
    });
    this.turns.push(turn);
    this.thread.append(turn.el);
    this.empty.hidden = true;
    return turn;
  }

  async submit() {
    const message = this.box.value;
    if (!message.trim() || !this.ready || this.agentSelect.disabled) return;
    this.hideError();
    const opts = { agent: this.agentSelect.value, options: { light: LIGHT[this.light.value] } };
    if (this.fresh.checked) opts.options.fresh = true;
    if (this.conversation) opts.conversation = this.conversation;
    const turn = this.addTurn(message);
    this.box.value = "";
    this.scrollToEnd();
    let subscription = null;
    try {
      const started = await this.client.chat(message, opts, this.handlers(turn));
      subscription = started.subscription;
      if (this.destroyed) { subscription.unsubscribe(); return; }
      this.follow(turn, started, () => subscription);
      if (!this.conversation) this.named(started.conversation);
    } catch (err) {
      if (this.destroyed) return;
      turn.destroy();
      turn.el.remove();
      this.turns.splice(this.turns.indexOf(turn), 1);
      this.empty.hidden = this.turns.length > 0;
      if (!this.box.value) this.box.value = message;
      this.showError(explain(err, opts), err.code);
      if (err.code === ErrorCode.NOT_FOUND) this.loadAgents();
      // Sent but unanswered: it may have started. Look for it rather than guess.
      if (err.code === ErrorCode.UNAVAILABLE && this.conversation) this.discover();
    }
  }

  /** The server named the new conversation: the address becomes its link (without a new page). */
  named(conversation) {
    this.conversation = conversation;
    this.convLabel.textContent = conversation;
    this.convLabel.hidden = false;
    history.replaceState(null, "", "#/chat/" + encodeURIComponent(conversation));
    document.title = `${conversation} · Chat · Runcast`;
  }

  showError(text, code = null) {
    this.errorCode = code;
    this.error.textContent = text;
    this.error.hidden = false;
  }

  hideError() {
    this.errorCode = null;
    this.error.hidden = true;
  }

  /** Runs fn and, if the page was at its bottom before, keeps it there (the reply grows downwards). */
  keepScrolled(fn) {
    const doc = document.documentElement;
    const stick = window.innerHeight + window.scrollY >= doc.scrollHeight - 120;
    fn();
    if (stick) this.scrollToEnd();
  }

  scrollToEnd() {
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  destroy() {
    this.destroyed = true;
    for (const sub of this.subs) sub.unsubscribe();
    for (const turn of this.turns) turn.destroy();
  }
}

/** What a refused chat means to the person who sent it. */
function explain(err, opts) {
  switch (err.code) {
    case ErrorCode.NOT_FOUND:
      return `The agent “${opts.agent}” is not on this server (${err.message}). Pick one from the list and send again.`;
    case ErrorCode.CONVERSATION_BUSY:
      return "The agent is still answering your previous message in this conversation. Wait for it to finish, or press Stop on it, then send again.";
    case ErrorCode.TOO_LARGE:
      return "The message is too long for this server: " + err.message;
    case ErrorCode.UNAVAILABLE:
      return "Could not start the chat: " + err.message;
    default:
      return `The server refused the message (${err.code}): ${err.message}`;
  }
}

async function problem(res) {
  try {
    const body = await res.json();
    return body.error?.message || "HTTP " + res.status;
  } catch (_) {
    return "HTTP " + res.status;
  }
}
