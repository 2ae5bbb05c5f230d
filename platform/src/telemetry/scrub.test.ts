// The last guard before a span leaves the process: whatever a library put in
// it, no email address, phone number or error text reaches the collector.
import { describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { scrubSpan } from './sdk.js';

function span(attributes: Record<string, unknown>, extra: Partial<ReadableSpan> = {}): ReadableSpan {
  return { attributes, events: [], status: { code: 0 }, ...extra } as unknown as ReadableSpan;
}

describe('scrubSpan', () => {
  it('keeps ids and codes, drops what holds an email, a phone number or an object', () => {
    const s = span({
      temporalWorkflowId: 'serris/alert-delivery/5f0c…',
      'vigie.failure_reason': 'INVALID_NUMBER',
      attempt: 2,
      ok: true,
      'db.statement': "select * from accounts where email = 'alice@serris.example'",
      'messaging.destination': '+33612345678',
      memo: { note: 'Alice, 3 rue des Lilas' },
      tags: ['sms', 'urgent'],
    });
    scrubSpan(s);
    expect(s.attributes).toEqual({
      temporalWorkflowId: 'serris/alert-delivery/5f0c…',
      'vigie.failure_reason': 'INVALID_NUMBER',
      attempt: 2,
      ok: true,
      tags: ['sms', 'urgent'],
    });
  });

  it('keeps an exception’s type, not its message or stack, and a status without its text', () => {
    const s = span(
      {},
      {
        events: [
          {
            name: 'exception',
            time: [0, 0],
            attributes: {
              'exception.type': 'ChannelError',
              'exception.message': "The 'To' number +33612345678 is not a valid phone number",
              'exception.stacktrace': 'ChannelError: The …\n    at send (twilio-sms.ts:91)',
            },
          },
        ],
        status: { code: 2, message: 'The number +33612345678 is unreachable' },
      },
    );
    scrubSpan(s);
    expect(s.events[0]!.attributes).toEqual({ 'exception.type': 'ChannelError' });
    expect(s.status).toEqual({ code: 2 });
  });
});
