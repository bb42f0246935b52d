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

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine


class Prepared:
    """`run(engine, values)` executes a write in a transaction of its own and returns (rowcount, the
    new row's primary key or None); `exists(engine, values)` runs a SELECT and says whether it found a
    row (the connection goes back to the pool, rolled back, as Core's would). `returning` names the
    primary-key column an INSERT should give back; SQLite reports it as the cursor's lastrowid, other
    dialects through RETURNING. The compiled form's bind processors are a private of SQLAlchemy (1.4 and
    2.0 alike): tests/infra/test_prepared.py reads the rows back through the ORM, so a change shows."""

    def __init__(self, statement, column_keys: tuple[str, ...] | None = None, returning=None) -> None:
        self.statement, self.column_keys, self.returning = statement, column_keys, returning
        self._compiled: dict[tuple, tuple] = {}  # per (dialect, driver, paramstyle)

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
            found = self._compiled[key] = (str(compiled), defaults, processors, positional)
        return found

    def _params(self, dialect, values: dict):
        sql, defaults, processors, positional = self._compile(dialect)
        params = {**defaults, **values}
        for name, process in processors.items():
            if name in params:
                params[name] = process(params[name])
        if positional is not None:
            params = [params[name] for name in positional]
        return sql, params

    def run(self, engine: Engine, values: dict) -> tuple[int, object]:
        def write(cursor):
            key = None
            if self.returning is not None:
                key = cursor.lastrowid if engine.dialect.name == "sqlite" else cursor.fetchone()[0]
            return cursor.rowcount, key
        return self._execute(engine, values, write, commit=True)

    def exists(self, engine: Engine, values: dict) -> bool:
        """Whether a SELECT finds a row: the "has this customer anything open?" checks every message
        makes, where the answer is almost always no. Nothing is read but the row's presence."""
        return self._execute(engine, values, lambda cursor: cursor.fetchone() is not None, commit=False)

    def _execute(self, engine: Engine, values: dict, read, commit: bool):
        sql, params = self._params(engine.dialect, values)
        conn = engine.raw_connection()
        # One statement is a transaction of its own: on PostgreSQL it runs in autocommit, which spares
        # the BEGIN and the COMMIT (or the pool's ROLLBACK after a read), two of its three round trips
        # (the pool's own pre-ping does the same). SQLite's BEGIN costs no round trip and takes the
        # write turn (bot/infra/db.py): it keeps its transaction.
        single = engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg2"
        raw, cursor = conn.dbapi_connection, None
        try:
            if single:
                raw.autocommit = True
            cursor = conn.cursor()
            cursor.execute(sql, params)
            result = read(cursor)
            if commit and not single:
                conn.commit()
            return result
        except engine.dialect.dbapi.Error as error:
            _rollback(conn)
            if engine.dialect.is_disconnect(error, raw, cursor):
                conn.invalidate(error)
            raise sa_exc.DBAPIError.instance(sql, params, error, engine.dialect.dbapi.Error,
                                             dialect=engine.dialect) from error
        except BaseException:
            _rollback(conn)
            raise
        finally:
            if cursor is not None:
                try:
                    cursor.close()
                except engine.dialect.dbapi.Error:
                    pass
            if single and not raw.closed:
                try:
                    raw.autocommit = False  # as the pool and Core expect it back
                except engine.dialect.dbapi.Error:
                    conn.invalidate()
            conn.close()


def _rollback(conn) -> None:
    try:
        conn.rollback()
    except Exception:  # the connection is gone; the pool replaces it
        pass
