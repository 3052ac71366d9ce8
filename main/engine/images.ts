import type { ContentPart, IRRequest } from './formats/ir';
import { FormatError } from './formats/ir';
import { AnswerTooLarge, type UpstreamAnswer } from './upstream/dispatched-answer';
import { callUpstream, describeNetworkError } from './upstream/http';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/**
 * Gemini takes images only as inline bytes, so http(s) image URLs are fetched here (size-capped)
 * before the request is encoded. Fetches run in parallel; the first failure fails the request.
 */
export async function inlineImageUrls(request: IRRequest, signal: AbortSignal): Promise<void> {
  const pending: Array<Promise<void>> = [];
  const visit = (parts: ContentPart[] | Array<ContentPart>, where: string) => {
    parts.forEach((part, index) => {
      if (part.type === 'image' && part.source.kind === 'url') {
        const source = part.source;
        pending.push(
          fetchImage(source.url, signal, `${where}[${index}]`).then((inline) => {
            part.source = inline;
          }),
        );
      } else if (part.type === 'tool_result') visit(part.content, `${where}[${index}].content`);
    });
  };
  request.messages.forEach((message, index) => {
    visit(message.content, `messages[${index}].content`);
  });
  await Promise.all(pending);
}

async function fetchImage(
  url: string,
  signal: AbortSignal,
  where: string,
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
  try {
    image = await response.body.whole(MAX_IMAGE_BYTES);
  } catch (error) {
    const why =
      error instanceof AnswerTooLarge
        ? `the image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`
        : `could not fetch the image (${describeNetworkError(error)})`;
    throw new FormatError(`${where}: ${why}`, 'image_url');
  }
  const header = response.headers['content-type'];
  const mediaType =
    (typeof header === 'string' ? header.split(';')[0]?.trim() : undefined) || guessMediaType(parsed);
  return { kind: 'base64', mediaType, data: image.toString('base64') };
}

function guessMediaType(url: URL): string {
  const ext = url.pathname.split('.').pop()?.toLowerCase();
  if (ext === 'png') return 'image/png';
  if (ext === 'gif') return 'image/gif';
  if (ext === 'webp') return 'image/webp';
  return 'image/jpeg';
}
