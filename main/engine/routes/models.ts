import type { Request, Response } from 'express';
import type { EngineState } from '../state';

export function listModels(_req: Request, res: Response, state: EngineState): void {
  const created = Math.floor(state.loadedAt / 1000);
  res.json({
    object: 'list',
    data: state.registry
      .list()
      .map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })),
  });
}
