import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'crypto';
import { DELIMITER, ProtocolError, decode, encode, newMessage, sign } from '../../../cli/src/runner/protocol';

const KEY = 'a-test-key';

test('encode signs the four JSON frames with HMAC-SHA256 and decode restores the message', () => {
  const msg = newMessage('execute_request', 'session-1', { code: '1 + 1' });
  const frames = encode(msg, KEY);
  assert.equal(frames[0].toString(), DELIMITER);
  const h = createHmac('sha256', KEY);
  for (const f of frames.slice(2)) h.update(f);
  assert.equal(frames[1].toString(), h.digest('hex'));
  const back = decode(frames, KEY);
  assert.deepEqual(back, JSON.parse(JSON.stringify(msg)));
});

test('decode skips routing identities before the delimiter', () => {
  const msg = newMessage('status', 's', { execution_state: 'idle' });
  const back = decode([Buffer.from('topic-or-identity'), ...encode(msg, KEY)], KEY);
  assert.equal(back.content.execution_state, 'idle');
});

test('decode rejects a tampered message, a wrong key and a missing delimiter', () => {
  const frames = encode(newMessage('stream', 's', { text: 'hi' }), KEY);
  const tampered = [...frames];
  tampered[5] = Buffer.from(JSON.stringify({ text: 'changed' }));
  assert.throws(() => decode(tampered, KEY), ProtocolError);
  assert.throws(() => decode(frames, 'other-key'), /signature/);
  assert.throws(() => decode(frames.slice(1), KEY), /delimiter/);
});

test('an empty key means unsigned messages', () => {
  assert.equal(sign('', [Buffer.from('x')]), '');
  const frames = encode(newMessage('status', 's', {}), '');
  assert.equal(frames[1].toString(), '');
  assert.equal(decode(frames, '').header.msg_type, 'status');
});
