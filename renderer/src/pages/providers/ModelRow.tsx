import { useEffect, useState } from 'react';
import type { ModelEntry } from '../../../../shared/contract';
import { Toggle } from '../../components/Toggle';
import { useBridge } from '../../store/context';

/** One configured model: on/off and its alias, each written to config.yaml on change. */
export function ModelRow({
  provider,
  model,
  onError,
}: {
  provider: string;
  model: ModelEntry;
  onError(message: string): void;
}) {
  const bridge = useBridge();
  const [alias, setAlias] = useState(model.alias ?? '');
  const [pending, setPending] = useState<boolean | null>(null);
  const enabled = pending ?? model.enabled;
  useEffect(() => {
    if (pending !== null && model.enabled === pending) setPending(null);
  }, [pending, model.enabled]);
  const run = async (change: { enabled?: boolean; alias?: string | null }) => {
    try {
      await bridge.setModel({ provider, model: model.name, ...change });
    } catch (error) {
      onError((error as Error).message);
      setPending(null);
    }
  };
  const saveAlias = () => {
    const next = alias.trim();
    if (next === (model.alias ?? '')) return;
    void run({ alias: next === '' ? null : next });
  };
  const aliasId = `alias-${provider}-${model.name}`;
  return (
    <tr>
      <td>
        <Toggle
          checked={enabled}
          label={`Serve ${model.name} from ${provider}`}
          onChange={async (next) => {
            setPending(next);
            await run({ enabled: next });
          }}
        />
      </td>
      <td>
        <code>{model.name}</code>
      </td>
      <td>
        <label htmlFor={aliasId} className="visually-hidden">
          Alias for {model.name}
        </label>
        <input
          id={aliasId}
          value={alias}
          placeholder="no alias"
          onChange={(e) => setAlias(e.target.value)}
          onBlur={saveAlias}
          onKeyDown={(e) => {
            if (e.key === 'Enter') saveAlias();
          }}
          spellCheck={false}
        />
      </td>
    </tr>
  );
}
