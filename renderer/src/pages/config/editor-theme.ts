import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** Colours from the page's CSS variables, so one editor theme serves light and dark with enough contrast. */
export function editorTheme(dark: boolean) {
  return [
    EditorView.theme(
      {
        '&': { backgroundColor: 'var(--surface)', color: 'var(--text)', fontSize: '13px' },
        '.cm-content': { caretColor: 'var(--text)' },
        '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', border: 'none' },
        '.cm-activeLine': { backgroundColor: 'transparent' },
        '.cm-activeLineGutter': { backgroundColor: 'var(--border)', color: 'var(--text)' },
        '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
          backgroundColor: dark ? '#1e3a8a' : '#bfdbfe',
        },
        '.cm-tooltip': {
          backgroundColor: 'var(--surface)',
          color: 'var(--text)',
          border: '1px solid var(--border)',
        },
      },
      { dark },
    ),
    syntaxHighlighting(
      HighlightStyle.define([
        { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: dark ? '#93c5fd' : '#1e40af' },
        { tag: [tags.string, tags.special(tags.string)], color: dark ? '#86efac' : '#166534' },
        { tag: [tags.number, tags.bool, tags.null, tags.atom], color: dark ? '#fdba74' : '#9a3412' },
        { tag: [tags.comment, tags.lineComment], color: dark ? '#a3abb8' : '#4b5563', fontStyle: 'italic' },
        { tag: [tags.punctuation, tags.separator, tags.meta], color: dark ? '#cbd5e1' : '#374151' },
      ]),
    ),
  ];
}
