/**
 * The Jupyter messaging wire format (protocol 5.3): how a message is split into ZeroMQ
 * frames and signed. Kept free of sockets so it can be tested on its own.
 *
 * Frames: [routing ids..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...]
 * The HMAC-SHA256 (key from the connection file) covers the four JSON frames in order.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'crypto';

export const DELIMITER = '<IDS|MSG>';
export const PROTOCOL_VERSION = '5.3';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface JupyterMessage<C = Record<string, any>> {
  header: MessageHeader;
  /** Empty object when the message answers nothing. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
}

/** Hex HMAC-SHA256 of the JSON frames; an empty key means "unsigned" (signature ""). */
export function sign(key: string, frames: ReadonlyArray<Buffer | string>): string {
  if (key === '') return '';
  const h = createHmac('sha256', key);
  for (const f of frames) h.update(f);
  return h.digest('hex');
}

export function newMessage<C>(
  msgType: string,
  session: string,
  content: C,
  parent: Partial<MessageHeader> = {},
): JupyterMessage<C> {
  return {
    header: {
      msg_id: randomUUID(),
      session,
      username: 'gan-course',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: parent,
    metadata: {},
    content,
  };
}

/** Frames for a DEALER socket (no routing ids: the kernel's ROUTER adds ours). */
export function encode(msg: JupyterMessage<unknown>, key: string): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) =>
    Buffer.from(JSON.stringify(p), 'utf8'),
  );
  return [Buffer.from(DELIMITER), Buffer.from(sign(key, parts)), ...parts];
}

export class ProtocolError extends Error {}

/**
 * Parses received frames; throws ProtocolError when the delimiter is missing, a JSON frame
 * is malformed, or the signature does not match (a message we must not trust).
 */
export function decode(frames: ReadonlyArray<Buffer>, key: string): JupyterMessage {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER);
  if (at < 0) throw new ProtocolError('message has no <IDS|MSG> delimiter');
  if (frames.length < at + 6) throw new ProtocolError(`message has ${frames.length - at - 1} frames after the delimiter, expected at least 5`);
  const signature = frames[at + 1].toString('latin1');
  const parts = frames.slice(at + 2, at + 6);
  const expected = sign(key, parts);
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ProtocolError('message signature does not match the connection key');
  const json = parts.map((p, i) => {
    try {
      return JSON.parse(p.toString('utf8'));
    } catch (e) {
      throw new ProtocolError(`frame ${['header', 'parent_header', 'metadata', 'content'][i]} is not JSON`);
    }
  });
  return { header: json[0], parent_header: json[1], metadata: json[2], content: json[3] };
}
