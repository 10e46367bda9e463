"""Bulk-load a PostgreSQL database with N requests for the portal benchmark (bench_portal.py).

The rows are generated inside PostgreSQL (INSERT … SELECT over generate_series) from a few thousand real
citizen messages (../shared/data/govmsg, or the small bundled set when that is absent), so that a million
requests load in minutes. Loading bypasses the workflow actions ON PURPOSE: the benchmark measures reads,
and a million requests through the actions would take hours. The rows still look like the actions'
output: a reference and a tracking token, states that fit the request's age, a timeline of audit events
(submit, dispatch with the unit and the sign deadline, sign, transfer, return, reply, follow-up, merge,
reject), replies for replied and closed requests and follow-ups for closed and reopened ones, so that the
statistics page (volumes, categories, the 三率 ranking) has real work to do.

Use: ``prepare(n, reload=False) -> dict`` after ``configure(db_name)``; see bench_portal.py.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import psycopg

ADMIN_URL = os.environ.get("MASSLINE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
DEFAULT_DB = "massline_bench"
LOAD_JOBS = int(os.environ.get("MASSLINE_BENCH_LOAD_JOBS", "3"))  # sessions loading at once
DEFER_TRIGRAM = os.environ.get("MASSLINE_BENCH_DEFER_TRIGRAM", "") == "1"
INDEX_BUILD_MEM = os.environ.get("MASSLINE_BENCH_INDEX_MEM", "1GB")  # maintenance_work_mem for the rebuild
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳", "徐涛", "孙丽"]
STREETS = ["观岭路", "魁星路", "望月湖", "桐梓坡路", "芙蓉中路", "韶山北路", "人民东路", "麓山南路"]


def db_url(name: str) -> str:
    u = urlparse(ADMIN_URL)
    return u._replace(path=f"/{name}").geturl()


def configure(db_name: str = DEFAULT_DB) -> str:
    """Point Django at the bench database (call before django.setup()). Returns its URL."""
    url = db_url(db_name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.base")
    return url


def _admin():
    return psycopg.connect(ADMIN_URL, autocommit=True)


def database_exists(name: str) -> bool:
    with _admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop_database(name: str) -> None:
    assert name.startswith("massline_bench"), "the bench only ever drops its own database"
    from django.db import connections

    connections.close_all()
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def loaded_count(name: str) -> int | None:
    """The requests the database was loaded with (kept in ``bench_meta``: the benchmark's intake phase adds
    requests, which do not make it a different database), or None when the database or table is missing.
    A database loaded before the marker existed is counted once and marked."""
    if not database_exists(name):
        return None
    with psycopg.connect(db_url(name), autocommit=True) as conn:
        try:
            return conn.execute("SELECT requests FROM bench_meta").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            pass
        try:
            n = conn.execute("SELECT count(*) FROM workflow_request").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return None
        mark_loaded(conn, n)
        return n


def mark_loaded(conn, n: int) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (requests bigint NOT NULL)")
    conn.execute("DELETE FROM bench_meta")
    conn.execute("INSERT INTO bench_meta (requests) VALUES (%s)", [n])


# --- sources ----------------------------------------------------------------------------------------


def _messages(limit: int = 8000, seed: int = 7) -> tuple[list[tuple[str, str]], list[str], bool]:
    from massline.demo.loader import load_messages

    msgs, replied, real = load_messages()
    rng = random.Random(seed)
    rng.shuffle(msgs)
    texts = [(_nul(m.title[:200] or m.text[:40]), _nul(m.text[:4000])) for m in msgs[:limit] if m.text]
    replies = [_nul(m.reply[:4000]) for m in replied if m.reply] or [
        "您好！您反映的问题已收悉，我单位已安排处理。"
    ]
    return texts, replies, real


def stored_public(title: str, text: str) -> tuple[str, str, str, str]:
    """What intake stores for a message (``workflow.excerpt.public_forms``): the redacted public text, its
    search words, and the stored forms of the title and the text that the pages show (the requester's
    contacts are never in these messages' text, so the text alone decides)."""
    from massline.workflow.excerpt import public_forms

    forms = public_forms(title, text)
    return forms.text, forms.words, forms.title, forms.body


def stored_reply(text: str) -> str:
    """A reply's stored public form (``workflow.excerpt.reply_form``), as ``Reply.save`` writes it."""
    from massline.workflow.excerpt import reply_form

    return reply_form(text)


def check_stored_place(districts) -> None:
    """The generated addresses (district, street, number) are public as they are: the loader stores them as
    their public place. Checked here against the one function, so that a change to it is noticed."""
    from massline.workflow.excerpt import public_forms

    for d in districts:
        for street in STREETS:
            address = f"A市{d.area}{street}123号"
            place = public_forms("", "", address).place
            assert place == address, f"the public place of {address!r} is {place!r}: load it through Python"


def repair_partition_indexes(name: str) -> None:
    """Bench databases loaded before the fix above: build the audit partitions' missing indexes."""
    with psycopg.connect(db_url(name), autocommit=True) as conn:
        broken = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.indexdef LIKE '% ON ONLY %' AND NOT x.indisvalid"
        ).fetchall()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for index, indexdef in broken:
            conn.execute(f'DROP INDEX "{index}"')
            conn.execute(indexdef.replace(" ON ONLY ", " ON "))


def lacks_public_text(name: str) -> bool:
    """A database loaded before the loader wrote the stored public text (its search finds nothing): such a
    database is loaded again (an UPDATE of every row, with its GIN indexes, is slower than a new load)."""
    with psycopg.connect(db_url(name)) as conn:
        return (
            conn.execute("SELECT 1 FROM workflow_request WHERE public_text = '' LIMIT 1").fetchone()
            is not None
        )


def _nul(text: str) -> str:
    return text.replace("\x00", "")


def _copy(cur, table: str, columns: list[str], rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


# --- the load ---------------------------------------------------------------------------------------

REQUEST_SQL = """
CREATE TEMP TABLE bench_req AS
WITH g AS (
  SELECT i,
         now() - interval '365 days' + (i::float8 / %(n)s) * interval '365 days'
             + (random() - 0.5) * interval '2 hours' AS received_at,
         random() AS r_kind, random() AS r_state, random() AS r_a, random() AS r_b, random() AS r_c,
         random() AS r_d, floor(random() * %(n_msg)s)::int AS msg, floor(random() * %(n_cat)s)::int AS cat,
         floor(random() * %(n_dist)s)::int AS dist, random() AS r_unit, random() AS r_contact
  FROM generate_series(1, %(n)s) AS i
), k AS (
  SELECT g.*,
         CASE WHEN r_kind < 0.45 THEN 'complaint' WHEN r_kind < 0.65 THEN 'help'
              WHEN r_kind < 0.75 THEN 'suggestion' WHEN r_kind < 0.95 THEN 'inquiry'
              WHEN r_kind < 0.98 THEN 'praise' ELSE 'report' END AS kind,
         extract(epoch FROM now() - received_at) / 86400.0 AS age
  FROM g
), s AS (
  SELECT k.*,
         CASE
           WHEN age < 2 THEN CASE WHEN r_state < 0.3 THEN 'received' WHEN r_state < 0.6 THEN 'dispatched'
                                  WHEN r_state < 0.9 THEN 'signed' ELSE 'replied' END
           WHEN age < 15 THEN CASE WHEN r_state < 0.02 THEN 'received' WHEN r_state < 0.07 THEN 'dispatched'
                                   WHEN r_state < 0.35 THEN 'signed' WHEN r_state < 0.80 THEN 'replied'
                                   WHEN r_state < 0.97 THEN 'closed' ELSE 'reopened' END
           ELSE CASE WHEN r_state < 0.78 THEN 'closed' WHEN r_state < 0.86 THEN 'replied'
                     WHEN r_state < 0.90 THEN 'merged' WHEN r_state < 0.93 THEN 'rejected'
                     WHEN r_state < 0.94 THEN 'reopened' WHEN r_state < 0.96 THEN 'signed'
                     WHEN r_state < 0.97 THEN 'transferred' WHEN r_state < 0.98 THEN 'returned'
                     WHEN r_state < 0.99 THEN 'dispatched' ELSE 'received' END
         END AS state
  FROM k
), t AS (
  SELECT s.*,
         CASE WHEN state NOT IN ('received', 'merged', 'rejected')
              THEN received_at + r_a * interval '20 hours' END AS dispatched_at
  FROM s
), u AS (
  SELECT t.*,
         CASE WHEN state IN ('signed', 'replied', 'closed', 'reopened')
              THEN dispatched_at + r_b * interval '30 hours' END AS signed_at
  FROM t
), v AS (
  SELECT u.*,
         CASE WHEN state IN ('replied', 'closed', 'reopened')
              THEN signed_at + interval '2 hours' + r_c * interval '12 days' END AS replied_at
  FROM u
)
SELECT v.*,
       CASE WHEN state IN ('closed', 'reopened') THEN replied_at + r_d * interval '5 days' END AS answered_at,
       CASE WHEN state = 'transferred' THEN dispatched_at + r_d * interval '20 hours' END AS transferred_at,
       CASE WHEN state = 'returned' THEN dispatched_at + r_d * interval '20 hours' END AS returned_at,
       CASE WHEN state IN ('merged', 'rejected') THEN received_at + r_a * interval '30 hours' END AS ended_at
FROM v
"""

INSERT_REQUESTS = """
INSERT INTO workflow_request (
  id, reference, tracking_token, kind, title, text, address, lat, lon, channel, external_id, contact_name,
  contact_phone, contact_email, anonymous, requester_key, urgency, state, version, suggestion_confidence,
  reopen_count, received_at, dispatched_at, signed_at, replied_at, closed_at, sign_due, reply_due,
  updated_at, category_id, merged_into_id, suggested_category_id, unit_id, held, public_text, search_words,
  public_title, public_body, public_place)
SELECT r.i,
       to_char(r.received_at AT TIME ZONE %(tz)s, 'YYMMDD') || '-' || CASE WHEN r.i >= 10000 THEN r.i::text ELSE lpad(r.i::text, 5, '0') END,
       substr(md5(r.i::text || random()::text), 1, 24),
       r.kind, m.title, m.text,
       a.address,
       CASE WHEN r.r_contact < 0.5 THEN 28.05 + r.r_c * 0.35 END,
       CASE WHEN r.r_contact < 0.5 THEN 112.75 + r.r_d * 0.40 END,
       (ARRAY['web', 'hotline', 'hotline', 'api', 'visit'])[1 + (r.i %% 5)], '',
       CASE WHEN r.r_contact < 0.75 THEN (%(names)s::text[])[1 + (r.i %% 12)] ELSE '' END,
       CASE WHEN r.r_contact < 0.75 THEN '13' || lpad((r.i::bigint * 7919 %% 1000000000)::text, 9, '0') ELSE '' END,
       '', r.r_contact >= 0.75, '', c.urgency, r.state,
       1 + (r.dispatched_at IS NOT NULL)::int + (r.signed_at IS NOT NULL)::int
         + (r.replied_at IS NOT NULL)::int + (r.answered_at IS NOT NULL)::int
         + (r.ended_at IS NOT NULL)::int + (r.transferred_at IS NOT NULL)::int + (r.returned_at IS NOT NULL)::int,
       CASE WHEN r.r_unit < 0.9 THEN 0.4 + r.r_unit * 0.6 END,
       (r.state = 'reopened')::int,
       r.received_at, r.dispatched_at, r.signed_at, r.replied_at,
       CASE WHEN r.state = 'closed' THEN r.answered_at WHEN r.state = 'rejected' THEN r.ended_at END,
       CASE WHEN r.dispatched_at IS NOT NULL THEN r.dispatched_at + interval '24 hours' END,
       CASE WHEN r.dispatched_at IS NOT NULL THEN r.dispatched_at + interval '10 days' END,
       LEAST(now(), greatest(r.received_at, r.dispatched_at, r.signed_at, r.replied_at, r.answered_at,
                             r.ended_at, r.transferred_at, r.returned_at)),
       CASE WHEN r.state <> 'received' OR r.r_unit < 0.5 THEN c.category_id END,
       CASE WHEN r.state = 'merged' AND r.i > 60 THEN r.i - 1 - (r.r_b * 50)::int END,
       CASE WHEN r.r_unit < 0.9 THEN c.category_id END,
       CASE WHEN r.state = 'transferred' THEN d.unit_id
            WHEN r.dispatched_at IS NOT NULL THEN
                 CASE WHEN c.is_construction AND r.r_unit < 0.6 THEN d.unit_id ELSE c.unit_id END
       END,
       false, m.public_text, m.search_words,  -- not held; the stored public text and words, as intake writes
       m.public_title, m.public_body, a.address  -- the stored public forms (check_stored_place)
FROM bench_req r
JOIN bench_msg m ON m.i = r.msg
JOIN bench_cat c ON c.i = r.cat
JOIN bench_dist d ON d.i = r.dist
CROSS JOIN LATERAL (
  SELECT CASE WHEN r.r_contact < 0.7
              THEN 'A市' || d.area || (%(streets)s::text[])[1 + (r.i %% 8)] || (r.i %% 300) || '号' ELSE '' END
         AS address
) a
"""

# One SELECT per kind of event; unit codes come from the request's first (dispatch) unit.
EVENTS_SQL = """
INSERT INTO workflow_auditevent (actor_label, at, action, from_state, to_state, note, data, actor_id, request_id)
SELECT actor_label, at, action, from_state, to_state, note, data, NULL, request_id FROM (
  SELECT 'requester' AS actor_label, r.received_at AS at, 'submit' AS action, '' AS from_state,
         'received' AS to_state, '' AS note, jsonb_build_object('channel', q.channel) AS data, r.i AS request_id
  FROM bench_req r JOIN workflow_request q ON q.id = r.i
  UNION ALL
  SELECT 'dispatcher', r.dispatched_at, 'dispatch', 'received', 'dispatched', '',
         jsonb_build_object('unit', CASE WHEN r.state = 'transferred' THEN c.unit_code ELSE u.code END,
                            'category', c.code,
                            'sign_due', to_char((r.dispatched_at + interval '24 hours') AT TIME ZONE 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00'),
         r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN bench_cat c ON c.i = r.cat
  LEFT JOIN workflow_unit u ON u.id = q.unit_id
  WHERE r.dispatched_at IS NOT NULL
  UNION ALL
  SELECT 'staff-' || u.code, r.signed_at, 'sign', 'dispatched', 'signed', '', '{}'::jsonb, r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN workflow_unit u ON u.id = q.unit_id
  WHERE r.signed_at IS NOT NULL
  UNION ALL
  SELECT 'staff-' || c.unit_code, r.transferred_at, 'transfer', 'dispatched', 'transferred', '请转相关属地办理',
         jsonb_build_object('from_unit', c.unit_code, 'unit', u.code,
                            'sign_due', to_char((r.transferred_at + interval '24 hours') AT TIME ZONE 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00'),
         r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN bench_cat c ON c.i = r.cat
  JOIN workflow_unit u ON u.id = q.unit_id
  WHERE r.transferred_at IS NOT NULL
  UNION ALL
  SELECT 'staff-' || u.code, r.returned_at, 'return', 'dispatched', 'returned', '不属于我单位职责范围',
         jsonb_build_object('unit', u.code), r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN workflow_unit u ON u.id = q.unit_id
  WHERE r.returned_at IS NOT NULL
  UNION ALL
  SELECT 'staff-' || u.code, r.replied_at, 'reply', 'signed', 'replied', '', '{}'::jsonb, r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN workflow_unit u ON u.id = q.unit_id
  WHERE r.replied_at IS NOT NULL
  UNION ALL
  SELECT 'requester', r.answered_at,
         CASE WHEN r.state = 'closed' THEN 'follow_up_solved' ELSE 'follow_up_unsolved' END,
         'replied', r.state, '',
         CASE WHEN r.state = 'closed'
              THEN jsonb_build_object('satisfaction', f.satisfaction, 'solved', true)
              ELSE jsonb_build_object('satisfaction', f.satisfaction, 'solved', false, 'unit', u.code,
                                      'sign_due', to_char((r.answered_at + interval '24 hours') AT TIME ZONE 'UTC',
                                                          'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00')
         END,
         r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i JOIN workflow_unit u ON u.id = q.unit_id
  JOIN bench_fu f ON f.i = r.i
  UNION ALL
  SELECT 'dispatcher', r.ended_at, CASE WHEN r.state = 'merged' THEN 'merge' ELSE 'reject' END,
         'received', r.state, CASE WHEN r.state = 'rejected' THEN '诉求内容不明确，无法受理' ELSE '' END,
         CASE WHEN r.state = 'merged' AND q.merged_into_id IS NOT NULL
              THEN jsonb_build_object('lead', (SELECT l.reference FROM workflow_request l
                                               WHERE l.id = q.merged_into_id))
              ELSE '{}'::jsonb END,
         r.i
  FROM bench_req r JOIN workflow_request q ON q.id = r.i
  WHERE r.ended_at IS NOT NULL
) e
ORDER BY request_id, at
"""

FOLLOWUP_SQL = """
CREATE TEMP TABLE bench_fu AS
SELECT r.i, r.state = 'closed' AS solved,
       CASE WHEN r.state = 'reopened' THEN (CASE WHEN r.r_c < 0.7 THEN 'dissatisfied' ELSE 'basically' END)
            WHEN r.r_c < 0.62 THEN 'satisfied' WHEN r.r_c < 0.88 THEN 'basically' ELSE 'dissatisfied' END
         AS satisfaction
FROM bench_req r WHERE r.answered_at IS NOT NULL
"""


def _month_partitions(cur) -> list[str]:
    """The audit table's monthly partitions for every month of the loaded history (the migration made the
    current and coming months only): the events then land in their months, as on a site whose history
    came in through ``massline partitions ensure``, instead of all in the default partition."""
    from django.conf import settings
    from django.utils import timezone

    from massline.workflow import partitions

    if not partitions.is_partitioned(cur):
        return []
    tz = settings.TIME_ZONE
    cur.execute("SELECT (min(received_at) AT TIME ZONE %s)::date FROM bench_req", [tz])
    first = cur.fetchone()[0]
    if first is None:
        return []
    made = []
    with cur.connection.transaction():  # create_month's scratch table lives until the commit
        for month in partitions.months_between(first, timezone.localdate()):
            if partitions.create_month(cur, month, tz):
                made.append(partitions.month_partition(month).name)
    return made


def _sql(cur, label: str, sql: str, params=None, verbose: bool = True) -> None:
    t0 = time.perf_counter()
    cur.execute(sql, params)
    if verbose:
        print(f"   {label}: {time.perf_counter() - t0:.1f} s", flush=True)


def bulk_load(n: int, seed: float = 0.42, verbose: bool = True) -> dict:
    """Fill the (migrated, city-built) bench database with ``n`` requests and their history."""
    from django.db import connection
    from django.utils import timezone

    from massline.workflow.models import Category, Unit

    texts, replies, real = _messages()
    if verbose:
        print(
            f"   sources: {len(texts)} messages, {len(replies)} replies "
            + (
                "from ../shared/data/govmsg" if real else "from the small BUNDLED set (../shared/data absent)"
            ),
            flush=True,
        )
    units = {u.id: u for u in Unit.objects.all()}
    districts = [u for u in units.values() if u.area and u.parent and u.parent.code == "city"]
    check_stored_place(districts)
    cats = list(Category.objects.select_related("parent__parent"))
    cat_rows = []
    for c in cats:
        unit = c.effective_unit()
        if unit is None:
            continue
        root = c.ancestors()[0]
        cat_rows.append((len(cat_rows), c.id, c.code, c.urgency, unit.id, unit.code, root.name == "城乡建设"))
    tz = str(timezone.get_current_timezone())
    connection.ensure_connection()
    raw = connection.connection
    t_load = time.perf_counter()
    with psycopg.ClientCursor(raw) as cur:
        _session(cur)
        cur.execute("SELECT setseed(%s)", [seed])
        # The scratch tables are UNLOGGED (not TEMP) so that the parallel sessions below see them.
        cur.execute(
            "CREATE UNLOGGED TABLE bench_msg (i int PRIMARY KEY, title text, text text, public_text text, "
            "search_words text, public_title text, public_body text)"
        )
        cur.execute("CREATE UNLOGGED TABLE bench_reply (i int PRIMARY KEY, text text, public_body text)")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_cat (i int PRIMARY KEY, category_id bigint, code text, urgency text,"
            " unit_id bigint, unit_code text, is_construction bool)"
        )
        cur.execute(
            "CREATE UNLOGGED TABLE bench_dist (i int PRIMARY KEY, unit_id bigint, code text, area text)"
        )
        _copy(
            cur,
            "bench_msg",
            ["i", "title", "text", "public_text", "search_words", "public_title", "public_body"],
            ((i, t, x, *stored_public(t, x)) for i, (t, x) in enumerate(texts)),
        )
        _copy(
            cur,
            "bench_reply",
            ["i", "text", "public_body"],
            ((i, x, stored_reply(x)) for i, x in enumerate(replies)),
        )
        _copy(
            cur,
            "bench_cat",
            ["i", "category_id", "code", "urgency", "unit_id", "unit_code", "is_construction"],
            cat_rows,
        )
        _copy(
            cur,
            "bench_dist",
            ["i", "unit_id", "code", "area"],
            ((i, u.id, u.code, u.area) for i, u in enumerate(districts)),
        )
        insert_requests = _vector_once(cur, INSERT_REQUESTS, verbose)

        # Secondary indexes are dropped during the load and rebuilt afterwards (much faster).
        tables = ("workflow_request", "workflow_auditevent", "workflow_reply", "followup_followup")
        cur.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname "
            "NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        indexes = cur.fetchall()
        for _table, name, _def in indexes:
            cur.execute(f'DROP INDEX "{name}"')

        params = {
            "n": n,
            "n_msg": len(texts),
            "n_cat": len(cat_rows),
            "n_dist": len(districts),
            "tz": tz,
            "names": NAMES,
            "streets": STREETS,
        }
        _sql(
            cur,
            "plan requests",
            REQUEST_SQL.replace("CREATE TEMP TABLE", "CREATE UNLOGGED TABLE"),
            params,
            verbose,
        )
        cur.execute("CREATE INDEX ON bench_req (i)")
        _sql(
            cur,
            "plan follow-ups",
            FOLLOWUP_SQL.replace("CREATE TEMP TABLE", "CREATE UNLOGGED TABLE"),
            None,
            verbose,
        )
        made = _month_partitions(cur)
        if verbose and made:
            print(f"   audit partitions for the loaded months: {len(made)} created", flush=True)
    chunks = _chunks(n, LOAD_JOBS)
    # 1. the requests, in LOAD_JOBS sessions at once (the box is shared: one session gets a slice of a core)
    _parallel(
        [
            (f"requests {lo}-{hi}", f"{insert_requests}\nWHERE r.i BETWEEN {lo} AND {hi}", params)
            for lo, hi in chunks
        ],
        verbose,
    )
    with psycopg.ClientCursor(raw) as cur:
        cur.execute("SELECT setval(pg_get_serial_sequence('workflow_request', 'id'), %s)", [n])
    # 2. the requests' indexes (GIN in a session of its own: the longest step) while the history is written
    if DEFER_TRIGRAM:
        deferred = [ix for ix in indexes if "gin_trgm_ops" in ix[2]]
        indexes = [ix for ix in indexes if "gin_trgm_ops" not in ix[2]]
        if verbose and deferred:
            print(
                f"   not built (MASSLINE_BENCH_DEFER_TRIGRAM): {', '.join(ix[1] for ix in deferred)}",
                flush=True,
            )

    def build(label: str, ixs) -> list:
        return [
            (f"{label} {name}", indexdef.replace(" ON ONLY ", " ON "), None) for _t, name, indexdef in ixs
        ]

    request_gin = [ix for ix in indexes if ix[0] == "workflow_request" and " USING gin " in ix[2]]
    request_btree = [ix for ix in indexes if ix[0] == "workflow_request" and " USING gin " not in ix[2]]
    others = [ix for ix in indexes if ix[0] != "workflow_request"]
    history = [
        (
            f"audit events {lo}-{hi}",
            EVENTS_SQL.replace(
                "FROM bench_req r", f"FROM (SELECT * FROM bench_req WHERE i BETWEEN {lo} AND {hi}) r"
            ),
            None,
        )
        for lo, hi in chunks
    ]
    history += [
        (
            "replies",
            "INSERT INTO workflow_reply (text, public_body, created_at, author_id, request_id, unit_id) "
            "SELECT m.text, m.public_body, r.replied_at, NULL, r.i, q.unit_id FROM bench_req r "
            "JOIN workflow_request q ON q.id = r.i "
            f"JOIN bench_reply m ON m.i = (r.i::bigint * 7919) % {len(replies)} "
            "WHERE r.replied_at IS NOT NULL ORDER BY r.replied_at",
            None,
        ),
        (
            "follow-ups",
            "INSERT INTO followup_followup (solved, satisfaction, comment, by_requester, created_at, "
            "operator_id, request_id, unit_id) SELECT f.solved, f.satisfaction, '', true, r.answered_at, NULL, "
            "r.i, q.unit_id FROM bench_fu f JOIN bench_req r ON r.i = f.i JOIN workflow_request q ON q.id = r.i "
            "ORDER BY r.answered_at",
            None,
        ),
    ]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [
            pool.submit(_serial, build("index", request_gin), verbose),
            pool.submit(_serial, build("index", request_btree), verbose),
            pool.submit(
                lambda: (_parallel(history, verbose), _serial(build("index", others), verbose)),
            ),
        ]
        for job in jobs:
            job.result()
    if verbose:
        print(f"   history and {len(indexes)} indexes: {time.perf_counter() - t0:.1f} s", flush=True)
    with psycopg.ClientCursor(raw) as cur:  # Django keeps the connection in autocommit mode
        for t in ("bench_req", "bench_fu", "bench_msg", "bench_reply", "bench_cat", "bench_dist"):
            cur.execute(f"DROP TABLE {t}")
        cur.execute("SET session_replication_role = origin")
        t0 = time.perf_counter()
        cur.execute("VACUUM ANALYZE")
        if verbose:
            print(f"   vacuum analyze: {time.perf_counter() - t0:.1f} s", flush=True)
            print(f"   bulk load: {time.perf_counter() - t_load:.1f} s", flush=True)
    return {"real_data": real}


def _session(cur) -> None:
    cur.execute("SET session_replication_role = replica")  # no FK (or other) triggers while bulk loading
    cur.execute("SET work_mem = '256MB'")
    # The GIN indexes build several times faster with room to sort in (pg_stat_progress_create_index).
    cur.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEM}'")
    cur.execute("SET max_parallel_maintenance_workers = 0")  # the sessions are the parallelism


def _chunks(n: int, jobs: int) -> list[tuple[int, int]]:
    step = -(-n // jobs)
    return [(lo, min(n, lo + step - 1)) for lo in range(1, n + 1, step)]


def _run(label: str, sql: str, params, verbose: bool) -> None:
    with (
        psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn,
        psycopg.ClientCursor(conn) as cur,
    ):
        _session(cur)
        _sql(cur, label, sql, params, verbose)


def _parallel(steps: list, verbose: bool) -> None:
    """(label, sql, params) steps, each in a session of its own, all at once."""
    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        for job in [pool.submit(_run, label, sql, params, verbose) for label, sql, params in steps]:
            job.result()


def _serial(steps: list, verbose: bool) -> None:
    for label, sql, params in steps:
        _run(label, sql, params, verbose)


def _vector_once(cur, insert_sql: str, verbose: bool) -> str:
    """The generated ``search_vector`` column (migration 0005) computes ``to_tsvector`` for every row,
    which is most of the requests' load (the rows repeat a few thousand messages). For the load the column
    becomes a plain one filled from the message's vector computed once, and a trigger with the same
    expression keeps it for the rows the server writes later (same value, same moment: before the row is
    stored). Returns the requests' INSERT with the column added."""
    cur.execute(
        "SELECT a.attgenerated, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = 'workflow_request'::regclass AND a.attname = 'search_vector' AND NOT a.attisdropped"
    )
    row = cur.fetchone()
    if row is None or row[0] != "s" or "search_words" not in row[1]:
        return insert_sql
    expr = row[1]
    cur.execute("ALTER TABLE bench_msg ADD COLUMN search_vector tsvector")
    cur.execute(f"UPDATE bench_msg SET search_vector = {expr}")
    cur.execute("ALTER TABLE workflow_request ALTER COLUMN search_vector DROP EXPRESSION")
    new_expr = expr.replace("search_words", "NEW.search_words")
    cur.execute(
        "CREATE FUNCTION bench_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {new_expr}; RETURN NEW; END $$"
    )
    cur.execute(
        "CREATE TRIGGER bench_search_vector BEFORE INSERT OR UPDATE OF search_words ON workflow_request "
        "FOR EACH ROW EXECUTE FUNCTION bench_search_vector()"
    )
    if verbose:
        print(f"   search_vector: computed once per message; a trigger keeps it ({expr})", flush=True)
    cols, sep, rest = insert_sql.partition(")\nSELECT r.i,")
    body, sep2, tail = rest.partition("\nFROM bench_req r\n")
    assert sep and sep2, "the requests' INSERT changed shape"
    return f"{cols}, search_vector{sep}{body}\n, m.search_vector{sep2}{tail}"


def prepare(n: int, db_name: str = DEFAULT_DB, reload: bool = False, verbose: bool = True) -> dict:
    """Make sure ``db_name`` holds exactly ``n`` bench requests; build it when not. Django must be
    configured for it (``configure``) but need not be set up yet."""
    import django

    have = loaded_count(db_name)
    if have == n and not reload and lacks_public_text(db_name):
        print(f"== {db_name} was loaded without the stored public text: loading it again", flush=True)
        reload = True
    if have == n and not reload:
        if verbose:
            print(f"== reusing {db_name}: {n:,} requests already loaded (--reload to rebuild)", flush=True)
        django.setup()
        _migrate(verbose=True, n=n)  # new columns and indexes from later commits
        repair_partition_indexes(db_name)
        _rollups(verbose, only_if_empty=True)  # a database loaded before the rollups existed
        return {"loaded": False, "seconds": 0.0}
    t0 = time.perf_counter()
    if have is not None or database_exists(db_name):
        print(f"== dropping {db_name} (had {have} requests)", flush=True)
        drop_database(db_name)
    create_database(db_name)
    django.setup()
    print(f"== loading {n:,} requests into {db_name}", flush=True)
    with psycopg.connect(db_url(db_name), autocommit=True) as conn:
        mark_loaded(conn, -1)  # until the load completes: an interrupted load is loaded again next time
    _migrate(verbose)
    from django.conf import settings

    from massline.demo.city import build_city, build_staff

    # The staff logins are not used by the benchmark: a fast hasher spares ~25 slow PBKDF2 hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_city()
    build_staff()
    info = bulk_load(n, verbose=verbose)
    with psycopg.connect(db_url(db_name), autocommit=True) as conn:
        mark_loaded(conn, n)
    _rollups(verbose)  # the bulk load bypasses the event hook that keeps them
    seconds = time.perf_counter() - t0
    print(f"   load time: {seconds:.0f} s for {n:,} requests", flush=True)
    return {"loaded": True, "seconds": seconds, **info}


def _rollups(verbose: bool, only_if_empty: bool = False) -> None:
    """The 三率 rollups from the loaded history (massline.rollups.build.rebuild)."""
    from massline.rollups.build import rebuild
    from massline.rollups.models import UnitMonthRollup

    if only_if_empty and UnitMonthRollup.objects.exists():
        return
    t0 = time.perf_counter()
    rows = rebuild()
    if verbose:
        print(f"   rollups: {rows} unit-months in {time.perf_counter() - t0:.1f} s", flush=True)


# Up to this many requests a migration's backfill runs as written; above it (the 1M database) only for the
# rows the benchmark reads (see _migrate).
FULL_BACKFILL_MAX = int(os.environ.get("MASSLINE_BENCH_FULL_BACKFILL_MAX", "200000"))
NEWEST_READ = 5000  # the newest requests: the list's first pages and the searches' first pages


def detail_sample(top: int, n_detail: int = 500) -> list[int]:
    """The ids the detail page is loaded over (bench_portal.anonymous_loads keeps the public ones): drawn
    from the loaded ids only, so that every run on a database loads the same pages."""
    rng = random.Random(5)
    return rng.sample(range(1, top + 1), min(top, n_detail * 3))


def _pending_backfills() -> list:
    """The backfills of stored columns in the migrations still to apply: the data operations (RunPython) of
    a migration that adds fields to the requests or their replies (the stored public forms)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import AddField, RunPython

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [
        (migration, op)
        for migration, backwards in plan
        if not backwards
        and migration.app_label == "workflow"
        and any(
            isinstance(o, AddField) and o.model_name in ("request", "reply") for o in migration.operations
        )
        for op in migration.operations
        if isinstance(op, RunPython)
    ]


def _migrate(verbose: bool, n: int = 0) -> None:
    """Apply the project's migrations. On a database of more than FULL_BACKFILL_MAX requests a backfill
    (an UPDATE of every row: at 1M, with the full-text GIN index kept, longer than a bench session) runs
    for the rows the benchmark reads only: the newest NEWEST_READ requests and the detail sample, through
    the model's own save (the one function that writes the stored forms); the other rows are left as a
    site mid-backfill has them (the pages compute what is not stored yet)."""
    from django.core.management import call_command

    t0 = time.perf_counter()
    skipped = []
    if n > FULL_BACKFILL_MAX:
        for migration, op in _pending_backfills():
            skipped.append((f"{migration.app_label}.{migration.name}", op, op.code))
            op.code = _noop
    try:
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        for _name, op, code in skipped:
            op.code = code
    if verbose:
        print(f"   migrate: {time.perf_counter() - t0:.1f} s", flush=True)
    if skipped:
        t0 = time.perf_counter()
        rows = _backfill_read_rows(n)
        names = ", ".join(sorted({name for name, _op, _code in skipped}))
        print(
            f"   backfill of {names}: only the {rows:,} requests the benchmark reads (of {n:,}; "
            f"more than MASSLINE_BENCH_FULL_BACKFILL_MAX={FULL_BACKFILL_MAX:,}), {time.perf_counter() - t0:.1f} s",
            flush=True,
        )


def _noop(apps, schema_editor) -> None:
    pass


def _backfill_read_rows(n: int) -> int:
    """Write the stored forms of the requests the benchmark reads (and their replies) through the models."""
    from massline.workflow.models import Reply, Request

    reply_fields = [f.name for f in Reply._meta.concrete_fields if f.name == "public_body"]
    ids = set(detail_sample(n)) | set(
        Request.objects.order_by("-received_at", "-id").values_list("id", flat=True)[:NEWEST_READ]
    )
    fields = [f.name for f in Request._meta.concrete_fields if f.name in ("title", "text", "address")]
    done = 0
    for request in Request.objects.filter(id__in=ids).iterator(chunk_size=500):
        request.save(update_fields=fields)
        for reply in request.replies.all() if reply_fields else ():
            reply.save(update_fields=reply_fields)
        done += 1
    return done
