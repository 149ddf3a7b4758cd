"""A throwaway PostgreSQL cluster for the tests, and the fixtures on it (`postgres_url`,
`ledger_target`): a pytest plugin (``-p pgcluster``), so that the tests of the core and of
every plugin distribution share one server. It is started once per session, in a temporary
folder, by the binaries of the machine's PostgreSQL (`initdb`, `pg_ctl`), listening on a
Unix socket in that folder and nowhere else, and stopped at the end. As root (a container)
it runs as the user `nobody`: PostgreSQL refuses to run as root.

`CAMPAIGNKIT_TEST_POSTGRES=postgresql://…` uses a server of one's own instead (its user
must be allowed to create databases). Each test gets a database of its own, copied from a
template that holds the migrated schema (`CREATE DATABASE … TEMPLATE`): quick, and no test
sees another's rows.

Without PostgreSQL the tests that need it are skipped, saying how to run them; where
PostgreSQL is expected (`CI`, or `CAMPAIGNKIT_EXPECT_POSTGRES=1`, which `.ci/run` sets),
they fail instead.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

HOW = (
    "PostgreSQL tests need the server's binaries (Debian: `apt-get install postgresql`; "
    "initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin) and psycopg "
    "(`pip install 'campaignkit[postgresql]'`), or CAMPAIGNKIT_TEST_POSTGRES=postgresql://… "
    "naming a server where the user may create databases"
)
TEMPLATE = "campaignkit_template"


def expected() -> bool:
    """Whether PostgreSQL must be there: on CI, a test that cannot run is a failure."""
    return bool(os.environ.get("CI") or os.environ.get("CAMPAIGNKIT_EXPECT_POSTGRES"))


def unavailable(reason: str) -> None:
    if expected():
        pytest.fail(f"PostgreSQL is expected here and {reason}. {HOW}", pytrace=False)
    pytest.skip(f"{reason}. {HOW}")


def binaries() -> Path | None:
    """The folder of `initdb` and `pg_ctl`, if PostgreSQL is installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=os.path.getmtime)
    return Path(versions[-1]).parent if versions else None


class Cluster:
    """A server the tests may create databases on, at `admin` (a URL)."""

    def __init__(
        self,
        admin: str,
        folder: Path | None = None,
        bin_dir: Path | None = None,
        as_user: Sequence[str] = (),
    ):
        self.admin = admin
        self.folder = folder
        self.bin_dir = bin_dir
        self.as_user = list(as_user)  # the command that runs the server's binaries as `nobody`
        self.numbers = itertools.count(1)
        self.prefix = f"campaignkit_test_{os.getpid()}"

    @classmethod
    def start(cls) -> Cluster:
        """A new cluster in a temporary folder (`unavailable` when it cannot be)."""
        bin_dir = binaries()
        if bin_dir is None:
            unavailable("PostgreSQL is not installed")
        assert bin_dir is not None
        # Not under pytest's tmp_path: its folders are closed to other users, and the server
        # may have to run as one.
        folder = Path(tempfile.mkdtemp(prefix="campaignkit-pg-"))
        as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(folder, "nobody")
            as_user = ["runuser", "-u", "nobody", "--"]
        data = folder / "data"
        settings = (
            f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200"
        )
        commands = [
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-locale", "--no-sync"],
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", settings, "-l",
             str(folder / "server.log"), "-w", "-t", "60", "start"],
        ]  # fmt: skip
        for command in commands:
            done = subprocess.run(
                [*as_user, *command], capture_output=True, text=True, check=False, timeout=120
            )
            if done.returncode != 0:
                log = folder / "server.log"
                said = done.stderr + (log.read_text() if log.exists() else "")
                shutil.rmtree(folder, ignore_errors=True)
                unavailable(f"the test cluster did not start: {said.strip()[-800:]}")
        return cls(f"postgresql://postgres@/postgres?host={folder}", folder, bin_dir, as_user)

    def url(self, database: str) -> str:
        """The URL of `database` on this server."""
        head, _, query = self.admin.partition("?")
        base = head.rsplit("/", 1)[0]
        return f"{base}/{database}" + (f"?{query}" if query else "")

    def sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def prepare(self) -> None:
        """The template every test's database is copied from: the ledger's schema, migrated."""
        from campaignkit.ledger import PostgresLedger

        self.template = f"{self.prefix}_template"
        self.sql(f"DROP DATABASE IF EXISTS {self.template}", f"CREATE DATABASE {self.template}")
        PostgresLedger(self.url(self.template)).close()

    def database(self, empty: bool = False) -> str:
        """A new database of the test's own, with the ledger's schema unless `empty`."""
        name = f"{self.prefix}_{next(self.numbers)}"
        template = "template0" if empty else self.template
        self.sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def stop(self) -> None:
        if self.folder is None:  # a server of one's own: drop what the tests made
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as connection:
                names = connection.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (self.prefix + "%",),
                ).fetchall()
                for (name,) in names:
                    connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        assert self.bin_dir is not None
        subprocess.run(
            [*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"),
             "-m", "immediate", "-w", "stop"],
            capture_output=True, check=False, timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def wait_until_alone(url: str, besides: int = 0) -> None:
    """Wait until no session is connected to the database at `url` but `besides` others:
    the server ends a closed or killed client's session, releasing its locks, a moment after
    the client goes."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for _ in range(2000):
            others = connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
            if others is not None and others[0] <= besides:
                return
            time.sleep(0.005)
    raise AssertionError(f"sessions still open on {url}")


def cluster() -> Cluster:
    """The session's server: one of one's own, or a new throwaway cluster."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed")
    own = os.environ.get("CAMPAIGNKIT_TEST_POSTGRES")
    found = Cluster(own) if own else Cluster.start()
    try:
        found.prepare()
    except Exception:
        found.stop()
        raise
    return found


# -- the fixtures (a pytest plugin, `-p pgcluster` in pyproject.toml: the tests of the core
# and of every plugin distribution share one server) --------------------------------------
@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server for the session (tests/pgcluster.py): started on first use,
    stopped at the end; the tests that need it skip, saying how to run them, without one."""
    found = cluster()
    yield found
    found.stop()


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The URL of a database of the test's own, its ledger schema in place."""
    return postgres_cluster.database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_target(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str | Path:
    """Where a test's ledger is, on each backend: an SQLite file, then a PostgreSQL URL.
    A database has no folder beside it for the files handed in: on PostgreSQL they go to
    the folder ``CAMPAIGNKIT_EVIDENCE`` names, as a deployment says."""
    if request.param == "sqlite":
        return tmp_path / "ledger.db"
    monkeypatch.setenv("CAMPAIGNKIT_EVIDENCE", str(tmp_path / "evidence"))
    return str(request.getfixturevalue("postgres_url"))
