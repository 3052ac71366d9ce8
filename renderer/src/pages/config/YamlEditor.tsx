import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { ConfigIssue } from '../../../../shared/status';
import { useBridge } from '../../store/context';
import { issuesToDiagnostics } from './diagnostics';
import { editorTheme } from './editor-theme';

/**
 * The config in CodeMirror 6 with live validation: the engine's own validateConfig runs 300 ms after
 * typing stops and its issues are marked at their line. Remount (change `key`) to load other text.
 */
export function YamlEditor({
  initial,
  dark,
  onChange,
  onIssues,
}: {
  initial: string;
  dark: boolean;
  onChange(text: string): void;
  onIssues(issues: ConfigIssue[]): void;
}) {
  const bridge = useBridge();
  const host = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onChange, onIssues });
  callbacks.current = { onChange, onIssues };

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once per mount; the parent remounts for new text
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      doc: initial,
      parent: host.current,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        linter(
          async (v) => {
            const text = v.state.doc.toString();
            const result = await bridge.validateConfig({ text });
            // The document may have moved on while the engine answered; its own lint run follows.
            if (v.state.doc.toString() !== text) return [];
            callbacks.current.onIssues(result.issues);
            return issuesToDiagnostics(v.state.doc, result.issues);
          },
          { delay: 300 },
        ),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
        }),
        // tabindex: contenteditable is already a tab stop; saying so lets checkers see the scroller is reachable.
        EditorView.contentAttributes.of({ 'aria-label': 'config.yaml', tabindex: '0' }),
        editorTheme(dark),
      ],
    });
    return () => view.destroy();
  }, []);

  return <div ref={host} className="editor" />;
}
