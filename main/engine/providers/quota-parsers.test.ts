import { describe, expect, it } from 'vitest';
import { parseClaudeUsage } from './claude';
import { parseCodexUsage } from './codex';
import { parseCopilotQuota } from './copilot';
import { parseKiroUsage } from './kiro';

/** Usage-endpoint bodies as the services return them (shapes from public clients of these APIs). */
describe('subscription usage parsers', () => {
  it('Claude: 5-hour and weekly utilization with ISO resets', () => {
    expect(
      parseClaudeUsage({
        five_hour: { utilization: 61, resets_at: '2026-01-28T07:59:59.571404+00:00' },
        seven_day: { utilization: 22, resets_at: '2026-02-03T09:59:59+00:00' },
        seven_day_opus: null,
        extra_usage: { is_enabled: false, utilization: null },
      }),
    ).toEqual([
      { name: '5h', used_percent: 61, resets_at: Date.parse('2026-01-28T07:59:59.571404+00:00') },
      { name: '7d', used_percent: 22, resets_at: Date.parse('2026-02-03T09:59:59+00:00') },
    ]);
  });

  it('Codex: primary and secondary windows', () => {
    expect(
      parseCodexUsage(
        {
          plan_type: 'plus',
          rate_limit: {
            primary_window: { used_percent: 12, limit_window_seconds: 18_000, reset_after_seconds: 600 },
            secondary_window: {
              used_percent: 40,
              limit_window_seconds: 604_800,
              reset_after_seconds: 86_400,
            },
          },
        },
        1_000,
      ),
    ).toEqual([
      { name: '5h', used_percent: 12, resets_at: 601_000 },
      { name: '7d', used_percent: 40, resets_at: 86_401_000 },
    ]);
  });

  it('Copilot: limited snapshots only, with the monthly reset', () => {
    expect(
      parseCopilotQuota({
        quota_reset_date: '2026-12-01',
        quota_snapshots: {
          chat: { unlimited: true, percent_remaining: 100 },
          premium_interactions: { entitlement: 300, remaining: 30, percent_remaining: 10, unlimited: false },
        },
      }),
    ).toEqual([
      {
        name: 'premium_interactions',
        limit: 300,
        remaining: 30,
        used_percent: 90,
        resets_at: Date.parse('2026-12-01'),
      },
    ]);
  });

  it('Kiro: agentic requests with a reset in seconds', () => {
    expect(
      parseKiroUsage({
        daysUntilReset: 25,
        nextDateReset: 1_767_225_600,
        usageBreakdownList: [{ resourceType: 'AGENTIC_REQUEST', currentUsage: 12, usageLimit: 50 }],
      }),
    ).toEqual([
      { name: 'agentic_request', limit: 50, remaining: 38, used_percent: 24, resets_at: 1_767_225_600_000 },
    ]);
  });

  it('ignores bodies that are not usage', () => {
    for (const parse of [parseClaudeUsage, parseCopilotQuota, parseKiroUsage])
      expect(parse({ error: 'nope' })).toEqual([]);
    expect(parseCodexUsage(null)).toEqual([]);
  });
});
