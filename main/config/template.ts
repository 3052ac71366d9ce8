/** The config written on first run: everything commented, no providers, safe defaults. */
export const CONFIG_TEMPLATE = `# CLIProxy++ configuration. Edits take effect within two seconds; an invalid file never
# replaces the last good one (the error is shown with its line and column).

host: 127.0.0.1            # loopback only; another host requires api_keys
port: 8317

# Keys your tools must send (Authorization: Bearer, x-api-key, x-goog-api-key or ?key=).
# Empty = no client auth, which is only allowed on a loopback host.
api_keys: []

auth_dir: ~/.cliproxy/auths   # signed-in accounts, one file each
request_retry: 1              # extra attempts on a retryable upstream error
routing_strategy: round_robin # or fill_first
max_body_mb: 20               # larger request bodies are refused with 413

# Providers route models to accounts you own. Example:
#
# providers:
#   - name: my-openai
#     type: openai              # openai | openai_compatible | claude | gemini | gemini_cli | codex | copilot | kiro
#     api_key: sk-...
#     endpoint: https://api.openai.com
#     models:
#       - name: gpt-4o-mini
#         alias: mini           # optional name your tools use
providers: []
`;
