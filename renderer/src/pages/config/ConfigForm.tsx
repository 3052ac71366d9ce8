import { type FormEvent, useState } from 'react';
import { type ConfigForm as FormValues, readForm } from './form-edit';

/** Port, host, client keys and routing strategy, for those who would rather not edit YAML. */
export function ConfigForm({
  text,
  onReview,
}: {
  text: string;
  onReview(values: Omit<FormValues, 'structuredKeys'>): void;
}) {
  const initial = readForm(text);
  const [values, setValues] = useState(() => ('error' in initial ? null : initial));
  if ('error' in initial || !values)
    return <p className="error-text">{'error' in initial ? initial.error : ''}</p>;
  const portNumber = Number(values.port);
  const portError =
    Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65_535
      ? undefined
      : 'a port is a number from 0 to 65535';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!portError) onReview(values);
  };
  return (
    <form onSubmit={submit} aria-label="Basic settings" noValidate>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="cfg-host">Host</label>
          <input
            id="cfg-host"
            value={values.host}
            onChange={(e) => setValues({ ...values, host: e.target.value })}
            spellCheck={false}
          />
          <span className="hint">127.0.0.1 keeps the proxy on this machine</span>
        </div>
        <div className="field">
          <label htmlFor="cfg-port">Port</label>
          <input
            id="cfg-port"
            inputMode="numeric"
            value={values.port}
            onChange={(e) => setValues({ ...values, port: e.target.value })}
            aria-invalid={portError ? true : undefined}
            aria-describedby={portError ? 'cfg-port-error' : undefined}
          />
          {portError ? (
            <span className="error-text" id="cfg-port-error">
              {portError}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="cfg-strategy">Routing strategy</label>
          <select
            id="cfg-strategy"
            value={values.routing_strategy}
            onChange={(e) =>
              setValues({ ...values, routing_strategy: e.target.value as FormValues['routing_strategy'] })
            }
          >
            <option value="round_robin">Round robin (spread over accounts)</option>
            <option value="fill_first">Fill first (use one account until it cools down)</option>
          </select>
        </div>
      </div>
      <div className="field" style={{ marginTop: 12 }}>
        <label htmlFor="cfg-keys">Client API keys</label>
        <textarea
          id="cfg-keys"
          rows={3}
          value={values.api_keys.join('\n')}
          onChange={(e) => setValues({ ...values, api_keys: e.target.value.split('\n') })}
          spellCheck={false}
        />
        <span className="hint">
          One per line. Empty: no key needed (loopback only).
          {values.structuredKeys > 0
            ? ` ${values.structuredKeys} key(s) with names or limits are kept as they are; edit those in YAML.`
            : ''}
        </span>
      </div>
      <button type="submit" className="button primary" style={{ marginTop: 12 }}>
        Review changes
      </button>
    </form>
  );
}
