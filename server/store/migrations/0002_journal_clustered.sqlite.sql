-- SQLite: the journal kept in its primary key's b-tree alone (WITHOUT ROWID). A table with a
-- rowid writes each entry twice, into the table and into the index of (sandbox, seq); this way
-- a commit of journal entries writes one page fewer, which is most of what a vendor request
-- costs on an SQLite state file.
CREATE TABLE journal_clustered (
    sandbox TEXT NOT NULL REFERENCES counters (sandbox) ON DELETE CASCADE,
    seq     BIGINT NOT NULL,
    entry   TEXT NOT NULL,
    PRIMARY KEY (sandbox, seq)
) WITHOUT ROWID;
INSERT INTO journal_clustered (sandbox, seq, entry) SELECT sandbox, seq, entry FROM journal;
DROP TABLE journal;
ALTER TABLE journal_clustered RENAME TO journal;
