-- The first schema: sandboxes, the User Name index, the journal and the students seen.
-- Portable between SQLite and PostgreSQL: TEXT and BIGINT only; instants are Unix
-- nanoseconds, the signing key is hex, the state and journal entries are JSON text.

CREATE TABLE sandboxes (
    id         TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,
    sign_key   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used  BIGINT NOT NULL,
    -- version grows by one with every change of state.
    version    BIGINT NOT NULL,
    state      TEXT NOT NULL
);

-- counters is a row per sandbox apart from its record, so that numbering journal entries
-- never waits for a change of state. journal_next is the next sequence number to issue;
-- seen counts the rows of seen.
CREATE TABLE counters (
    sandbox      TEXT PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
    journal_next BIGINT NOT NULL,
    seen         BIGINT NOT NULL
);

CREATE TABLE usernames (
    username TEXT PRIMARY KEY,
    sandbox  TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    holder   TEXT NOT NULL
);
CREATE INDEX usernames_sandbox ON usernames (sandbox);

-- journal and seen reference counters, the row their writers lock, so that a delete
-- waits for them instead of deadlocking with them.
CREATE TABLE journal (
    sandbox TEXT NOT NULL REFERENCES counters (sandbox) ON DELETE CASCADE,
    seq     BIGINT NOT NULL,
    entry   TEXT NOT NULL,
    PRIMARY KEY (sandbox, seq)
);

CREATE TABLE seen (
    sandbox TEXT NOT NULL REFERENCES counters (sandbox) ON DELETE CASCADE,
    ssid    TEXT NOT NULL,
    PRIMARY KEY (sandbox, ssid)
);
