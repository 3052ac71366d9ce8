import type { Request, Response } from 'express';
import type { ProviderConfig } from '../../config/schema';
import type { EngineState } from '../state';

/** `GET /v1/models`: OpenAI's list shape, or Anthropic's when the client sends anthropic-version. */
export type Servable = (provider: ProviderConfig) => boolean;
/** Whether the client's key may use a model (its `models` allow-list); all when absent. */
export type Visible = (model: string) => boolean;
const everything: Visible = () => true;

export function listModels(
  req: Request,
  res: Response,
  state: EngineState,
  servable?: Servable,
  visible: Visible = everything,
): void {
  const models = state.registry.list(servable).filter((m) => visible(m.id));
  if (req.headers['anthropic-version']) {
    const createdAt = new Date(state.loadedAt).toISOString();
    const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: createdAt }));
    res.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    return;
  }
  const created = Math.floor(state.loadedAt / 1000);
  res.json({
    object: 'list',
    data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })),
  });
}

function geminiModel(id: string) {
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: '001',
    displayName: id,
    description: `Served by CLIProxy++`,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

/** `GET /v1beta/models`: Gemini's list shape. */
export function listGeminiModels(
  _req: Request,
  res: Response,
  state: EngineState,
  servable?: Servable,
  visible: Visible = everything,
): void {
  res.json({
    models: state.registry
      .list(servable)
      .filter((m) => visible(m.id))
      .map((m) => geminiModel(m.id)),
  });
}

export function getGeminiModel(model: string, res: Response, state: EngineState): boolean {
  if (state.registry.resolve(model).length === 0) return false;
  res.json(geminiModel(model));
  return true;
}

export function getOpenAIModel(model: string, res: Response, state: EngineState): boolean {
  const route = state.registry.resolve(model)[0];
  if (!route) return false;
  res.json({
    id: model,
    object: 'model',
    created: Math.floor(state.loadedAt / 1000),
    owned_by: route.provider.name,
  });
  return true;
}
