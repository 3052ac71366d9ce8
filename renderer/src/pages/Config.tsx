import { useCallback, useEffect, useState } from 'react';
import type { ConfigIssue } from '../../../shared/status';
import { ErrorText } from '../components/ErrorText';
import { useApp, useBridge } from '../store/context';
import type { ResolvedTheme } from '../theme';
import { ConfigForm } from './config/ConfigForm';
import { DiffPreview } from './config/DiffPreview';
import { applyForm } from './config/form-edit';
import { YamlEditor } from './config/YamlEditor';

type Mode = 'yaml' | 'form' | 'review';

export default function Config({ theme }: { theme: ResolvedTheme }) {
  const bridge = useBridge();
  const loadedAt = useApp((s) => s.status?.loadedAt);
  const configPath = useApp((s) => s.app?.paths.config);
  const [original, setOriginal] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [editorKey, setEditorKey] = useState(0);
  const [issues, setIssues] = useState<ConfigIssue[]>([]);
  const [mode, setMode] = useState<Mode>('yaml');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = original !== null && text !== original;

  const load = useCallback(async () => {
    try {
      const { text: onDisk } = await bridge.getConfigText({});
      setOriginal(onDisk);
      setText(onDisk);
      setEditorKey((k) => k + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [bridge]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the engine applied a new file, unless the user is editing
  useEffect(() => {
    if (!dirty) void load();
  }, [loadedAt]);

  const replaceText = (next: string) => {
    setText(next);
    setEditorKey((k) => k + 1);
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await bridge.saveConfigText({ text });
      if (result.ok) {
        setOriginal(text);
        setIssues([]);
        setMessage('Saved. The engine applies it within a moment; requests in flight are not interrupted.');
        setMode('yaml');
      } else {
        setIssues(result.issues);
        setMessage(null);
        setError(
          `Not saved: the config has ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}.`,
        );
        setMode('yaml');
        setEditorKey((k) => k + 1);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const tab = (id: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      aria-selected={mode === id}
      aria-controls="config-panel"
      onClick={() => setMode(id)}
      disabled={id === 'review' && !dirty}
    >
      {label}
    </button>
  );

  return (
    <div className="page">
      <div className="row spread">
        <h1>Config</h1>
        <span className="muted small">
          <code>{configPath}</code>
        </span>
      </div>
      <p role="status" className="muted">
        {message}
      </p>
      <ErrorText error={error} />
      <div className="tabs" role="tablist" aria-label="Config views">
        {tab('yaml', 'YAML')}
        {tab('form', 'Form')}
        {tab('review', 'Review changes')}
      </div>
      <div id="config-panel" role="tabpanel" aria-labelledby={`tab-${mode}`}>
        {original === null ? (
          <p className="muted">Loading config.yaml…</p>
        ) : mode === 'yaml' ? (
          <YamlEditor
            key={`${editorKey}:${theme}`}
            initial={text}
            dark={theme === 'dark'}
            onChange={(next) => {
              setText(next);
              setMessage(null);
            }}
            onIssues={setIssues}
          />
        ) : mode === 'form' ? (
          <ConfigForm
            key={editorKey}
            text={text}
            onReview={(values) => {
              try {
                replaceText(applyForm(text, values));
                setMode('review');
              } catch (e) {
                setError((e as Error).message);
              }
            }}
          />
        ) : (
          <DiffPreview before={original} after={text} dark={theme === 'dark'} />
        )}
      </div>
      {issues.length > 0 ? (
        <section className="card warn" aria-labelledby="problems-title">
          <h2 id="problems-title">Problems</h2>
          <ul>
            {issues.map((i) => (
              <li key={`${i.line}:${i.col}:${i.message}`}>
                Line {i.line}, column {i.col}: {i.path ? `${i.path}: ` : ''}
                {i.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="row">
        {mode === 'review' ? (
          <button type="button" className="button primary" onClick={save} disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save and apply'}
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => setMode('review')}
            disabled={!dirty}
          >
            Review and save
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={!dirty}
          onClick={() => {
            if (original !== null) replaceText(original);
            setIssues([]);
            setError(null);
            setMode('yaml');
          }}
        >
          Revert
        </button>
        {dirty ? <span className="muted small">Unsaved changes</span> : null}
      </div>
    </div>
  );
}
