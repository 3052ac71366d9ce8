import { describe, expect, it } from 'vitest';
import { aggregateEvents, responseEvents } from '../../main/engine/formats/aggregate';
import { FormatError, type IRStreamEvent } from '../../main/engine/formats/ir';
import { codecFor } from '../../main/engine/formats/registry';
import { pathsOf, stackHead, withValueAt } from './json-paths';
import { answerBody, answerStream } from './upstream';
import { CLIENT_FORMATS, UPSTREAM_FORMATS } from './wire';

// The request side has mutations.test.ts; this is the answer side. Every value of a valid answer
// and of each event of a valid stream, in each upstream format, is replaced by each of a fixed set
// of wrong values. Decoding may refuse a whole answer with a FormatError (a 502 for the client), but
// must not fail otherwise, and what it decodes must encode for every client without an object
// turning into "[object Object]".

const WRONG_VALUES: unknown[] = [
  ...['{"toString":false}', '{"valueOf":{},"toString":{}}', '{"__proto__":{"type":"text"}}'].map(
    (json) => JSON.parse(json) as unknown,
  ),
  null,
  0,
  -1,
  '',
  'x',
  true,
  [],
  [null],
  {},
  [{}],
];

/** Encodes the events for every client, streamed and whole; returns what went wrong. */
function encodeForEveryClient(events: IRStreamEvent[], where: string): string[] {
  const problems: string[] = [];
  for (const client of CLIENT_FORMATS) {
    try {
      const encoder = codecFor(client).createStreamEncoder({ model: 'm', includeUsage: true, sse: true });
      const text = events.map((event) => encoder.push(event)).join('') + encoder.end();
      if (text.includes('[object Object]')) problems.push(`${client} stream ${where}: an object became text`);
      const whole = aggregateEvents(events);
      const json = JSON.stringify(
        'error' in whole
          ? codecFor(client).encodeError(whole.error)
          : codecFor(client).encodeResponse(whole, 'm'),
      );
      if (json.includes('[object Object]')) problems.push(`${client} answer ${where}: an object became text`);
    } catch (error) {
      problems.push(`${client} ${where}: ${stackHead(error)}`);
    }
  }
  return problems;
}

/** A valid stream's event payloads, with a tool call where the format streams one. */
function streamEvents(format: (typeof UPSTREAM_FORMATS)[number]): Array<{ event?: string; data: unknown }> {
  const { head, body, tail } = answerStream(format, ['Hel', 'lo']);
  return [...head, ...body, ...tail].flatMap((text) => {
    const event = /^event: (.+)$/m.exec(text)?.[1];
    const data = /^data: (.+)$/m.exec(text)?.[1] ?? '';
    if (data === '[DONE]') return [];
    return [{ ...(event ? { event } : {}), data: JSON.parse(data) as unknown }];
  });
}

describe.each(UPSTREAM_FORMATS)('every value of a %s answer, given a wrong value', (format) => {
  const codec = codecFor(format);

  it('a whole answer decodes or is refused with a FormatError, and encodes for every client', () => {
    const problems: string[] = [];
    const sample = answerBody(format, 'Hello');
    for (const path of pathsOf(sample)) {
      for (const value of WRONG_VALUES) {
        const where = `${path.join('.')} = ${JSON.stringify(value)}`;
        let decoded: ReturnType<typeof codec.decodeResponse>;
        try {
          decoded = codec.decodeResponse(withValueAt(sample, path, value));
        } catch (error) {
          if (!(error instanceof FormatError)) problems.push(`decode ${where}: ${stackHead(error)}`);
          continue;
        }
        problems.push(...encodeForEveryClient(responseEvents(decoded), where));
      }
    }
    expect(problems).toEqual([]);
  });

  it('stream events: decoding never throws, and what it decodes encodes for every client', () => {
    const problems: string[] = [];
    const events = streamEvents(format);
    let tried = 0;
    events.forEach((original, at) => {
      for (const path of pathsOf(original.data)) {
        for (const value of WRONG_VALUES) {
          tried++;
          const where = `event ${at} ${path.join('.')} = ${JSON.stringify(value)}`;
          const decoder = codec.createStreamDecoder();
          const out: IRStreamEvent[] = [];
          try {
            events.forEach((event, i) => {
              const data = i === at ? withValueAt(event.data, path, value) : event.data;
              out.push(
                ...decoder.push({
                  ...(event.event ? { event: event.event } : {}),
                  data: JSON.stringify(data),
                }),
              );
            });
            out.push(...decoder.end());
          } catch (error) {
            problems.push(`decode ${where}: ${stackHead(error)}`);
            continue;
          }
          problems.push(...encodeForEveryClient(out, where));
        }
      }
    });
    expect(tried).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
