// Type declarations for runcast.js (the Runcast browser client).

/** WebSocket close codes; 4000–4499 mean "reconnect and resume", 4500+ mean "do not reconnect". */
export declare const CloseCode: Readonly<{
  NORMAL: 1000; GOING_AWAY: 1001; MESSAGE_TOO_BIG: 1009;
  SLOW_CONSUMER: 4000; IDLE_TIMEOUT: 4001; HANDSHAKE_TIMEOUT: 4002; SHUTDOWN: 4003;
  PROTOCOL_VIOLATION: 4500; UNAUTHORIZED: 4501; FORBIDDEN: 4502;
}>;

/** The error catalogue (io.runcast.protocol.ErrorCode); every RuncastError's code is one of these. */
export declare const ErrorCode: Readonly<{
  BAD_JSON: "bad_json"; BAD_REQUEST: "bad_request"; UNKNOWN_OP: "unknown_op";
  INVALID_RUN: "invalid_run"; INVALID_TYPE: "invalid_type"; TOO_LARGE: "too_large";
  NOT_FOUND: "not_found"; RUN_CLOSED: "run_closed"; ALREADY_SUBSCRIBED: "already_subscribed";
  NOT_SUBSCRIBED: "not_subscribed"; DECISION_NOT_FOUND: "decision_not_found";
  DECISION_CLOSED: "decision_closed"; INVALID_CHOICE: "invalid_choice"; NOT_RUNNING: "not_running";
  CONVERSATION_BUSY: "conversation_busy";
  LIMIT_EXCEEDED: "limit_exceeded"; UNAUTHORIZED: "unauthorized"; FORBIDDEN: "forbidden";
  UNAVAILABLE: "unavailable"; INTERNAL: "internal";
}>;

export type ErrorCodeWire = (typeof ErrorCode)[keyof typeof ErrorCode];

export declare function shouldReconnect(code: number): boolean;

export interface ClientOptions {
  /** Backoff base in ms (default 500). */
  initialDelayMs?: number;
  /** Backoff cap in ms (default 30000). */
  maxDelayMs?: number;
  /** Backoff growth per attempt (default 2). */
  multiplier?: number;
  /** Give up after this many consecutive failed attempts (default Infinity). */
  maxAttempts?: number;
  /** Drop a socket that has not received `connected` within this many ms (default 10000). */
  connectTimeoutMs?: number;
  /** Silence longer than heartbeat × factor is treated as a dead connection (default 2.5). */
  heartbeatFactor?: number;
  /** decide/cancel/pause/resume/publish/chat reject after this many ms (default 15000). */
  requestTimeoutMs?: number;
  /** A WebSocket constructor to use instead of globalThis.WebSocket. */
  WebSocketImpl?: { new (url: string): WebSocket };
}

export declare const DEFAULTS: Readonly<Required<Omit<ClientOptions, "WebSocketImpl">>>;

/** Full-jitter exponential backoff delay in ms for a zero-based attempt number. */
export declare function backoffDelay(attempt: number, opts?: ClientOptions, random?: () => number): number;

/** One event of a run, as delivered. `data` is the producer's JSON object. */
export interface RuncastEvent<D = Record<string, unknown>> {
  run: string;
  seq: number;
  id: string;
  type: string;
  time: string;
  step?: string;
  agent?: string;
  data: D;
}

export interface SubscribedInfo {
  op: "subscribed";
  run: string;
  epoch: string | null;
  head: number;
  first?: number;
  recovered: boolean;
}

export interface ResetInfo {
  run: string;
  epoch: string | null;
  head: number;
  first?: number;
  /** The seq this client had before the server said the history was not recovered. */
  had: number;
}

export interface SubscribeOptions {
  /** Type patterns such as "step.*" (default: every type). */
  types?: string[];
  /** Start after this seq instead of from the beginning of the retained history. */
  since?: number;
  /** The epoch `since` refers to. */
  epoch?: string;
  onEvent?: (event: RuncastEvent) => void;
  onSubscribed?: (info: SubscribedInfo) => void;
  /** The run's stream ended (after its terminal event). */
  onEnd?: (info: { op: "end"; run: string; seq: number }) => void;
  /** The server could not resume from where this client was: history was lost or trimmed. */
  onReset?: (info: ResetInfo) => void;
  onError?: (error: RuncastError) => void;
}

export declare class Subscription {
  readonly run: string;
  /** The last seq delivered; a reconnect resumes after it. */
  readonly lastSeq: number;
  readonly epoch: string | null;
  readonly head: number;
  readonly done: boolean;
  unsubscribe(): void;
}

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export interface StateDetail {
  state: ConnectionState;
  changed: boolean;
  code?: number;
  reason?: string;
  attempt?: number;
  /** ms until the next attempt, when reconnecting. */
  delay?: number;
  connection?: string;
  heartbeat?: number;
}

export declare class RuncastError extends Error {
  /**
   * A code from the error catalogue (e.g. "run_closed"). Raised by the client itself: "unavailable"
   * when the connection was lost, a request got no answer in time, or the client was closed.
   */
  readonly code: ErrorCodeWire;
  constructor(code: ErrorCodeWire, message?: string);
}

/** The input limits a server states in its `connected` frame (and in GET /api/health). */
export interface ServerLimits {
  /** Largest WebSocket frame or HTTP request body, in UTF-8 bytes. */
  max_frame_bytes: number;
  /** Most events in one publish. */
  max_batch: number;
  /** Longest `data` of one event, as compact JSON text. */
  max_event_bytes: number;
  /** Longest run id, step, agent or idempotency key. */
  max_name_length: number;
}

export interface OkReply { op: "ok"; id: number; run: string; seq: number }
export interface PublishedReply {
  op: "published"; id: number; run: string;
  accepted: { seq: number; id: string; duplicate: boolean }[];
}
/** What a chat may ask of its agent (docs/protocol.md, "Chat runs"). */
export interface ChatOptions {
  /** One of GET /api/agents (default: the server's default agent); unknown → RuncastError "not_found". */
  agent?: string;
  /** Continue this conversation (a new one is made without it); busy → RuncastError "conversation_busy". */
  conversation?: string;
  /** Passed to the agent: light forces (true/false) or frees ("auto") the light-mode router; fresh bypasses tool caches. */
  options?: { light?: boolean | "auto"; fresh?: boolean };
}

/** The chat run's events; the same callbacks as a subscription's. */
export type ChatHandlers = Omit<SubscribeOptions, "types" | "since" | "epoch">;

/** The server's answer to a chat: the run that answers it, already followed by `subscription`. */
export interface ChatStarted {
  op: "started";
  id: number;
  /** `{conversation}.{turn}` */
  run: string;
  conversation: string;
  turn: number;
  agent: string;
  subscription: Subscription;
}

export interface EventInput { type: string; step?: string; agent?: string; data?: Record<string, unknown>; key?: string }

export declare class RuncastClient extends EventTarget {
  constructor(url?: string, options?: ClientOptions);
  readonly url: string;
  readonly state: ConnectionState;
  readonly connection: string | null;
  /** Seconds between heartbeats, from the server's `connected` frame. */
  readonly heartbeat: number;
  /** The server's input limits from the latest `connected` frame; null until one stated them. */
  readonly limits: ServerLimits | null;
  readonly subs: Map<string, Subscription>;
  connect(): this;
  close(): void;
  subscribe(run: string, options?: SubscribeOptions): Subscription;
  decide(run: string, decision: string, choice: unknown): Promise<OkReply>;
  cancel(run: string, reason?: string): Promise<OkReply>;
  pause(run: string): Promise<OkReply>;
  resume(run: string): Promise<OkReply>;
  /** Rejects at once with RuncastError "too_large" (or "bad_request") when `limits` would be broken. */
  publish(run: string, event: EventInput | EventInput[]): Promise<PublishedReply>;
  /**
   * Starts a chat run and follows it: the handlers get every event from run.started on, across
   * reconnects, as a subscription would. Rejects with the server's error (not_found, conversation_busy,
   * too_large, bad_request, unavailable …); nothing is subscribed then.
   */
  chat(message: string, options?: ChatOptions, handlers?: ChatHandlers): Promise<ChatStarted>;
  /** Listens to "state", "connected", "event", "end" or "servererror"; returns a function that stops listening. */
  on(type: "state", fn: (d: StateDetail) => void): () => void;
  on(type: "event", fn: (e: RuncastEvent) => void): () => void;
  on(type: "connected" | "end" | "servererror", fn: (d: any) => void): () => void;
}
