/**
 * What a realtime connection writes to: an SSE response or a WebSocket.
 * `buffered` is how many bytes it holds that the client has not read yet.
 */
/** A message, as text or already encoded. */
export type Message = string | Buffer;

export interface Wire {
  write(message: Message): void;
  buffered(): number;
  /** The client fell too far behind: close the connection (it resumes from what it has). */
  overflow(): void;
}

// Past this many unread bytes, new messages wait in the outbox instead.
const SOFT_LIMIT_BYTES = 64 * 1024;
// Past this many jobs waiting (or this many unread bytes), the client is cut off.
const MAX_WAITING = 256;
const HARD_LIMIT_BYTES = 1024 * 1024;
const RETRY_MS = 50;

/**
 * Keeps a slow client from costing more than a bounded amount of memory,
 * and from holding up anyone else. While the client reads, messages go
 * straight to the wire. When it falls behind, messages wait here by key
 * (a job's id): a newer one replaces the older, so the client gets the
 * latest version of each job and never an older one after a newer. Past a
 * limit the connection is closed; the client resumes with what it has.
 */
export class Outbox {
  private readonly waiting = new Map<string, Message>();
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly wire: Wire) {}

  /** Sends now if the client keeps up; a keyless message (a heartbeat) is dropped when it does not. */
  send(text: Message, key?: string) {
    if (this.closed) return;
    if (this.waiting.size === 0 && this.wire.buffered() < SOFT_LIMIT_BYTES) {
      this.wire.write(text);
      if (this.wire.buffered() > HARD_LIMIT_BYTES) this.overflow();
      return;
    }
    if (key === undefined) return;
    this.waiting.set(key, text);
    if (this.waiting.size > MAX_WAITING) this.overflow();
    else this.retry ??= setTimeout(() => this.flush(), RETRY_MS);
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Writes everything waiting, whatever the client's backlog: before the server ends a stream (a job's final state). */
  flushAll() {
    if (this.closed) return;
    for (const text of this.waiting.values()) this.wire.write(text);
    this.waiting.clear();
  }

  close() {
    this.closed = true;
    this.waiting.clear();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private flush() {
    this.retry = null;
    if (this.closed) return;
    for (const [key, text] of this.waiting) {
      if (this.wire.buffered() >= SOFT_LIMIT_BYTES) break;
      this.waiting.delete(key);
      this.wire.write(text);
    }
    if (this.waiting.size > 0) this.retry = setTimeout(() => this.flush(), RETRY_MS);
  }

  private overflow() {
    this.close();
    this.wire.overflow();
  }
}
