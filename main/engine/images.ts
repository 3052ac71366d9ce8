import type { ContentPart, IRRequest } from './formats/ir';
import { FormatError } from './formats/ir';
import { AnswerTooLarge, type UpstreamAnswer } from './upstream/dispatched-answer';
import { callUpstream, describeNetworkError } from './upstream/http';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/**
 * What one request's fetched images may hold together, and how many are fetched at once: without
 * them a request naming thousands of image URLs had them all in flight, up to 20 MB each, in memory.
 */
export const MAX_REQUEST_IMAGE_BYTES = 100 * 1024 * 1024;
export const PARALLEL_IMAGE_FETCHES = 6;

type ImagePart = Extract<ContentPart, { type: 'image' }>;

/**
 * Gemini takes images only as inline bytes, so http(s) image URLs are fetched here (size-capped)
 * before the request is encoded, a few at a time; the first failure fails the request.
 */
export async function inlineImageUrls(request: IRRequest, signal: AbortSignal): Promise<void> {
  const queue: Array<{ part: ImagePart; url: string; where: string }> = [];
  const visit = (parts: ContentPart[] | Array<ContentPart>, where: string) => {
    parts.forEach((part, index) => {
      if (part.type === 'image' && part.source.kind === 'url')
        queue.push({ part, url: part.source.url, where: `${where}[${index}]` });
      else if (part.type === 'tool_result') visit(part.content, `${where}[${index}].content`);
    });
  };
  request.messages.forEach((message, index) => {
    visit(message.content, `messages[${index}].content`);
  });
  if (queue.length === 0) return;
  const budget = { bytes: MAX_REQUEST_IMAGE_BYTES };
  const failed = new AbortController(); // the first failure stops the other fetches
  const either = AbortSignal.any([signal, failed.signal]);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const inline = await fetchImage(next.url, either, next.where, budget);
      next.part.source = inline;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL_IMAGE_FETCHES, queue.length) }, worker));
  } catch (error) {
    failed.abort();
    throw error;
  }
}

async function fetchImage(
  url: string,
  signal: AbortSignal,
  where: string,
  budget: { bytes: number },
): Promise<{ kind: 'base64'; mediaType: string; data: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FormatError(`${where}: image URL is not valid`, 'image_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FormatError(`${where}: only http(s) and data: image URLs are supported`, 'image_url');
  }
  if (budget.bytes <= 0) throw new FormatError(`${where}: ${tooMuch()}`, 'image_url');
  const timeout = AbortSignal.timeout(15_000);
  let response: UpstreamAnswer;
  try {
    response = await callUpstream({
      url: parsed,
      method: 'GET',
      headers: { accept: 'image/*' },
      signal: AbortSignal.any([signal, timeout]),
    });
  } catch (error) {
    throw new FormatError(
      `${where}: could not fetch the image (${describeNetworkError(error)})`,
      'image_url',
    );
  }
  if (response.statusCode >= 400) {
    await response.body.dump();
    throw new FormatError(`${where}: fetching the image answered HTTP ${response.statusCode}`, 'image_url');
  }
  let image: Buffer;
  const cap = Math.min(MAX_IMAGE_BYTES, budget.bytes);
  try {
    image = await response.body.whole(cap);
  } catch (error) {
    const why =
      error instanceof AnswerTooLarge
        ? cap < MAX_IMAGE_BYTES
          ? tooMuch()
          : `the image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`
        : `could not fetch the image (${describeNetworkError(error)})`;
    throw new FormatError(`${where}: ${why}`, 'image_url');
  }
  budget.bytes -= image.length;
  // Fetches already in flight were capped by what was left when they started: the total is checked here.
  if (budget.bytes < 0) throw new FormatError(`${where}: ${tooMuch()}`, 'image_url');
  const header = response.headers['content-type'];
  const mediaType =
    (typeof header === 'string' ? header.split(';')[0]?.trim() : undefined) || guessMediaType(parsed);
  return { kind: 'base64', mediaType, data: image.toString('base64') };
}

function tooMuch(): string {
  return `the request's images add up to more than ${MAX_REQUEST_IMAGE_BYTES / 1024 / 1024} MB`;
}

function guessMediaType(url: URL): string {
  const ext = url.pathname.split('.').pop()?.toLowerCase();
  if (ext === 'png') return 'image/png';
  if (ext === 'gif') return 'image/gif';
  if (ext === 'webp') return 'image/webp';
  return 'image/jpeg';
}
