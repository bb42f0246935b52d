"""A Core statement compiled once and run on the driver's connection: for the writes on every message.

The message record's INSERT and UPDATE run twice per message. Through `Connection.execute` SQLAlchemy
spends ~0.1 ms of CPU a statement on its execution context (cache key, parameter dicts, result
proxy, pool bookkeeping) around ~0.1 ms of SQLite's own work (issue 17: 0.22 -> 0.11 ms per one-row
insert transaction). Here the statement is compiled once per dialect and each call only applies the
column types' bind processors (the encrypted-text and JSON types included) in the compiled order, so
the SQL and the stored values are exactly what Core would have produced. Driver errors come back as
SQLAlchemy's own exception classes (IntegrityError for a duplicate key), and a lost server
connection is invalidated in the pool as Core would, so callers keep their `except SQLAlchemyError`.
"""
from __future__ import annotations

from collections import namedtuple

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine


class Prepared:
    """`run(engine, values)` executes a write in a transaction of its own and returns (rowcount, the
    new row's primary key or None); `exists(engine, values)` runs a SELECT and says whether it found a
    row (the connection goes back to the pool, rolled back, as Core's would). Several statements that
    belong together run in one `transaction(engine)`. `returning` names the primary-key column an
    INSERT should give back; SQLite reports it as the cursor's lastrowid, other dialects through
    RETURNING. The compiled form's bind and result processors are a private of SQLAlchemy (1.4 and 2.0
    alike): tests/infra/test_prepared.py reads the rows back through the ORM, so a change shows."""

    def __init__(self, statement, column_keys: tuple[str, ...] | None = None, returning=None) -> None:
        self.statement, self.column_keys, self.returning = statement, column_keys, returning
        self._compiled: dict[tuple, tuple] = {}  # per (dialect, driver, paramstyle)
        self._rows: dict[tuple, tuple] = {}  # per dialect: the row type and its columns' result processors

    def _compile(self, dialect) -> tuple:
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        found = self._compiled.get(key)
        if found is None:
            statement = self.statement
            if self.returning is not None and dialect.name != "sqlite":
                statement = statement.returning(self.returning)
            compiled = statement.compile(dialect=dialect, column_keys=self.column_keys and list(self.column_keys))
            if compiled.literal_execute_params or compiled.post_compile_params:  # IN (...) lists
                raise ValueError("a prepared statement cannot expand IN lists: spell the choices with or_()")
            missing = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
            if missing:  # Python-side defaults are Core's execution context's job: pass them in
                raise ValueError(f"values for {missing} must be given to a prepared statement")
            defaults = compiled.construct_params(_check=False)  # literals bound in the statement
            processors = compiled._bind_processors
            positional = compiled.positiontup if dialect.positional else None
            columns = [(c[0], c[3]) for c in compiled._result_columns]  # (key, type) of a SELECT's columns
            found = self._compiled[key] = (str(compiled), defaults, processors, positional, columns)
        return found

    def _params(self, dialect, values: dict):
        sql, defaults, processors, positional, _ = self._compile(dialect)
        params = {**defaults, **values}
        for name, process in processors.items():
            if name in params:
                params[name] = process(params[name])
        if positional is not None:
            params = [params[name] for name in positional]
        return sql, params

    def _row(self, dialect, cursor, row):
        """A fetched row as Core would give it: named, each value through its type's result processor."""
        key = (dialect.name, dialect.driver)
        found = self._rows.get(key)
        if found is None:
            columns = self._compile(dialect)[4]
            processors = [t._cached_result_processor(dialect, d[1]) for (_, t), d in zip(columns, cursor.description)]
            found = self._rows[key] = (namedtuple("Row", [name for name, _ in columns]), processors)
        kind, processors = found
        return kind(*[value if process is None or value is None else process(value)
                      for value, process in zip(row, processors)])

    def run(self, engine: Engine, values: dict) -> tuple[int, object]:
        with _Connection(engine, single=True) as conn:
            return conn.run(self, values)

    def exists(self, engine: Engine, values: dict) -> bool:
        """Whether a SELECT finds a row: the "has this customer anything open?" checks every message
        makes, where the answer is almost always no. Nothing is read but the row's presence."""
        with _Connection(engine, single=True, commit=False) as conn:
            return conn.exists(self, values)


def transaction(engine: Engine) -> "_Connection":
    """`with transaction(engine) as tx:` several prepared statements on one driver connection,
    committed together when the block ends and rolled back if it raises (SQLite: one write turn)."""
    return _Connection(engine)


class _Connection:
    """A pooled driver connection for prepared statements. A single statement is a transaction of its
    own: on PostgreSQL it runs in autocommit, which spares the BEGIN and the COMMIT (or the pool's
    ROLLBACK after a read), two of its three round trips (the pool's own pre-ping does the same).
    SQLite's BEGIN costs no round trip and takes the write turn (bot/infra/db.py): it keeps its
    transaction. Driver errors come back as SQLAlchemy's classes; a lost connection is invalidated."""

    def __init__(self, engine: Engine, single: bool = False, commit: bool = True) -> None:
        self.engine, self.dialect, self.commit = engine, engine.dialect, commit
        self.autocommit = single and self.dialect.name == "postgresql" and self.dialect.driver == "psycopg2"

    def __enter__(self) -> "_Connection":
        self.conn = self.engine.raw_connection()
        self.raw = self.conn.dbapi_connection
        if self.autocommit:
            try:
                self.raw.autocommit = True
            except BaseException:
                self.conn.close()
                raise
        return self

    def __exit__(self, kind, error, tb) -> bool:
        try:
            if kind is None and self.commit and not self.autocommit:
                try:
                    self.conn.commit()
                except self.dialect.dbapi.Error as failed:
                    self._failed(failed, "COMMIT", (), None)
            elif kind is not None:
                _rollback(self.conn)
        finally:
            if self.autocommit and not self.raw.closed:
                try:
                    self.raw.autocommit = False  # as the pool and Core expect it back
                except self.dialect.dbapi.Error:
                    self.conn.invalidate()
            self.conn.close()
        return False

    def run(self, prepared: Prepared, values: dict) -> tuple[int, object]:
        def write(cursor):
            key = None
            if prepared.returning is not None:
                key = cursor.lastrowid if self.dialect.name == "sqlite" else cursor.fetchone()[0]
            return cursor.rowcount, key
        return self._execute(prepared, values, write)

    def exists(self, prepared: Prepared, values: dict) -> bool:
        return self._execute(prepared, values, lambda cursor: cursor.fetchone() is not None)

    def first(self, prepared: Prepared, values: dict):
        """The first row of a SELECT (named, values as Core returns them), or None."""
        def read(cursor):
            row = cursor.fetchone()
            return None if row is None else prepared._row(self.dialect, cursor, row)
        return self._execute(prepared, values, read)

    def _execute(self, prepared: Prepared, values: dict, read):
        sql, params = prepared._params(self.dialect, values)
        cursor = None
        try:
            cursor = self.conn.cursor()
            cursor.execute(sql, params)
            return read(cursor)
        except self.dialect.dbapi.Error as error:
            self._failed(error, sql, params, cursor)
        finally:
            if cursor is not None:
                try:
                    cursor.close()
                except self.dialect.dbapi.Error:
                    pass

    def _failed(self, error, sql: str, params, cursor):
        _rollback(self.conn)
        if self.dialect.is_disconnect(error, self.raw, cursor):
            self.conn.invalidate(error)
        raise sa_exc.DBAPIError.instance(sql, params, error, self.dialect.dbapi.Error,
                                         dialect=self.dialect) from error


def _rollback(conn) -> None:
    try:
        conn.rollback()
    except Exception:  # the connection is gone; the pool replaces it
        pass
