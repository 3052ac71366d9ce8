import { type FormEvent, type ReactNode, useId, useMemo, useState } from 'react';
import { type NewProvider, newProviderSchema } from '../../../../shared/contract';
import { ErrorText } from '../../components/ErrorText';
import { useBridge } from '../../store/context';
import { parseModelLines } from './parse-models';

const TYPES: Array<{ value: NewProvider['type']; label: string; endpoint?: string }> = [
  { value: 'openai_compatible', label: 'OpenAI-compatible aggregator (OpenRouter, Together, Groq…)' },
  { value: 'openai', label: 'OpenAI API key' },
  { value: 'claude', label: 'Anthropic API key' },
  { value: 'gemini', label: 'Gemini API key' },
];

interface Draft {
  type: NewProvider['type'];
  name: string;
  api_key: string;
  endpoint: string;
  prefix: string;
  models: string;
}

type FieldErrors = Partial<Record<keyof Draft, string>>;

/** What is wrong with each field, by the contract's own schema (plus the name being taken). */
export function validateDraft(
  draft: Draft,
  takenNames: string[],
): { value?: NewProvider; errors: FieldErrors } {
  const candidate = {
    name: draft.name,
    type: draft.type,
    api_key: draft.api_key,
    ...(draft.endpoint.trim() ? { endpoint: draft.endpoint.trim() } : {}),
    ...(draft.prefix.trim() ? { prefix: draft.prefix.trim() } : {}),
    models: parseModelLines(draft.models),
  };
  const errors: FieldErrors = {};
  const parsed = newProviderSchema.safeParse(candidate);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'name') as keyof Draft;
      errors[field] ??= issue.message;
    }
  if (takenNames.includes(draft.name.trim())) errors.name = 'a provider with this name already exists';
  return parsed.success && Object.keys(errors).length === 0 ? { value: parsed.data, errors } : { errors };
}

function Field({
  id,
  label,
  hint,
  error,
  show,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  show: boolean;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {show && error ? (
        <span className="error-text" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function AddProviderForm({
  takenNames,
  onDone,
  onCancel,
}: {
  takenNames: string[];
  onDone(name: string): void;
  onCancel(): void;
}) {
  const bridge = useBridge();
  const base = useId();
  const [draft, setDraft] = useState<Draft>({
    type: 'openai_compatible',
    name: '',
    api_key: '',
    endpoint: '',
    prefix: '',
    models: '',
  });
  const [touched, setTouched] = useState<Partial<Record<keyof Draft, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const { value, errors } = useMemo(() => validateDraft(draft, takenNames), [draft, takenNames]);

  const id = (field: keyof Draft) => `${base}-${field}`;
  const show = (field: keyof Draft) => submitted || Boolean(touched[field]);
  const inputProps = (field: keyof Draft) => ({
    id: id(field),
    value: draft[field],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value })),
    onBlur: () => setTouched((t) => ({ ...t, [field]: true })),
    'aria-invalid': show(field) && errors[field] ? true : undefined,
    'aria-describedby': show(field) && errors[field] ? `${id(field)}-error` : undefined,
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerError(null);
    if (!value) return;
    setBusy(true);
    try {
      await bridge.addProvider(value);
      onDone(value.name);
    } catch (error) {
      setServerError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const aggregator = draft.type === 'openai_compatible';
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${base}-title`} noValidate>
      <h2 id={`${base}-title`}>Add a provider</h2>
      <div className="form-grid">
        <Field id={id('type')} label="Kind" error={errors.type} show={show('type')}>
          <select
            id={id('type')}
            value={draft.type}
            onChange={(e) => setDraft((d) => ({ ...d, type: e.target.value as NewProvider['type'] }))}
          >
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={id('name')}
          label="Name"
          hint="Shown in logs and the UI, e.g. openrouter"
          error={errors.name}
          show={show('name')}
        >
          <input {...inputProps('name')} autoComplete="off" spellCheck={false} />
        </Field>
        <Field id={id('api_key')} label="API key" error={errors.api_key} show={show('api_key')}>
          <input {...inputProps('api_key')} type="password" autoComplete="off" spellCheck={false} />
        </Field>
        <Field
          id={id('endpoint')}
          label={aggregator ? 'Endpoint URL' : 'Endpoint URL (optional)'}
          hint={aggregator ? 'e.g. https://openrouter.ai/api/v1' : 'Leave empty for the official API'}
          error={errors.endpoint}
          show={show('endpoint')}
        >
          <input {...inputProps('endpoint')} type="url" inputMode="url" spellCheck={false} />
        </Field>
        <Field
          id={id('prefix')}
          label="Model prefix (optional)"
          hint="or/ serves or/<model> from this provider"
          error={errors.prefix}
          show={show('prefix')}
        >
          <input {...inputProps('prefix')} spellCheck={false} />
        </Field>
      </div>
      <Field
        id={id('models')}
        label="Models"
        hint="One per line; name as alias to give it a short name (e.g. meta-llama/llama-3-70b as llama)"
        error={errors.models}
        show={show('models')}
      >
        <textarea {...inputProps('models')} rows={4} spellCheck={false} />
      </Field>
      <ErrorText error={serverError} />
      <div className="row" style={{ marginTop: 12 }}>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add provider'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
