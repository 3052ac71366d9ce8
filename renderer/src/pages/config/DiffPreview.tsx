import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { editorTheme } from './editor-theme';

/** Side by side: the file on disk (left) and what would be saved (right), both read-only. */
export function DiffPreview({ before, after, dark }: { before: string; after: string; dark: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const readOnly = [
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      yaml(),
      editorTheme(dark),
    ];
    const view = new MergeView({
      a: {
        doc: before,
        extensions: [
          ...readOnly,
          EditorView.contentAttributes.of({ 'aria-label': 'config.yaml on disk', tabindex: '0' }),
        ],
      },
      b: {
        doc: after,
        extensions: [
          ...readOnly,
          EditorView.contentAttributes.of({ 'aria-label': 'config.yaml to save', tabindex: '0' }),
        ],
      },
      parent: host.current,
      gutter: true,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return () => view.destroy();
  }, [before, after, dark]);
  return <div ref={host} className="editor diff" />;
}
