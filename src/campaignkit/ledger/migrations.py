"""The ledger's schema, as the migrations that build it."""

from __future__ import annotations

# Each migration takes the schema from version N to N+1. Never edit one that has shipped:
# add the next.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        unit TEXT NOT NULL,
        requirement TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        problems TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '{}',
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX submissions_by_requirement ON submissions (campaign, requirement, unit);
    CREATE TABLE events (
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (campaign, key)
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        to_unit TEXT NOT NULL,
        about TEXT,
        requirement TEXT,
        channel TEXT,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        UNIQUE (campaign, key)
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        channel TEXT NOT NULL,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT
    );
    """,
    # 2: retries with backoff, notifications left in flight by a tick that died, and the
    # campaign file each tick followed.
    """
    ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
    CREATE INDEX outbox_by_state ON outbox (campaign, state, id);
    CREATE TABLE sources (
        campaign TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        seen_at TEXT NOT NULL
    );
    """,
    # 3: the liaison officer a unit names when it hands something in.
    """
    ALTER TABLE submissions ADD COLUMN contact TEXT;
    """,
    # 4: no query reads submissions by requirement, and keeping that index up to date was
    # half the cost of recording a national rehearsal's 80,000 submissions.
    """
    DROP INDEX submissions_by_requirement;
    """,
    # 5: truthful delivery. A notification waits for its send time (`next_attempt_at`, in
    # UTC, always set), may expire or be settled by a hand-in (skipped as stale, with the
    # reason), keeps the campaign's sending hours, records the channels it went out on,
    # and is claimed through an index instead of a scan of the whole outbox. A rehearsal's
    # ledger says so, and ids dropped from the campaign on purpose are retired.
    """
    ALTER TABLE outbox ADD COLUMN expires_at TEXT;
    ALTER TABLE outbox ADD COLUMN chases INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN as_of TEXT;
    ALTER TABLE outbox ADD COLUMN keeps_hours INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN reason TEXT;
    ALTER TABLE outbox ADD COLUMN channels TEXT;
    UPDATE outbox SET chases = 1, keeps_hours = 1
        WHERE kind IN ('reminder', 'overdue', 'escalation');
    UPDATE outbox SET next_attempt_at =
        strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(next_attempt_at, at));
    DROP INDEX outbox_by_state;
    CREATE INDEX outbox_due ON outbox (campaign, state, next_attempt_at, id);
    CREATE INDEX deliveries_by_outbox ON deliveries (outbox_id);
    CREATE TABLE rehearsals (
        campaign TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL
    );
    CREATE TABLE retired (
        campaign TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        retired_at TEXT NOT NULL,
        PRIMARY KEY (campaign, kind, id)
    );
    """,
    # The office's review of hand-ins, the units' signatures for their notices, and the
    # audit log of what staff did. Found by its content in tests: another migration may
    # come before it.
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        submission INTEGER NOT NULL REFERENCES submissions (id),
        state TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        resubmit_by TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX reviews_by_campaign ON reviews (campaign, submission, id);
    CREATE TABLE acks (
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        unit TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (campaign, key, unit)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_by_campaign ON audit (campaign, id);
    """,
    # The hand-in portal: the office's staff (a password hash, never a password), and every
    # token that lets someone in, kept as its digest. A unit's token belongs to a campaign
    # and expires; a staff token has no campaign. Revoked tokens are kept, revoked.
    """
    CREATE TABLE staff (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE tokens (
        digest TEXT PRIMARY KEY,
        campaign TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('unit', 'staff')),
        subject TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT
    );
    CREATE INDEX tokens_by_subject ON tokens (kind, subject, campaign);
    """,
    # Escalation ladders: an escalation's step and what the step is called.
    """
    ALTER TABLE outbox ADD COLUMN level INTEGER;
    ALTER TABLE outbox ADD COLUMN label TEXT;
    """,
    # Figures in a hand-in: each field's value as the unit wrote it, a JSON object. A hand-in
    # recorded before has none (NULL).
    """
    ALTER TABLE submissions ADD COLUMN figures TEXT;
    """,
    # Extensions (延期) and exemptions (免报): one unit's deadline on one requirement moved,
    # or the unit taken out of it, with who and why; revoked ones are kept, revoked. Found
    # by its content in tests: another migration may come before it.
    """
    CREATE TABLE extensions (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        unit TEXT NOT NULL,
        requirement TEXT NOT NULL,
        until TEXT NOT NULL,
        reason TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT
    );
    CREATE INDEX extensions_by_campaign ON extensions (campaign, unit, requirement, id);
    CREATE TABLE exemptions (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        unit TEXT NOT NULL,
        requirement TEXT NOT NULL,
        reason TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT
    );
    CREATE INDEX exemptions_by_campaign ON exemptions (campaign, unit, requirement, id);
    """,
    # The portal's sign-in rate limit, shared by every worker: each failed sign-in by key
    # (``name:li.wei``, ``address:10.0.0.7``), and each key locked out until when (UTC
    # text, as the outbox keeps times). Found by its content in tests: another migration may
    # come before it.
    """
    CREATE TABLE sign_in_failures (
        key TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
    CREATE TABLE sign_in_lockouts (
        key TEXT PRIMARY KEY,
        until TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
