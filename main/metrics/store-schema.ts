// The usage log's schema, one migration per step (PRAGMA user_version counts how many ran).
export const MIGRATIONS = [
  `CREATE TABLE requests (
     id TEXT PRIMARY KEY,
     started_at INTEGER NOT NULL,
     client_key TEXT,
     inbound_format TEXT NOT NULL,
     model TEXT NOT NULL,
     resolved_model TEXT,
     provider TEXT,
     account TEXT,
     attempts TEXT NOT NULL,
     status INTEGER NOT NULL,
     error TEXT,
     stream INTEGER NOT NULL,
     ttft_ms INTEGER,
     duration_ms INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cached_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     output_tokens_per_second REAL,
     cost_usd REAL NOT NULL,
     request_bytes INTEGER NOT NULL,
     response_bytes INTEGER NOT NULL
   );
   CREATE INDEX requests_time ON requests(started_at);
   CREATE INDEX requests_model ON requests(model, started_at);
   CREATE INDEX requests_provider ON requests(provider, started_at);
   CREATE INDEX requests_account ON requests(account, started_at);
   CREATE INDEX requests_key ON requests(client_key, started_at);`,
  'ALTER TABLE requests ADD COLUMN subscription INTEGER NOT NULL DEFAULT 0;',
  // The Requests page filters by model or provider newest first (ORDER BY rowid): an index on the
  // column alone keeps its entries in rowid order, so the page is a walk back along it; with
  // started_at in the key SQLite sorted every matching row first (129 ms for a common model in 200k
  // rows, 0.2 ms now). No query filters by account or client key: those two indexes only cost
  // every insert.
  `DROP INDEX IF EXISTS requests_account;
   DROP INDEX IF EXISTS requests_key;
   DROP INDEX IF EXISTS requests_model;
   DROP INDEX IF EXISTS requests_provider;
   CREATE INDEX requests_model ON requests(model);
   CREATE INDEX requests_provider ON requests(provider);`,
  // log_bodies: kept apart from the records, so the log's own pages stay small when bodies are off.
  `CREATE TABLE request_bodies (
     id TEXT PRIMARY KEY,
     request TEXT,
     response TEXT,
     request_truncated INTEGER NOT NULL,
     response_truncated INTEGER NOT NULL
   );`,
];
