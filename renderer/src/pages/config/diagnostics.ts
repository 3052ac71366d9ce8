import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { ConfigIssue } from '../../../../shared/status';

/** Engine issues (1-based line:col) → editor diagnostics, clamped to the document. */
export function issuesToDiagnostics(doc: Text, issues: ConfigIssue[]): Diagnostic[] {
  return issues.map((issue) => {
    const line = doc.line(Math.min(Math.max(issue.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(issue.col - 1, 0), line.to);
    const to = from < line.to ? line.to : Math.min(from + 1, doc.length);
    return {
      from,
      to: Math.max(to, from),
      severity: 'error',
      message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
      source: 'config',
    };
  });
}
