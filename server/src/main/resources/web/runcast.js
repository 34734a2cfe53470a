// Runcast browser client: one ES module, no dependencies.
//
//   import { RuncastClient } from "/runcast.js";
//   const rc = new RuncastClient();                 // ws(s)://<this host>/ws
//   rc.addEventListener("state", e => console.log(e.detail.state));
//   rc.subscribe("run-1", { onEvent: ev => console.log(ev.seq, ev.type, ev.data) });
//   const { run } = await rc.chat("Hi!", { agent: "helper" }, { onEvent: ev => console.log(ev.type) });
//
// Guarantees per subscription: events arrive in seq order, each exactly once, across any number of
// connection drops (the client resumes every run from its last seq and epoch). If the server says
// the history is gone (epoch changed, trimmed) the subscription's onReset is called first.

/** WebSocket close codes (io.runcast.protocol.CloseCode). 4000–4499 reconnect; 4500+ do not. */
export const CloseCode = Object.freeze({
  NORMAL: 1000, GOING_AWAY: 1001, MESSAGE_TOO_BIG: 1009,
  SLOW_CONSUMER: 4000, IDLE_TIMEOUT: 4001, HANDSHAKE_TIMEOUT: 4002, SHUTDOWN: 4003,
  PROTOCOL_VIOLATION: 4500, UNAUTHORIZED: 4501, FORBIDDEN: 4502,
});

/**
 * The error catalogue (io.runcast.protocol.ErrorCode): every RuncastError's code is one of these,
 * whether the server sent it or this client raised it (a lost connection, a request that got no answer
 * in time and a closed client are all "unavailable": the outcome is unknown, retry).
 */
export const ErrorCode = Object.freeze({
  BAD_JSON: "bad_json", BAD_REQUEST: "bad_request", UNKNOWN_OP: "unknown_op",
  INVALID_RUN: "invalid_run", INVALID_TYPE: "invalid_type", TOO_LARGE: "too_large",
  NOT_FOUND: "not_found", RUN_CLOSED: "run_closed", ALREADY_SUBSCRIBED: "already_subscribed",
  NOT_SUBSCRIBED: "not_subscribed", DECISION_NOT_FOUND: "decision_not_found",
  DECISION_CLOSED: "decision_closed", INVALID_CHOICE: "invalid_choice", NOT_RUNNING: "not_running",
  CONVERSATION_BUSY: "conversation_busy",
  LIMIT_EXCEEDED: "limit_exceeded", UNAUTHORIZED: "unauthorized", FORBIDDEN: "forbidden",
  UNAVAILABLE: "unavailable", INTERNAL: "internal",
});

/** Whether a close with this code should be followed by a reconnect (same rule as the Java side). */
export function shouldReconnect(code) {
  if (code >= 4000 && code < 4500) return true;
  if (code >= 4500 && code < 5000) return false;
  return code === 1001 || code === 1006 || code === 1011 || code === 1012 || code === 1013;
}

/** Reconnect and timing defaults. Every one can be overridden in the constructor options. */
export const DEFAULTS = Object.freeze({
  initialDelayMs: 500,      // backoff base: the first retry waits random(0, 500 ms)
  maxDelayMs: 30000,        // backoff cap: no retry waits longer than 30 s
  multiplier: 2,            // the cap of attempt n is min(maxDelayMs, initialDelayMs * multiplier^n)
  maxAttempts: Infinity,    // unlimited by default
  connectTimeoutMs: 10000,  // a socket that has not said "connected" by then is dropped and retried
  heartbeatFactor: 2.5,     // silence longer than heartbeat * factor means the connection is dead
  requestTimeoutMs: 15000,  // decide/cancel/publish/chat give up after this long
});

/** Full-jitter exponential backoff: random(0, min(max, base * mult^attempt)). attempt starts at 0. */
export function backoffDelay(attempt, opts = DEFAULTS, random = Math.random) {
  const cap = Math.min(opts.maxDelayMs, opts.initialDelayMs * Math.pow(opts.multiplier, attempt));
  return Math.floor(random() * cap);
}

/** An error answered by the server: code is from the catalogue (io.runcast.protocol.ErrorCode). */
export class RuncastError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "RuncastError";
    this.code = code;
  }
}

/**
 * Why the server would refuse this publish frame under its stated limits, as a RuncastError, or null.
 * Measured as the server measures: event data as compact JSON text, the frame in UTF-8 bytes with its id.
 */
function publishRefusal(limits, frame, id) {
  if (!limits) return null;
  const events = frame.events || [frame.event];
  if (events.length > limits.max_batch) {
    return new RuncastError(ErrorCode.TOO_LARGE, `${events.length} events exceed the server's limit of ${limits.max_batch} per publish (max_batch)`);
  }
  for (const e of events) {
    const data = JSON.stringify(e?.data ?? {});
    if (data.length > limits.max_event_bytes) {
      return new RuncastError(ErrorCode.TOO_LARGE, `event data of ${data.length} bytes exceeds the server's limit of ${limits.max_event_bytes} (max_event_bytes)`);
    }
    for (const name of ["step", "agent", "key"]) {
      const v = e?.[name];
      if (typeof v === "string" && (v.length === 0 || v.length > limits.max_name_length)) {
        return new RuncastError(ErrorCode.BAD_REQUEST, `${name} must be 1..${limits.max_name_length} characters`);
      }
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify({ ...frame, id })).length;
  if (bytes > limits.max_frame_bytes) {
    return new RuncastError(ErrorCode.TOO_LARGE, `publish frame of ${bytes} bytes exceeds the server's limit of ${limits.max_frame_bytes} (max_frame_bytes)`);
  }
  return null;
}

function defaultUrl() {
  const loc = globalThis.location;
  if (!loc) return "ws://localhost:8000/ws";
  return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host + "/ws";
}

/** One run's subscription. lastSeq/epoch are where a resume starts; done is true after `end`. */
class Subscription {
  constructor(client, run, opts) {
    this.client = client;
    this.run = run;
    this.types = opts.types || null;
    this.lastSeq = opts.since || 0;
    this.epoch = opts.epoch || null;
    this.head = 0;
    this.done = false;
    this.ready = false; // true once this (re)subscription's `subscribed` arrived; earlier frames are stale
    this.handlers = opts;
  }
  /** Stops following the run; nothing more is delivered. */
  unsubscribe() {
    this.client._unsubscribe(this);
  }
}

export class RuncastClient extends EventTarget {
  /**
   * @param {string} [url] WebSocket URL; default ws(s)://<page host>/ws
   * @param {object} [options] overrides of DEFAULTS, plus WebSocketImpl for tests/non-browsers
   */
  constructor(url, options = {}) {
    super();
    this.url = url || defaultUrl();
    this.options = { ...DEFAULTS, ...options };
    this.state = "idle";       // idle | connecting | open | reconnecting | closed
    this.connection = null;    // the server's id for the current connection
    this.heartbeat = 0;        // seconds, from the connected frame
    this.limits = null;        // the server's input limits, from the connected frame (null until stated)
    this.attempt = 0;
    this.subs = new Map();     // run -> Subscription
    this._ws = null;
    this._nextId = 1;
    this._pending = new Map(); // request id -> {resolve, reject, timer, frame, sent}
    this._subIds = new Map();  // subscribe request id -> run, to match an error answer to its run
    this._timers = {};
    this._lastHeard = 0;
    this._onOnline = () => { if (this.state === "reconnecting") this._retryNow(); };
    this._onOffline = () => { if (this._ws) this._drop(1006, "browser went offline"); };
  }

  /** Starts connecting (also done implicitly by subscribe and requests); after close() it starts afresh. */
  connect() {
    if (this.state !== "idle" && this.state !== "closed") return this;
    if (globalThis.addEventListener) { // the same function twice is one listener
      globalThis.addEventListener("online", this._onOnline);
      globalThis.addEventListener("offline", this._onOffline);
    }
    this.attempt = 0;
    this._open();
    return this;
  }

  /** Closes for good: no reconnect, pending requests fail. */
  close() {
    this._setState("closed", { code: 1000, reason: "closed by client" });
    this._clearTimers();
    if (this._ws) { try { this._ws.close(1000); } catch (_) { /* already closing */ } }
    this._ws = null;
    this._failPending(ErrorCode.UNAVAILABLE, "the client was closed", true);
    if (globalThis.removeEventListener) {
      globalThis.removeEventListener("online", this._onOnline);
      globalThis.removeEventListener("offline", this._onOffline);
    }
  }

  /**
   * Follows a run. opts: onEvent(event), onSubscribed(info), onEnd(info), onReset(info), onError(err),
   * types (["step.*"]), since (resume after this seq), epoch. Returns the Subscription.
   */
  subscribe(run, opts = {}) {
    if (this.subs.has(run)) throw new RuncastError(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + run);
    const sub = new Subscription(this, run, opts);
    this.subs.set(run, sub);
    if (this.state === "open") this._sendSubscribe(sub);
    else this.connect();
    return sub;
  }

  /**
   * Sends a chat message: the server starts a run of a chat agent (docs/protocol.md, "Chat runs") and
   * subscribes this connection to it. Resolves with the `started` answer {run, conversation, turn, agent}
   * plus `subscription`; the run's events go to `handlers` (onEvent, onSubscribed, onEnd, onReset,
   * onError, as for subscribe). The subscription is registered the moment `started` arrives, before any
   * of its events, so it resumes after a reconnect like one made with subscribe.
   * opts: agent, conversation, options ({light: true|false|"auto", fresh: true}).
   * Refused chats reject with the server's code (not_found agent, conversation_busy, too_large …).
   */
  chat(message, opts = {}, handlers = {}) {
    if (typeof message !== "string") return Promise.reject(new RuncastError(ErrorCode.BAD_REQUEST, "message must be a string"));
    const frame = { op: "chat", message };
    for (const k of ["agent", "conversation", "options"]) if (opts[k] != null) frame[k] = opts[k];
    return this._request(frame, (f) => {
      if (f.op !== "started" || !f.run) return f;
      let sub = this.subs.get(f.run);
      if (!sub) {
        // The server subscribed this connection already: only wait for its `subscribed` (no frame sent).
        sub = new Subscription(this, f.run, handlers);
        this.subs.set(f.run, sub);
      } else {
        handlers.onError?.(new RuncastError(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + f.run + "; its events go to that subscription"));
      }
      return { ...f, subscription: sub };
    });
  }

  /** Answers a pending decision; resolves with {seq} of decision.resolved. */
  decide(run, decision, choice) { return this._request({ op: "decide", run, decision, choice }); }
  cancel(run, reason) { return this._request(reason ? { op: "cancel", run, reason } : { op: "cancel", run }); }
  pause(run) { return this._request({ op: "pause", run }); }
  resume(run) { return this._request({ op: "resume", run }); }
  /**
   * Publishes one event object {type, step, agent, data, key} or an array; resolves with {accepted}.
   * What the server's stated limits would refuse is rejected at once with the same code ("too_large",
   * or "bad_request" for a name too long) and not sent.
   */
  publish(run, event) {
    const frame = Array.isArray(event) ? { op: "publish", run, events: event } : { op: "publish", run, event };
    const refusal = publishRefusal(this.limits, frame, this._nextId);
    return refusal ? Promise.reject(refusal) : this._request(frame);
  }

  /** addEventListener shorthand returning an unsubscribe function. */
  on(type, fn) {
    const h = (e) => fn(e.detail);
    this.addEventListener(type, h);
    return () => this.removeEventListener(type, h);
  }

  // ---- connection ----

  _open() {
    this._clearTimers();
    this._setState(this.attempt === 0 && this.state !== "reconnecting" ? "connecting" : "reconnecting", { attempt: this.attempt });
    let ws;
    try {
      const Impl = this.options.WebSocketImpl || globalThis.WebSocket;
      ws = new Impl(this.url);
    } catch (err) {
      this._scheduleReconnect(1006, String(err));
      return;
    }
    this._ws = ws;
    this._timers.connect = setTimeout(() => this._drop(4002, "no connected frame in time"), this.options.connectTimeoutMs);
    ws.onmessage = (m) => { if (ws === this._ws) this._onFrame(m.data); };
    ws.onclose = (c) => { if (ws === this._ws) this._onClose(c.code, c.reason); };
    ws.onerror = () => { /* onclose follows and decides */ };
  }

  _onFrame(text) {
    this._lastHeard = Date.now();
    let f;
    try { f = JSON.parse(text); } catch (_) { return; }
    switch (f.op) {
      case "connected": return this._onConnected(f);
      case "event": return this._onEvent(f);
      case "subscribed": return this._onSubscribed(f);
      case "end": return this._onEnd(f);
      case "error": return this._onError(f);
      case "pong": return undefined;
      default: return this._resolve(f);
    }
  }

  _onConnected(f) {
    clearTimeout(this._timers.connect);
    this.connection = f.connection;
    this.heartbeat = f.heartbeat || 0;
    this.limits = f.limits || null;
    this.attempt = 0;
    this._setState("open", { connection: f.connection, heartbeat: this.heartbeat });
    this.dispatchEvent(new CustomEvent("connected", { detail: f }));
    this._startHeartbeat();
    for (const sub of this.subs.values()) if (!sub.done) this._sendSubscribe(sub);
    for (const [id, p] of this._pending) if (!p.sent) { p.sent = true; this._send({ ...p.frame, id }); }
  }

  _startHeartbeat() {
    if (!this.heartbeat) return;
    const period = this.heartbeat * 1000;
    this._timers.ping = setInterval(() => this._send({ op: "ping" }), period);
    this._timers.watchdog = setInterval(() => {
      if (Date.now() - this._lastHeard > period * this.options.heartbeatFactor) this._drop(4001, "heartbeat missed");
    }, Math.max(250, period / 2));
  }

  /** Drops the current socket as if the network had failed, then reconnects. */
  _drop(code, reason) {
    const ws = this._ws;
    this._ws = null;
    if (ws) { try { ws.close(); } catch (_) { /* ignore */ } }
    this._onClose(code, reason);
  }

  _onClose(code, reason) {
    this._ws = null;
    this._clearTimers();
    this._failPending(ErrorCode.UNAVAILABLE, "connection lost", false);
    if (this.state === "closed") return;
    if (!shouldReconnect(code)) {
      this._setState("closed", { code, reason });
      for (const sub of this.subs.values()) sub.handlers.onError?.(new RuncastError(ErrorCode.UNAVAILABLE, `connection closed for good: ${code} ${reason || ""}`));
      return;
    }
    this._scheduleReconnect(code, reason);
  }

  _scheduleReconnect(code, reason) {
    if (this.attempt >= this.options.maxAttempts) {
      this._setState("closed", { code, reason: "gave up after " + this.attempt + " attempts" });
      return;
    }
    const delay = backoffDelay(this.attempt, this.options);
    this.attempt++;
    this._setState("reconnecting", { code, reason, attempt: this.attempt, delay });
    this._timers.retry = setTimeout(() => this._open(), delay);
  }

  _retryNow() {
    clearTimeout(this._timers.retry);
    this._open();
  }

  _setState(state, detail = {}) {
    const changed = state !== this.state;
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, changed, ...detail } }));
  }

  _clearTimers() {
    clearTimeout(this._timers.connect);
    clearTimeout(this._timers.retry);
    clearInterval(this._timers.ping);
    clearInterval(this._timers.watchdog);
    this._timers = {};
  }

  _send(frame) {
    if (!this._ws || this.state !== "open") return false;
    try { this._ws.send(JSON.stringify(frame)); return true; } catch (_) { return false; }
  }

  // ---- subscriptions ----

  _sendSubscribe(sub) {
    sub.ready = false;
    const id = this._nextId++;
    this._subIds.set(id, sub.run);
    const frame = { op: "subscribe", id, run: sub.run };
    if (sub.lastSeq > 0) frame.since = sub.lastSeq;
    if (sub.epoch) frame.epoch = sub.epoch;
    if (sub.types) frame.types = sub.types;
    this._send(frame);
  }

  _unsubscribe(sub) {
    if (this.subs.get(sub.run) !== sub) return;
    this.subs.delete(sub.run);
    if (!sub.done) this._send({ op: "unsubscribe", run: sub.run });
    sub.done = true;
  }

  _onSubscribed(f) {
    this._subIds.delete(f.id);
    const sub = this.subs.get(f.run);
    if (!sub) return this._resolve(f);
    const asked = sub.lastSeq;
    const lost = !f.recovered && asked > 0;
    const epochChanged = sub.epoch && f.epoch && sub.epoch !== f.epoch;
    // The server replays from the start when the epoch changed or it is behind us; forget our position.
    if (lost && (epochChanged || asked > f.head)) sub.lastSeq = 0;
    sub.epoch = f.epoch || sub.epoch;
    sub.head = f.head;
    sub.ready = true;
    if (lost) sub.handlers.onReset?.({ run: f.run, epoch: f.epoch, head: f.head, first: f.first, had: asked });
    sub.handlers.onSubscribed?.(f);
    return this._resolve(f);
  }

  _onEvent(f) {
    const sub = this.subs.get(f.run);
    if (!sub || sub.done || !sub.ready) return; // not ready: left over from an earlier subscription
    if (f.seq <= sub.lastSeq) return; // a repeat across a reconnect: already delivered
    sub.lastSeq = f.seq;
    if (f.seq > sub.head) sub.head = f.seq;
    const { op, ...event } = f;
    try { sub.handlers.onEvent?.(event); } catch (err) { console.error("runcast onEvent handler failed", err); }
    this.dispatchEvent(new CustomEvent("event", { detail: event }));
  }

  _onEnd(f) {
    const sub = this.subs.get(f.run);
    if (!sub || !sub.ready) return;
    sub.done = true;
    this.subs.delete(f.run);
    sub.handlers.onEnd?.(f);
    this.dispatchEvent(new CustomEvent("end", { detail: f }));
  }

  _onError(f) {
    const err = new RuncastError(f.code, f.message);
    if (f.id != null && this._pending.has(f.id)) {
      const p = this._pending.get(f.id);
      this._pending.delete(f.id);
      clearTimeout(p.timer);
      p.reject(err);
      return;
    }
    const run = this._subIds.get(f.id) ?? f.run;
    this._subIds.delete(f.id);
    const sub = run ? this.subs.get(run) : null;
    if (sub) {
      // A subscription the server refused (bad run id, limit): stop retrying it.
      if (f.code !== ErrorCode.ALREADY_SUBSCRIBED) { this.subs.delete(run); sub.done = true; }
      sub.handlers.onError?.(err);
    }
    this.dispatchEvent(new CustomEvent("servererror", { detail: f }));
  }

  // ---- requests ----

  /** onReply(frame) runs as the answer is read, before any later frame; what it returns resolves the promise. */
  _request(frame, onReply = null) {
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, frame, sent: false, onReply };
      p.timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new RuncastError(ErrorCode.UNAVAILABLE, frame.op + " got no answer in time; it may or may not have happened"));
      }, this.options.requestTimeoutMs);
      this._pending.set(id, p);
      if (this.state === "open") { p.sent = this._send({ ...frame, id }); } else this.connect();
    });
  }

  _resolve(f) {
    if (f.id == null) return;
    const p = this._pending.get(f.id);
    if (!p) return;
    this._pending.delete(f.id);
    clearTimeout(p.timer);
    p.resolve(p.onReply ? p.onReply(f) : f);
  }

  /** Requests already sent on a lost socket fail (they may or may not have happened); unsent ones wait. */
  _failPending(code, message, all) {
    for (const [id, p] of this._pending) {
      if (!all && !p.sent) continue;
      this._pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new RuncastError(code, message));
    }
  }
}
