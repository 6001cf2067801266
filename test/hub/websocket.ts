/**
 * A small WebSocket client (RFC 6455) for the hub test: text and binary messages, client
 * masking, fragmented and large frames, ping/pong and close. Node 20 has no WebSocket
 * without a flag, and the course does not depend on a WebSocket package.
 */
import { randomBytes, createHash } from 'crypto';
import * as http from 'http';
import type { Socket } from 'net';

export interface WsMessage {
  text?: string;
  binary?: Buffer;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class WebSocketClient {
  private buf = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;
  onmessage: (m: WsMessage) => void = () => {};
  onclose: (why: string) => void = () => {};

  private constructor(private readonly socket: Socket, head: Buffer) {
    socket.on('data', (d: Buffer) => this.receive(d));
    socket.on('close', () => this.finish('connection closed'));
    socket.on('error', (e) => this.finish(`socket error: ${e.message}`));
    if (head.length) this.receive(head);
  }

  /** Opens `url` (ws://...), with extra request headers (e.g. Authorization). */
  static connect(url: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<WebSocketClient> {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname,
        port: u.port || 80,
        path: u.pathname + u.search,
        headers: { ...headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
        timeout: timeoutMs,
      });
      req.on('upgrade', (res, socket, head) => {
        const accept = createHash('sha1').update(key + GUID).digest('base64');
        if (res.headers['sec-websocket-accept'] !== accept) {
          socket.destroy();
          return reject(new Error(`${url}: bad Sec-WebSocket-Accept`));
        }
        socket.setNoDelay(true);
        resolve(new WebSocketClient(socket, head));
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => reject(new Error(`${url}: HTTP ${res.statusCode} instead of a WebSocket upgrade: ${body.slice(0, 300)}`)));
      });
      req.on('timeout', () => req.destroy(new Error(`${url}: no WebSocket upgrade within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end();
    });
  }

  send(text: string): void {
    this.frame(0x1, Buffer.from(text, 'utf8'));
  }

  close(): void {
    if (this.closed) return;
    try {
      this.frame(0x8, Buffer.from([0x03, 0xe8]));
    } catch {
      // already gone
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.finish('closed by us');
  }

  private finish(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose(why);
  }

  private frame(opcode: number, payload: Buffer): void {
    if (this.closed) throw new Error('WebSocket is closed');
    const mask = randomBytes(4);
    const n = payload.length;
    const head = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    if (n < 126) head[1] = 0x80 | n;
    else if (n < 65536) {
      head[1] = 0x80 | 126;
      head.writeUInt16BE(n, 2);
    } else {
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(n), 2);
    }
    const body = Buffer.alloc(n);
    for (let i = 0; i < n; i++) body[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([head, mask, body]));
  }

  private receive(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.buf.length < 2) return;
      const fin = (this.buf[0] & 0x80) !== 0;
      const opcode = this.buf[0] & 0x0f;
      const masked = (this.buf[1] & 0x80) !== 0;
      let len = this.buf[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (this.buf.length < at + len) return;
      let payload = this.buf.subarray(at, at + len);
      if (masked) {
        const m = this.buf.subarray(maskAt, maskAt + 4);
        payload = Buffer.from(payload.map((b, i) => b ^ m[i & 3]));
      }
      this.buf = this.buf.subarray(at + len);
      if (opcode === 0x8) {
        this.close();
        return;
      }
      if (opcode === 0x9) {
        this.frame(0xa, Buffer.from(payload));
        continue;
      }
      if (opcode === 0xa) continue;
      if (opcode === 0x0) {
        this.fragments.push(Buffer.from(payload));
      } else {
        this.fragmentOpcode = opcode;
        this.fragments = [Buffer.from(payload)];
      }
      if (!fin) continue;
      const whole = Buffer.concat(this.fragments);
      this.fragments = [];
      this.onmessage(this.fragmentOpcode === 0x1 ? { text: whole.toString('utf8') } : { binary: whole });
    }
  }
}
