import { type FormEvent, useState } from 'react';
import { newSubscriptionSchema, type SubscriptionType } from '../../../../shared/contract';
import { ErrorText } from '../../components/ErrorText';
import { useBridge } from '../../store/context';

const KINDS: Array<{ type: SubscriptionType; label: string; name: string }> = [
  { type: 'claude', label: 'Claude (Pro / Max, as Claude Code signs in)', name: 'claude-max' },
  { type: 'codex', label: 'ChatGPT (Plus / Pro, as Codex CLI signs in)', name: 'chatgpt' },
  { type: 'gemini_cli', label: 'Google (as Gemini CLI signs in)', name: 'gemini-cli' },
  { type: 'copilot', label: 'GitHub Copilot (device code)', name: 'copilot' },
  { type: 'kiro', label: 'Kiro (AWS Builder ID, device code)', name: 'kiro' },
];

/** The kind's suggested name, numbered when the config already has one by that name. */
export function freeName(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

function suggestedName(kind: SubscriptionType, taken: string[]): string {
  return freeName(KINDS.find((k) => k.type === kind)?.name ?? kind, taken);
}

/** Adds a subscription provider entry to config.yaml; its accounts are then signed in above. */
export function AddSubscription({ takenNames, onAdded }: { takenNames: string[]; onAdded(): void }) {
  const bridge = useBridge();
  const [type, setType] = useState<SubscriptionType>('claude');
  const [name, setName] = useState(() => suggestedName('claude', takenNames));
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = (next: SubscriptionType) => {
    // Keep a name the user typed; replace the suggestion of the previous kind.
    if (name === suggestedName(type, takenNames) || name.trim() === '')
      setName(suggestedName(next, takenNames));
    setType(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const parsed = newSubscriptionSchema.safeParse({ name, type });
    if (!parsed.success) return setError(`Name: ${parsed.error.issues[0]?.message}`);
    if (takenNames.includes(parsed.data.name))
      return setError(`Name: a provider named ${parsed.data.name} already exists`);
    setError(null);
    setBusy(true);
    try {
      await bridge.addSubscription(parsed.data);
      setAdded(parsed.data.name);
      setName(freeName(parsed.data.name, [...takenNames, parsed.data.name]));
      onAdded();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="add-subscription">
      <h2 id="add-subscription">Add a subscription</h2>
      <p className="muted small">
        Writes an entry to config.yaml with the official sign-in of that service; sign in to it here once it
        appears.
      </p>
      <div className="row">
        <label htmlFor="subscription-type">Service</label>
        <select
          id="subscription-type"
          value={type}
          onChange={(e) => pick(e.target.value as SubscriptionType)}
          disabled={busy}
        >
          {KINDS.map((k) => (
            <option key={k.type} value={k.type}>
              {k.label}
            </option>
          ))}
        </select>
        <label htmlFor="subscription-name">Name</label>
        <input
          id="subscription-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          disabled={busy}
          autoComplete="off"
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
      <ErrorText error={error} />
      {added ? (
        <p role="status" className="muted">
          Added {added}. Sign in to it above (it appears once the config reloads).
        </p>
      ) : null}
    </form>
  );
}
