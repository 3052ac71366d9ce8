import { describe, expect, it } from 'vitest';
import { modelMissing } from './attempt-failure';
import { apiError } from './http-errors';

describe('modelMissing', () => {
  it('recognizes each upstream’s “no such model”', () => {
    const missing = [
      apiError(404, 'The model `gpt-9` does not exist or you do not have access to it.', {
        code: 'model_not_found',
      }),
      apiError(404, 'model: claude-9'),
      apiError(
        404,
        'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.',
      ),
      apiError(404, 'No endpoints found for vendor/some-model-9.'),
    ];
    for (const error of missing) expect(modelMissing(error, 'vendor/some-model-9'), error.message).toBe(true);
  });

  it('does not take a 404 about one request for a missing model', () => {
    const aboutTheRequest = apiError(
      404,
      'No endpoints found that support tool use. Try disabling "web_search". To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing',
    );
    expect(modelMissing(aboutTheRequest, 'vendor/some-model-9')).toBe(false);
    expect(modelMissing(apiError(404, 'Not Found'), 'm')).toBe(false);
  });
});
