/*
 * store.c - the SQLite backend of store.h.
 *
 * One writer connection on the loop thread, in WAL mode with
 * synchronous=FULL so that a commit that returned is on disk.  Every
 * statement is prepared once and kept (SQLITE_PREPARE_PERSISTENT); no SQL
 * text is ever built from input.  Schema changes are the numbered entries
 * of gl_store_migrations, applied in order under PRAGMA user_version.
 */
#include "daemon/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/log.h"
#include "daemon/pb.h"

/* Migration N brings user_version from N-1 to N.  Never edit one that shipped. */
static const char *const gl_store_migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE users("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE tokens("
	"  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	"  hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER);"
	"CREATE TABLE projects("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, mode TEXT NOT NULL,"
	"  schema BLOB NOT NULL, auto_plugins TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE members("
	"  project_id INTEGER NOT NULL REFERENCES projects(id),"
	"  user_id INTEGER NOT NULL REFERENCES users(id), role TEXT NOT NULL,"
	"  PRIMARY KEY(project_id, user_id));"
	"CREATE TABLE documents("
	"  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id),"
	"  title TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,"
	"  published TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL, metadata TEXT NOT NULL, length INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX documents_sha ON documents(project_id, sha256)"
	"  WHERE deleted = 0;"
	"CREATE INDEX documents_project ON documents(project_id, id);"
	"CREATE VIRTUAL TABLE documents_fts USING fts5("
	"  title, text, content='documents', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER documents_fts_ins AFTER INSERT ON documents BEGIN"
	"  INSERT INTO documents_fts(rowid, title, text)"
	"  VALUES (new.id, new.title, new.text); END;"
	"CREATE TRIGGER documents_fts_del AFTER UPDATE OF deleted ON documents"
	"  WHEN new.deleted = 1 AND old.deleted = 0 BEGIN"
	"  INSERT INTO documents_fts(documents_fts, rowid, title, text)"
	"  VALUES ('delete', old.id, old.title, old.text); END;"
	"CREATE TABLE annotations("
	"  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  layer TEXT NOT NULL, label TEXT NOT NULL, start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL, quote TEXT NOT NULL, value TEXT NOT NULL,"
	"  attributes TEXT NOT NULL, score REAL, author TEXT NOT NULL,"
	"  status TEXT NOT NULL, version INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX annotations_doc ON annotations(document_id, layer, start);"
	"CREATE INDEX annotations_author ON annotations(document_id, author)"
	"  WHERE deleted = 0;"
	"CREATE TABLE relations("
	"  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  source_id INTEGER NOT NULL REFERENCES annotations(id),"
	"  target_id INTEGER NOT NULL REFERENCES annotations(id),"
	"  label TEXT NOT NULL, author TEXT NOT NULL, version INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX relations_doc ON relations(document_id);"
	"CREATE TABLE events("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL,"
	"  document_id INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  object_id INTEGER NOT NULL, version INTEGER NOT NULL,"
	"  author TEXT NOT NULL, time INTEGER NOT NULL, annotation BLOB,"
	"  detail TEXT NOT NULL);"
	"CREATE INDEX events_project ON events(project_id, seq);"
	"CREATE INDEX events_object ON events(object_id, kind);"
	"CREATE TABLE requests("
	"  request_id TEXT NOT NULL, method TEXT NOT NULL, code INTEGER NOT NULL,"
	"  response BLOB NOT NULL, created_at INTEGER NOT NULL,"
	"  PRIMARY KEY(request_id, method));"
	"CREATE INDEX requests_time ON requests(created_at);"
	"CREATE TABLE jobs("
	"  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id),"
	"  state TEXT NOT NULL, plugins TEXT NOT NULL, total INTEGER NOT NULL,"
	"  done INTEGER NOT NULL, spans INTEGER NOT NULL, errors INTEGER NOT NULL,"
	"  messages TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  finished_at INTEGER NOT NULL);",
	/* 2: live-document counts without reading every document row */
	"CREATE INDEX documents_live ON documents(project_id) WHERE deleted = 0;",
};
#define GL_STORE_NMIGRATIONS \
	(sizeof(gl_store_migrations) / sizeof(gl_store_migrations[0]))

#define GL_ANN_COLS                                                      \
	"id, document_id, layer, label, start, end, quote, value, "      \
	"attributes, score, author, status, version, created_at, "       \
	"updated_at, deleted"
#define GL_DOC_COLS                                                      \
	"d.id, p.name, d.title, d.source, d.url, d.published, d.lang, "  \
	"d.sha256, d.metadata, d.length, d.created_at"
#define GL_PRJ_COLS                                                      \
	"p.id, p.name, p.mode, p.schema, p.auto_plugins, p.created_at"

/* Every statement the store runs.  The index is its slot in the cache. */
enum gl_stmt {
	Q_USER_COUNT,
	Q_USER_INSERT,
	Q_TOKEN_INSERT,
	Q_TOKEN_LOOKUP,
	Q_MEMBER_ROLE,
	Q_USER_GET,
	Q_USER_LIST,
	Q_TOKEN_REVOKE_ONE,
	Q_TOKEN_REVOKE_ALL,
	Q_MEMBER_SET,
	Q_MEMBER_REMOVE,
	Q_MEMBER_LIST,
	Q_EV_HISTORY,
	Q_REQ_GET,
	Q_REQ_PUT,
	Q_REQ_PRUNE,
	Q_PRJ_INSERT,
	Q_PRJ_GET,
	Q_PRJ_BY_ID,
	Q_PRJ_LIST,
	Q_PRJ_UPDATE,
	Q_PRJ_COUNT,
	Q_DOC_FIND_SHA,
	Q_DOC_INSERT,
	Q_DOC_GET,
	Q_DOC_TEXT,
	Q_DOC_LIST,
	Q_DOC_IDS,
	Q_DOC_SEARCH,
	Q_DOC_DELETE,
	Q_DOC_PROJECT,
	Q_ANN_INSERT,
	Q_ANN_GET,
	Q_ANN_PUT,
	Q_ANN_LIST,
	Q_ANN_SUGGESTIONS,
	Q_ANN_DROP,
	Q_REL_INSERT,
	Q_REL_GET,
	Q_REL_DELETE,
	Q_REL_LIST,
	Q_EV_INSERT,
	Q_EV_LIST,
	Q_EV_LIST_ALL,
	Q_EV_LAST,
	Q_JOB_INSERT,
	Q_JOB_UPDATE,
	Q_JOB_GET,
	Q_JOB_FAIL,
	Q_COUNT
};

static const char *const gl_stmt_sql[Q_COUNT] = {
	[Q_USER_COUNT] = "SELECT count(*) FROM users",
	[Q_USER_INSERT] = "INSERT INTO users(name, role, created_at) VALUES (?1, ?2, ?3)",
	[Q_TOKEN_INSERT] = "INSERT INTO tokens(user_id, hash, created_at) VALUES (?1, ?2, ?3)",
	[Q_TOKEN_LOOKUP] = "SELECT u.id, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id"
	                   " WHERE t.hash = ?1 AND t.revoked_at IS NULL",
	[Q_USER_GET] = "SELECT id, name, role FROM users WHERE name = ?1",
	[Q_USER_LIST] = "SELECT u.id, u.name, u.role, u.created_at, (SELECT count(*) FROM tokens t"
	                " WHERE t.user_id = u.id AND t.revoked_at IS NULL) FROM users u ORDER BY u.name",
	[Q_TOKEN_REVOKE_ONE] = "UPDATE tokens SET revoked_at = ?3 WHERE user_id = ?1 AND id = ?2"
	                       " AND revoked_at IS NULL",
	[Q_TOKEN_REVOKE_ALL] = "UPDATE tokens SET revoked_at = ?3 WHERE user_id = ?1 AND ?2 = 0"
	                       " AND revoked_at IS NULL",
	[Q_MEMBER_SET] = "INSERT INTO members(project_id, user_id, role) VALUES (?1, ?2, ?3)"
	                 " ON CONFLICT(project_id, user_id) DO UPDATE SET role = excluded.role",
	[Q_MEMBER_REMOVE] = "DELETE FROM members WHERE project_id = ?1 AND user_id = ?2",
	[Q_MEMBER_LIST] = "SELECT u.name, m.role FROM members m JOIN users u ON u.id = m.user_id"
	                  " WHERE m.project_id = ?1 ORDER BY u.name",
	[Q_EV_HISTORY] = "SELECT e.seq, p.name, e.document_id, e.kind, e.object_id, e.version, e.author,"
	                 " e.time, e.annotation, e.detail FROM events e JOIN projects p ON p.id = e.project_id"
	                 " WHERE e.object_id = ?1 AND e.kind LIKE 'annotation.%' ORDER BY e.seq",
	[Q_MEMBER_ROLE] = "SELECT role FROM members WHERE project_id = ?1 AND user_id = ?2",
	[Q_REQ_GET] = "SELECT code, response FROM requests WHERE request_id = ?1 AND method = ?2",
	[Q_REQ_PUT] = "INSERT OR REPLACE INTO requests(request_id, method, code, response, created_at)"
	              " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_REQ_PRUNE] = "DELETE FROM requests WHERE created_at < ?1",
	[Q_PRJ_INSERT] = "INSERT INTO projects(name, mode, schema, auto_plugins, created_at)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_PRJ_GET] = "SELECT " GL_PRJ_COLS " FROM projects p WHERE p.name = ?1",
	[Q_PRJ_BY_ID] = "SELECT " GL_PRJ_COLS " FROM projects p WHERE p.id = ?1",
	[Q_PRJ_LIST] = "SELECT " GL_PRJ_COLS " FROM projects p ORDER BY p.name",
	[Q_PRJ_COUNT] = "SELECT count(*) FROM documents WHERE project_id = ?1 AND deleted = 0",
	[Q_PRJ_UPDATE] = "UPDATE projects SET schema = ?2, auto_plugins = ?3 WHERE name = ?1",
	[Q_DOC_FIND_SHA] = "SELECT id FROM documents WHERE project_id = ?1 AND sha256 = ?2 AND deleted = 0",
	[Q_DOC_INSERT] = "INSERT INTO documents(project_id, title, source, url, published, lang,"
	                 " text, sha256, metadata, length, created_at)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[Q_DOC_GET] = "SELECT " GL_DOC_COLS " FROM documents d JOIN projects p ON p.id = d.project_id"
	              " WHERE d.id = ?1 AND d.deleted = 0",
	[Q_DOC_TEXT] = "SELECT text FROM documents WHERE id = ?1",
	[Q_DOC_LIST] = "SELECT " GL_DOC_COLS " FROM documents d JOIN projects p ON p.id = d.project_id"
	               " WHERE d.project_id = ?1 AND d.id > ?2 AND d.deleted = 0 ORDER BY d.id LIMIT ?3",
	[Q_DOC_IDS] = "SELECT id FROM documents WHERE project_id = ?1 AND deleted = 0 ORDER BY id",
	[Q_DOC_SEARCH] = "SELECT d.id, d.title, snippet(documents_fts, 1, '[', ']', '…', 16),"
	                 " bm25(documents_fts) AS r"
	                 " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
	                 " WHERE documents_fts MATCH ?2 AND d.project_id = ?1 AND d.deleted = 0"
	                 " ORDER BY r LIMIT ?3",
	[Q_DOC_DELETE] = "UPDATE documents SET deleted = 1 WHERE id = ?1 AND deleted = 0",
	[Q_DOC_PROJECT] = "SELECT project_id FROM documents WHERE id = ?1 AND deleted = 0",
	[Q_ANN_INSERT] = "INSERT INTO annotations(document_id, layer, label, start, end, quote, value,"
	                 " attributes, score, author, status, version, created_at, updated_at)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?12)",
	[Q_ANN_GET] = "SELECT " GL_ANN_COLS " FROM annotations WHERE id = ?1",
	[Q_ANN_PUT] = "UPDATE annotations SET label = ?2, start = ?3, end = ?4, quote = ?5,"
	              " value = ?6, attributes = ?7, score = ?8, status = ?9, version = ?10,"
	              " updated_at = ?11, deleted = ?12 WHERE id = ?1 AND version = ?10 - 1",
	[Q_ANN_LIST] = "SELECT " GL_ANN_COLS " FROM annotations WHERE document_id = ?1"
	               " AND (?2 = '' OR layer = ?2) AND (?3 = '' OR label = ?3)"
	               " AND (?4 = '' OR author = ?4) AND (?5 = '' OR status = ?5)"
	               " AND (?6 OR deleted = 0) ORDER BY start, end, id",
	[Q_ANN_SUGGESTIONS] = "SELECT " GL_ANN_COLS " FROM annotations WHERE document_id = ?1"
	                      " AND author = ?2 AND status = 'suggested' AND deleted = 0",
	[Q_ANN_DROP] = "UPDATE annotations SET deleted = 1, version = version + 1, updated_at = ?3"
	               " WHERE document_id = ?1 AND author = ?2 AND status = 'suggested' AND deleted = 0",
	[Q_REL_INSERT] = "INSERT INTO relations(document_id, source_id, target_id, label, author,"
	                 " version, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
	[Q_REL_GET] = "SELECT id, document_id, source_id, target_id, label, author, version,"
	              " created_at, deleted FROM relations WHERE id = ?1",
	[Q_REL_DELETE] = "UPDATE relations SET deleted = 1, version = version + 1"
	                 " WHERE id = ?1 AND deleted = 0 RETURNING version",
	[Q_REL_LIST] = "SELECT id, document_id, source_id, target_id, label, author, version,"
	               " created_at, deleted FROM relations WHERE document_id = ?1"
	               " AND (?2 OR deleted = 0) ORDER BY id",
	[Q_EV_INSERT] = "INSERT INTO events(project_id, document_id, kind, object_id, version,"
	                " author, time, annotation, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[Q_EV_LIST] = "SELECT e.seq, p.name, e.document_id, e.kind, e.object_id, e.version, e.author,"
	              " e.time, e.annotation, e.detail FROM events e JOIN projects p ON p.id = e.project_id"
	              " WHERE e.project_id = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3",
	[Q_EV_LIST_ALL] = "SELECT e.seq, p.name, e.document_id, e.kind, e.object_id, e.version, e.author,"
	                  " e.time, e.annotation, e.detail FROM events e JOIN projects p ON p.id = e.project_id"
	                  " WHERE e.seq > ?2 AND ?1 = 0 ORDER BY e.seq LIMIT ?3",
	[Q_EV_LAST] = "SELECT coalesce(max(seq), 0) FROM events",
	[Q_JOB_INSERT] = "INSERT INTO jobs(project_id, state, plugins, total, done, spans, errors,"
	                 " messages, created_at, finished_at) VALUES (?1, 'queued', ?2, ?3, 0, 0, 0, '', ?4, 0)",
	[Q_JOB_UPDATE] = "UPDATE jobs SET state = ?2, done = ?3, spans = ?4, errors = ?5,"
	                 " messages = ?6, finished_at = ?7 WHERE id = ?1",
	[Q_JOB_GET] = "SELECT j.id, p.name, j.state, j.plugins, j.total, j.done, j.spans, j.errors,"
	              " j.messages, j.created_at, j.finished_at FROM jobs j"
	              " JOIN projects p ON p.id = j.project_id WHERE j.id = ?1",
	[Q_JOB_FAIL] = "UPDATE jobs SET state = 'failed', finished_at = ?1,"
	               " messages = messages || 'interrupted by a restart' || char(10)"
	               " WHERE state IN ('queued', 'running')",
};

struct gl_store {
	sqlite3 *db;
	sqlite3_stmt *stmts[Q_COUNT];
	int lock_fd;
	int in_txn;
	int readonly;
};

int64_t
gl_store_now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static int
gl_store_dberr(gl_store *s, gl_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(s->db);
	int code = GL_INTERNAL;
	if (rc == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
		code = GL_UNAVAILABLE;
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		code = GL_DATA_LOSS;
	gl_log(GL_LOG_ERROR, "store", "%s: %s", what, sqlite3_errmsg(s->db));
	return gl_err_set(err, code, "storage error while %s: %s", what,
	    sqlite3_errmsg(s->db));
}

/* The cached statement, reset and with its bindings cleared. */
static sqlite3_stmt *
gl_store_stmt(gl_store *s, enum gl_stmt q, gl_err *err)
{
	sqlite3_stmt *st = s->stmts[q];
	if (st == NULL) {
		if (sqlite3_prepare_v3(s->db, gl_stmt_sql[q], -1,
		        SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			gl_store_dberr(s, err, "preparing a statement");
			return NULL;
		}
		s->stmts[q] = st;
	} else {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return st;
}

static void
gl_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_TRANSIENT);
}

static char *
gl_col_text(gl_arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return gl_arena_strndup(a, t != NULL ? (const char *)t : "",
	    (size_t)sqlite3_column_bytes(st, i));
}

static int
gl_store_exec(gl_store *s, const char *sql, gl_err *err, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return gl_store_dberr(s, err, what);
	return 0;
}

/* Grows an arena array of pointers by doubling. */
static int
gl_store_push(gl_arena *a, void ***v, size_t *n, size_t *cap, void *item)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void **nv = gl_arena_alloc(a, ncap * sizeof(*nv));
		if (nv == NULL)
			return -GL_RESOURCE_EXHAUSTED;
		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = item;
	return 0;
}

/* Builds one result object from the current row; NULL on ENOMEM. */
typedef void *(*gl_store_row_fn)(sqlite3_stmt *st, gl_arena *a);

/* Steps st to the end, collecting one object per row into *out. */
static int
gl_store_collect(gl_store *s, sqlite3_stmt *st, gl_arena *a, gl_store_row_fn fn,
    void ***out, size_t *n, const char *what, gl_err *err)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *x = fn(st, a);
		if (x == NULL || gl_store_push(a, out, n, &cap, x) != 0) {
			sqlite3_reset(st);
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		}
	}
	if (rc != SQLITE_DONE)
		return gl_store_dberr(s, err, what);
	return 0;
}

static int
gl_store_lock(const char *path, int *fd_out, gl_err *err)
{
	char lock[4096];
	snprintf(lock, sizeof(lock), "%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return gl_err_set(err, GL_UNAVAILABLE, "cannot open %s: %s",
		    lock, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
		if (n > 0)
			pid[n] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "database %s is in use by another glossd (pid %s); "
		    "stop it first or choose another --data folder",
		    path, pid[0] ? pid : "unknown");
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		gl_log(GL_LOG_WARN, "store", "cannot write pid to %s", lock);
	*fd_out = fd;
	return 0;
}

static int
gl_store_migrate(gl_store *s, gl_err *err)
{
	int version = gl_store_schema_version(s);
	if (version > (int)GL_STORE_NMIGRATIONS)
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "database schema version %d is newer than this glossd "
		    "knows (%zu): upgrade glossd", version,
		    (size_t)GL_STORE_NMIGRATIONS);
	for (size_t i = (size_t)version; i < GL_STORE_NMIGRATIONS; i++) {
		char pragma[64];
		int rc = gl_store_exec(s, "BEGIN IMMEDIATE", err, "migrating");
		if (rc != 0)
			return rc;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", i + 1);
		if ((rc = gl_store_exec(s, gl_store_migrations[i], err,
		         "applying a migration")) != 0 ||
		    (rc = gl_store_exec(s, pragma, err, "migrating")) != 0 ||
		    (rc = gl_store_exec(s, "COMMIT", err, "migrating")) != 0) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		gl_log(GL_LOG_INFO, "store", "applied migration %zu", i + 1);
	}
	return 0;
}

static int
gl_store_open_common(const char *path, int readonly, gl_store **out, gl_err *err)
{
	gl_store *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	s->lock_fd = -1;
	s->readonly = readonly;
	int rc;
	if (!readonly && (rc = gl_store_lock(path, &s->lock_fd, err)) != 0) {
		free(s);
		return rc;
	}
	int flags = readonly ? SQLITE_OPEN_READONLY
	                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = gl_err_set(err, GL_UNAVAILABLE, "cannot open database %s: %s",
		    path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		gl_store_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (!readonly) {
		/* A file that is not a database fails here, with a clear message. */
		if ((rc = gl_store_exec(s, "PRAGMA journal_mode=WAL", err,
		         "opening the database")) != 0 ||
		    (rc = gl_store_exec(s, "PRAGMA synchronous=FULL", err,
		         "opening the database")) != 0 ||
		    (rc = gl_store_exec(s, "PRAGMA foreign_keys=ON", err,
		         "opening the database")) != 0 ||
		    /* Savepoint journals stay in memory instead of temp files. */
		    (rc = gl_store_exec(s, "PRAGMA temp_store=MEMORY", err,
		         "opening the database")) != 0 ||
		    (rc = gl_store_migrate(s, err)) != 0) {
			/* Say which file: operators run several data folders. */
			char m[sizeof(err->msg)];
			snprintf(m, sizeof(m), "%s", err->msg);
			gl_err_set(err, -rc, "database %s: %s", path, m);
			gl_store_close(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

int
gl_store_open(const char *path, gl_store **out, gl_err *err)
{
	return gl_store_open_common(path, 0, out, err);
}

int
gl_store_open_reader(const char *path, gl_store **out, gl_err *err)
{
	return gl_store_open_common(path, 1, out, err);
}

void
gl_store_close(gl_store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	if (s->db != NULL) {
		if (!s->readonly) {
			if (s->in_txn)
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			sqlite3_wal_checkpoint_v2(s->db, NULL,
			    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		}
		sqlite3_close(s->db);
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s);
}

void
gl_store_idle(gl_store *s)
{
	for (int i = 0; i < Q_COUNT; i++)
		if (s->stmts[i] != NULL && sqlite3_stmt_busy(s->stmts[i]))
			sqlite3_reset(s->stmts[i]);
}

int
gl_store_schema_version(gl_store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* ---- transactions --------------------------------------------------- */

int
gl_store_begin(gl_store *s, gl_err *err)
{
	if (s->in_txn)
		return 0;
	int rc = gl_store_exec(s, "BEGIN IMMEDIATE", err, "starting a transaction");
	if (rc == 0)
		s->in_txn = 1;
	return rc;
}

int
gl_store_commit(gl_store *s, gl_err *err)
{
	if (!s->in_txn)
		return 0;
	int rc = gl_store_exec(s, "COMMIT", err, "committing");
	if (rc != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	s->in_txn = 0;
	return rc;
}

void
gl_store_rollback(gl_store *s)
{
	if (s->in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
}

int
gl_store_in_txn(const gl_store *s)
{
	return s->in_txn;
}

int
gl_store_call_begin(gl_store *s, gl_err *err)
{
	int rc = gl_store_begin(s, err);
	if (rc != 0)
		return rc;
	return gl_store_exec(s, "SAVEPOINT gl_call", err, "starting a call");
}

void
gl_store_call_end(gl_store *s, int ok)
{
	if (!ok)
		sqlite3_exec(s->db, "ROLLBACK TO gl_call", NULL, NULL, NULL);
	sqlite3_exec(s->db, "RELEASE gl_call", NULL, NULL, NULL);
}

/* ---- users and tokens ----------------------------------------------- */

int
gl_store_user_count(gl_store *s, int64_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_USER_COUNT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	if (sqlite3_step(st) != SQLITE_ROW)
		return gl_store_dberr(s, err, "counting users");
	*n = sqlite3_column_int64(st, 0);
	return 0;
}

int
gl_store_user_create(gl_store *s, const char *name, const char *role,
    int64_t *id, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_USER_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, name);
	gl_bind_text(st, 2, role);
	sqlite3_bind_int64(st, 3, gl_store_now_ms());
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT)
		return gl_err_set(err, GL_ALREADY_EXISTS,
		    "user \"%s\" already exists", name);
	if (rc != SQLITE_DONE)
		return gl_store_dberr(s, err, "creating a user");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
gl_store_token_add(gl_store *s, int64_t user_id, const char *token_hash,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_TOKEN_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, user_id);
	gl_bind_text(st, 2, token_hash);
	sqlite3_bind_int64(st, 3, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "storing a token");
	return 0;
}

int
gl_store_token_lookup(gl_store *s, const char *token_hash, gl_user *out,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_TOKEN_LOOKUP, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, token_hash);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "unknown or revoked token");
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "checking a token");
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof(out->name), "%s",
	    (const char *)sqlite3_column_text(st, 1));
	snprintf(out->role, sizeof(out->role), "%s",
	    (const char *)sqlite3_column_text(st, 2));
	return 0;
}

int
gl_store_member_role(gl_store *s, int64_t project_id, int64_t user_id,
    char role[16], gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_MEMBER_ROLE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "not a member");
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a membership");
	snprintf(role, 16, "%s", (const char *)sqlite3_column_text(st, 0));
	return 0;
}

int
gl_store_user_get(gl_store *s, const char *name, gl_user *out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_USER_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no user named \"%s\"", name);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a user");
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(out->role, sizeof(out->role), "%s", (const char *)sqlite3_column_text(st, 2));
	return 0;
}

static void *
gl_store_row_user(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__User *u = gl_pb_new(a, &gloss__v1__user__descriptor);
	if (u == NULL)
		return NULL;
	u->id = sqlite3_column_int64(st, 0);
	u->name = gl_col_text(a, st, 1);
	u->role = gl_col_text(a, st, 2);
	u->created_at = sqlite3_column_int64(st, 3);
	u->tokens = sqlite3_column_int64(st, 4);
	return u;
}

int
gl_store_user_list(gl_store *s, gl_arena *a, Gloss__V1__User ***out, size_t *n,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_USER_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	return gl_store_collect(s, st, a, gl_store_row_user, (void ***)out, n,
	    "listing users", err);
}

int
gl_store_token_add_id(gl_store *s, int64_t user_id, const char *token_hash,
    int64_t *token_id, gl_err *err)
{
	int rc = gl_store_token_add(s, user_id, token_hash, err);
	if (rc == 0)
		*token_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
gl_store_token_revoke(gl_store *s, int64_t user_id, int64_t token_id,
    int64_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, token_id ? Q_TOKEN_REVOKE_ONE
	                                             : Q_TOKEN_REVOKE_ALL, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, token_id);
	sqlite3_bind_int64(st, 3, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "revoking tokens");
	*n = sqlite3_changes(s->db);
	return 0;
}

int
gl_store_member_set(gl_store *s, int64_t project_id, int64_t user_id,
    const char *role, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_MEMBER_SET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, user_id);
	gl_bind_text(st, 3, role);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "adding a member");
	return 0;
}

int
gl_store_member_remove(gl_store *s, int64_t project_id, int64_t user_id,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_MEMBER_REMOVE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "removing a member");
	if (sqlite3_changes(s->db) == 0)
		return gl_err_set(err, GL_NOT_FOUND, "not a member of the project");
	return 0;
}

static void *
gl_store_row_member(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__Member *m = gl_pb_new(a, &gloss__v1__member__descriptor);
	if (m == NULL)
		return NULL;
	m->user = gl_col_text(a, st, 0);
	m->role = gl_col_text(a, st, 1);
	return m;
}

int
gl_store_member_list(gl_store *s, int64_t project_id, gl_arena *a,
    Gloss__V1__Member ***out, size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_MEMBER_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	return gl_store_collect(s, st, a, gl_store_row_member, (void ***)out, n,
	    "listing members", err);
}

/* ---- idempotent writes ---------------------------------------------- */

int
gl_store_request_get(gl_store *s, const char *request_id, const char *method,
    gl_arena *a, int *code, uint8_t **resp, size_t *resp_len, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REQ_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, request_id);
	gl_bind_text(st, 2, method);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return -GL_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "looking up a request id");
	*code = sqlite3_column_int(st, 0);
	size_t n = (size_t)sqlite3_column_bytes(st, 1);
	*resp = gl_arena_alloc(a, n ? n : 1);
	if (*resp == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (n)
		memcpy(*resp, sqlite3_column_blob(st, 1), n);
	*resp_len = n;
	return 0;
}

int
gl_store_request_put(gl_store *s, const char *request_id, const char *method,
    int code, const uint8_t *resp, size_t resp_len, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REQ_PUT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, request_id);
	gl_bind_text(st, 2, method);
	sqlite3_bind_int(st, 3, code);
	sqlite3_bind_blob(st, 4, resp_len ? (const void *)resp : "", (int)resp_len,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "recording a request id");
	return 0;
}

int
gl_store_request_prune(gl_store *s, int64_t older_than_ms, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REQ_PRUNE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, older_than_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "pruning request ids");
	return 0;
}

/* ---- projects ------------------------------------------------------- */

static int
gl_store_split_csv(gl_arena *a, const char *csv, char ***out, size_t *n)
{
	size_t cnt = 0, cap = 0;
	char **v = NULL;
	for (const char *p = csv; p != NULL && *p != '\0';) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len > 0) {
			if (cnt == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				char **nv = gl_arena_alloc(a, ncap * sizeof(*nv));
				if (nv == NULL)
					return -GL_RESOURCE_EXHAUSTED;
				if (cnt)
					memcpy(nv, v, cnt * sizeof(*nv));
				v = nv;
				cap = ncap;
			}
			v[cnt++] = gl_arena_strndup(a, p, len);
		}
		p = e ? e + 1 : NULL;
	}
	*out = v;
	*n = cnt;
	return 0;
}

static char *
gl_store_join_csv(gl_arena *a, char **v, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *out = gl_arena_alloc(a, len);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, v[i]);
	}
	return out;
}

static int
gl_store_row_project(gl_store *s, sqlite3_stmt *st, gl_arena *a,
    Gloss__V1__Project **out, gl_err *err)
{
	(void)s;
	Gloss__V1__Project *p = gl_pb_new(a, &gloss__v1__project__descriptor);
	if (p == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	p->id = sqlite3_column_int64(st, 0);
	p->name = gl_col_text(a, st, 1);
	p->mode = gl_col_text(a, st, 2);
	ProtobufCAllocator alloc;
	gl_pb_allocator(a, &alloc);
	p->schema = gloss__v1__label_schema__unpack(&alloc,
	    (size_t)sqlite3_column_bytes(st, 3), sqlite3_column_blob(st, 3));
	if (p->schema == NULL)
		return gl_err_set(err, GL_DATA_LOSS,
		    "stored schema of project %s is unreadable", p->name);
	if (gl_store_split_csv(a, (const char *)sqlite3_column_text(st, 4),
	        &p->auto_plugins, &p->n_auto_plugins) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	p->created_at = sqlite3_column_int64(st, 5);
	*out = p;
	return 0;
}

int
gl_store_project_count(gl_store *s, Gloss__V1__Project *p, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_COUNT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, p->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return gl_store_dberr(s, err, "counting documents");
	p->document_count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int
gl_store_project_one(gl_store *s, sqlite3_stmt *st, gl_arena *a,
    Gloss__V1__Project **out, const char *what, gl_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no project %s", what);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a project");
	return gl_store_row_project(s, st, a, out, err);
}

int
gl_store_project_create(gl_store *s, const Gloss__V1__CreateProjectRequest *in,
    gl_arena *a, Gloss__V1__Project **out, gl_err *err)
{
	Gloss__V1__LabelSchema empty = GLOSS__V1__LABEL_SCHEMA__INIT;
	size_t len;
	uint8_t *blob = gl_pb_pack(a, (const ProtobufCMessage *)(in->schema ? in->schema : &empty), &len);
	char *csv = gl_store_join_csv(a, in->auto_plugins, in->n_auto_plugins);
	if (blob == NULL || csv == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, in->name);
	gl_bind_text(st, 2, in->mode);
	sqlite3_bind_blob(st, 3, len ? (const void *)blob : "", (int)len, SQLITE_TRANSIENT);
	gl_bind_text(st, 4, csv);
	sqlite3_bind_int64(st, 5, gl_store_now_ms());
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT)
		return gl_err_set(err, GL_ALREADY_EXISTS,
		    "project \"%s\" already exists", in->name);
	if (rc != SQLITE_DONE)
		return gl_store_dberr(s, err, "creating a project");
	return gl_store_project_by_id(s, sqlite3_last_insert_rowid(s->db), a, out, err);
}

int
gl_store_project_get(gl_store *s, const char *name, gl_arena *a,
    Gloss__V1__Project **out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, name);
	char what[160];
	snprintf(what, sizeof(what), "named \"%s\"", name);
	return gl_store_project_one(s, st, a, out, what, err);
}

int
gl_store_project_by_id(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Project **out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_BY_ID, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	char what[64];
	snprintf(what, sizeof(what), "with id %lld", (long long)id);
	return gl_store_project_one(s, st, a, out, what, err);
}

int
gl_store_project_list(gl_store *s, gl_arena *a, Gloss__V1__Project ***out,
    size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		Gloss__V1__Project *p;
		int r = gl_store_row_project(s, st, a, &p, err);
		if (r != 0)
			return r;
		if (gl_store_push(a, (void ***)out, n, &cap, p) != 0)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (rc != SQLITE_DONE)
		return gl_store_dberr(s, err, "listing projects");
	return 0;
}

int
gl_store_project_update(gl_store *s, const Gloss__V1__UpdateProjectRequest *in,
    gl_arena *a, Gloss__V1__Project **out, gl_err *err)
{
	Gloss__V1__Project *cur;
	int rc = gl_store_project_get(s, in->name, a, &cur, err);
	if (rc != 0)
		return rc;
	Gloss__V1__LabelSchema empty = GLOSS__V1__LABEL_SCHEMA__INIT;
	size_t len;
	uint8_t *blob = gl_pb_pack(a, (const ProtobufCMessage *)(in->schema ? in->schema : &empty), &len);
	char *csv = in->set_auto_plugins
	    ? gl_store_join_csv(a, in->auto_plugins, in->n_auto_plugins)
	    : gl_store_join_csv(a, cur->auto_plugins, cur->n_auto_plugins);
	if (blob == NULL || csv == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	sqlite3_stmt *st = gl_store_stmt(s, Q_PRJ_UPDATE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	gl_bind_text(st, 1, in->name);
	sqlite3_bind_blob(st, 2, len ? (const void *)blob : "", (int)len, SQLITE_TRANSIENT);
	gl_bind_text(st, 3, csv);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "updating a project");
	return gl_store_project_by_id(s, cur->id, a, out, err);
}

/* ---- documents ------------------------------------------------------ */

int
gl_store_document_add(gl_store *s, int64_t project_id,
    const Gloss__V1__DocumentInput *in, const char *text, size_t text_len,
    int64_t cp_len, const char *sha256, int64_t *id, int *duplicate,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_FIND_SHA, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	gl_bind_text(st, 2, sha256);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*duplicate = 1;
		return 0;
	}
	if (rc != SQLITE_DONE)
		return gl_store_dberr(s, err, "looking for a duplicate");
	*duplicate = 0;
	st = gl_store_stmt(s, Q_DOC_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	gl_bind_text(st, 2, in->title);
	gl_bind_text(st, 3, in->source);
	gl_bind_text(st, 4, in->url);
	gl_bind_text(st, 5, in->published);
	gl_bind_text(st, 6, in->lang);
	sqlite3_bind_text(st, 7, text, (int)text_len, SQLITE_STATIC);
	gl_bind_text(st, 8, sha256);
	gl_bind_text(st, 9, in->metadata && in->metadata[0] ? in->metadata : "{}");
	sqlite3_bind_int64(st, 10, cp_len);
	sqlite3_bind_int64(st, 11, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "storing a document");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void *
gl_store_row_document(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__Document *d = gl_pb_new(a, &gloss__v1__document__descriptor);
	if (d == NULL)
		return NULL;
	d->id = sqlite3_column_int64(st, 0);
	d->project = gl_col_text(a, st, 1);
	d->title = gl_col_text(a, st, 2);
	d->source = gl_col_text(a, st, 3);
	d->url = gl_col_text(a, st, 4);
	d->published = gl_col_text(a, st, 5);
	d->lang = gl_col_text(a, st, 6);
	d->sha256 = gl_col_text(a, st, 7);
	d->metadata = gl_col_text(a, st, 8);
	d->length = sqlite3_column_int64(st, 9);
	d->created_at = sqlite3_column_int64(st, 10);
	d->text = (char *)"";
	return d;
}

int
gl_store_document_get(gl_store *s, int64_t id, int with_text, gl_arena *a,
    Gloss__V1__Document **out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no document with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a document");
	Gloss__V1__Document *d = gl_store_row_document(st, a);
	if (d == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (with_text) {
		st = gl_store_stmt(s, Q_DOC_TEXT, err);
		if (st == NULL)
			return -GL_INTERNAL;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_ROW)
			return gl_store_dberr(s, err, "reading a document's text");
		d->text = gl_col_text(a, st, 0);
		if (d->text == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	*out = d;
	return 0;
}

int
gl_store_document_list(gl_store *s, int64_t project_id, int64_t after_id,
    uint32_t limit, gl_arena *a, Gloss__V1__Document ***out, size_t *n,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int64(st, 3, limit);
	return gl_store_collect(s, st, a, gl_store_row_document, (void ***)out, n,
	    "listing documents", err);
}

int
gl_store_document_ids(gl_store *s, int64_t project_id, int64_t **ids,
    size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_IDS, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	size_t cnt = 0, cap = 0;
	int64_t *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			int64_t *nv = realloc(v, ncap * sizeof(*nv));
			if (nv == NULL) {
				free(v);
				return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[cnt++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		free(v);
		return gl_store_dberr(s, err, "listing document ids");
	}
	*ids = v;
	*n = cnt;
	return 0;
}

static void *
gl_store_row_hit(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__SearchHit *h = gl_pb_new(a, &gloss__v1__search_hit__descriptor);
	if (h == NULL)
		return NULL;
	h->id = sqlite3_column_int64(st, 0);
	h->title = gl_col_text(a, st, 1);
	h->snippet = gl_col_text(a, st, 2);
	h->rank = sqlite3_column_double(st, 3);
	return h;
}

int
gl_store_document_search(gl_store *s, int64_t project_id, const char *query,
    uint32_t limit, gl_arena *a, Gloss__V1__SearchHit ***out, size_t *n,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_SEARCH, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	gl_bind_text(st, 2, query);
	sqlite3_bind_int64(st, 3, limit);
	int rc = gl_store_collect(s, st, a, gl_store_row_hit, (void ***)out, n,
	    "searching", err);
	/* FTS5 reports a malformed query as an error at step time. */
	if (rc != 0 && rc != -GL_RESOURCE_EXHAUSTED)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "bad search query \"%.200s\": %s", query, sqlite3_errmsg(s->db));
	return rc;
}

int
gl_store_document_delete(gl_store *s, int64_t id, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_DELETE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "deleting a document");
	if (sqlite3_changes(s->db) == 0)
		return gl_err_set(err, GL_NOT_FOUND, "no document with id %lld",
		    (long long)id);
	return 0;
}

int
gl_store_document_project(gl_store *s, int64_t id, int64_t *project_id,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_DOC_PROJECT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no document with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a document");
	*project_id = sqlite3_column_int64(st, 0);
	return 0;
}

/* ---- annotations ---------------------------------------------------- */

static void *
gl_store_row_annotation(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__Annotation *x = gl_pb_new(a, &gloss__v1__annotation__descriptor);
	if (x == NULL)
		return NULL;
	x->id = sqlite3_column_int64(st, 0);
	x->document_id = sqlite3_column_int64(st, 1);
	x->layer = gl_col_text(a, st, 2);
	x->label = gl_col_text(a, st, 3);
	x->start = sqlite3_column_int64(st, 4);
	x->end = sqlite3_column_int64(st, 5);
	x->quote = gl_col_text(a, st, 6);
	x->value = gl_col_text(a, st, 7);
	x->attributes = gl_col_text(a, st, 8);
	x->has_score = sqlite3_column_type(st, 9) != SQLITE_NULL;
	x->score = x->has_score ? sqlite3_column_double(st, 9) : 0.0;
	x->author = gl_col_text(a, st, 10);
	x->status = gl_col_text(a, st, 11);
	x->version = sqlite3_column_int64(st, 12);
	x->created_at = sqlite3_column_int64(st, 13);
	x->updated_at = sqlite3_column_int64(st, 14);
	x->deleted = sqlite3_column_int(st, 15) != 0;
	return x;
}

int
gl_store_annotation_add(gl_store *s, Gloss__V1__Annotation *x, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_ANN_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	int64_t now = gl_store_now_ms();
	sqlite3_bind_int64(st, 1, x->document_id);
	gl_bind_text(st, 2, x->layer);
	gl_bind_text(st, 3, x->label);
	sqlite3_bind_int64(st, 4, x->start);
	sqlite3_bind_int64(st, 5, x->end);
	gl_bind_text(st, 6, x->quote);
	gl_bind_text(st, 7, x->value);
	gl_bind_text(st, 8, x->attributes && x->attributes[0] ? x->attributes : "{}");
	if (x->has_score)
		sqlite3_bind_double(st, 9, x->score);
	else
		sqlite3_bind_null(st, 9);
	gl_bind_text(st, 10, x->author);
	gl_bind_text(st, 11, x->status);
	sqlite3_bind_int64(st, 12, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "storing an annotation");
	x->id = sqlite3_last_insert_rowid(s->db);
	x->version = 1;
	x->created_at = x->updated_at = now;
	x->deleted = 0;
	return 0;
}

int
gl_store_annotation_get(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Annotation **out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_ANN_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no annotation with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading an annotation");
	*out = gl_store_row_annotation(st, a);
	if (*out == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	return 0;
}

int
gl_store_annotation_put(gl_store *s, const Gloss__V1__Annotation *x, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_ANN_PUT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, x->id);
	gl_bind_text(st, 2, x->label);
	sqlite3_bind_int64(st, 3, x->start);
	sqlite3_bind_int64(st, 4, x->end);
	gl_bind_text(st, 5, x->quote);
	gl_bind_text(st, 6, x->value);
	gl_bind_text(st, 7, x->attributes && x->attributes[0] ? x->attributes : "{}");
	if (x->has_score)
		sqlite3_bind_double(st, 8, x->score);
	else
		sqlite3_bind_null(st, 8);
	gl_bind_text(st, 9, x->status);
	sqlite3_bind_int64(st, 10, x->version);
	sqlite3_bind_int64(st, 11, x->updated_at);
	sqlite3_bind_int(st, 12, x->deleted ? 1 : 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "updating an annotation");
	if (sqlite3_changes(s->db) == 0)
		return gl_err_set(err, GL_ABORTED,
		    "annotation %lld changed meanwhile", (long long)x->id);
	return 0;
}

static int
gl_store_annotation_rows(gl_store *s, sqlite3_stmt *st, gl_arena *a,
    Gloss__V1__Annotation ***out, size_t *n, gl_err *err)
{
	return gl_store_collect(s, st, a, gl_store_row_annotation, (void ***)out,
	    n, "listing annotations", err);
}

int
gl_store_annotation_list(gl_store *s, const Gloss__V1__ListAnnotationsRequest *f,
    gl_arena *a, Gloss__V1__Annotation ***out, size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_ANN_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, f->document_id);
	gl_bind_text(st, 2, f->layer);
	gl_bind_text(st, 3, f->label);
	gl_bind_text(st, 4, f->author);
	gl_bind_text(st, 5, f->status);
	sqlite3_bind_int(st, 6, f->include_deleted ? 1 : 0);
	return gl_store_annotation_rows(s, st, a, out, n, err);
}

int
gl_store_annotation_drop_suggestions(gl_store *s, int64_t document_id,
    const char *author, gl_arena *a, Gloss__V1__Annotation ***out, size_t *n,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_ANN_SUGGESTIONS, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, document_id);
	gl_bind_text(st, 2, author);
	int rc = gl_store_annotation_rows(s, st, a, out, n, err);
	if (rc != 0 || *n == 0)
		return rc;
	int64_t now = gl_store_now_ms();
	st = gl_store_stmt(s, Q_ANN_DROP, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, document_id);
	gl_bind_text(st, 2, author);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "replacing suggestions");
	for (size_t i = 0; i < *n; i++) {
		(*out)[i]->deleted = 1;
		(*out)[i]->version++;
		(*out)[i]->updated_at = now;
	}
	return 0;
}

/* ---- relations ------------------------------------------------------ */

static void *
gl_store_row_relation(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__Relation *r = gl_pb_new(a, &gloss__v1__relation__descriptor);
	if (r == NULL)
		return NULL;
	r->id = sqlite3_column_int64(st, 0);
	r->document_id = sqlite3_column_int64(st, 1);
	r->source_id = sqlite3_column_int64(st, 2);
	r->target_id = sqlite3_column_int64(st, 3);
	r->label = gl_col_text(a, st, 4);
	r->author = gl_col_text(a, st, 5);
	r->version = sqlite3_column_int64(st, 6);
	r->created_at = sqlite3_column_int64(st, 7);
	r->deleted = sqlite3_column_int(st, 8) != 0;
	return r;
}

int
gl_store_relation_add(gl_store *s, Gloss__V1__Relation *r, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REL_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	int64_t now = gl_store_now_ms();
	sqlite3_bind_int64(st, 1, r->document_id);
	sqlite3_bind_int64(st, 2, r->source_id);
	sqlite3_bind_int64(st, 3, r->target_id);
	gl_bind_text(st, 4, r->label);
	gl_bind_text(st, 5, r->author);
	sqlite3_bind_int64(st, 6, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "storing a relation");
	r->id = sqlite3_last_insert_rowid(s->db);
	r->version = 1;
	r->created_at = now;
	return 0;
}

int
gl_store_relation_get(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Relation **out, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REL_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no relation with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a relation");
	*out = gl_store_row_relation(st, a);
	return *out ? 0 : gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
}

int
gl_store_relation_delete(gl_store *s, int64_t id, int64_t *version, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REL_DELETE, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no live relation with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "deleting a relation");
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
gl_store_relation_list(gl_store *s, int64_t document_id, int include_deleted,
    gl_arena *a, Gloss__V1__Relation ***out, size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_REL_LIST, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, document_id);
	sqlite3_bind_int(st, 2, include_deleted ? 1 : 0);
	return gl_store_collect(s, st, a, gl_store_row_relation, (void ***)out, n,
	    "listing relations", err);
}

/* ---- events --------------------------------------------------------- */

int
gl_store_event_append(gl_store *s, int64_t project_id, Gloss__V1__Event *ev,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_EV_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	ev->time = gl_store_now_ms();
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, ev->document_id);
	gl_bind_text(st, 3, ev->kind);
	sqlite3_bind_int64(st, 4, ev->object_id);
	sqlite3_bind_int64(st, 5, ev->version);
	gl_bind_text(st, 6, ev->author);
	sqlite3_bind_int64(st, 7, ev->time);
	uint8_t *blob = NULL;
	size_t len = 0;
	if (ev->annotation != NULL) {
		len = protobuf_c_message_get_packed_size(&ev->annotation->base);
		blob = malloc(len ? len : 1);
		if (blob == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		protobuf_c_message_pack(&ev->annotation->base, blob);
		sqlite3_bind_blob(st, 8, blob, (int)len, free);
	} else {
		sqlite3_bind_null(st, 8);
	}
	gl_bind_text(st, 9, ev->detail && ev->detail[0] ? ev->detail : "{}");
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "appending an event");
	ev->seq = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void *
gl_store_row_event(sqlite3_stmt *st, gl_arena *a)
{
	Gloss__V1__Event *e = gl_pb_new(a, &gloss__v1__event__descriptor);
	if (e == NULL)
		return NULL;
	e->seq = sqlite3_column_int64(st, 0);
	e->project = gl_col_text(a, st, 1);
	e->document_id = sqlite3_column_int64(st, 2);
	e->kind = gl_col_text(a, st, 3);
	e->object_id = sqlite3_column_int64(st, 4);
	e->version = sqlite3_column_int64(st, 5);
	e->author = gl_col_text(a, st, 6);
	e->time = sqlite3_column_int64(st, 7);
	if (sqlite3_column_type(st, 8) == SQLITE_BLOB) {
		ProtobufCAllocator alloc;
		gl_pb_allocator(a, &alloc);
		e->annotation = gloss__v1__annotation__unpack(&alloc,
		    (size_t)sqlite3_column_bytes(st, 8), sqlite3_column_blob(st, 8));
	}
	e->detail = gl_col_text(a, st, 9);
	return e;
}

static int
gl_store_event_rows(gl_store *s, sqlite3_stmt *st, gl_arena *a,
    Gloss__V1__Event ***out, size_t *n, gl_err *err)
{
	return gl_store_collect(s, st, a, gl_store_row_event, (void ***)out, n,
	    "reading events", err);
}

int
gl_store_event_list(gl_store *s, int64_t project_id, int64_t since,
    uint32_t limit, gl_arena *a, Gloss__V1__Event ***out, size_t *n,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, project_id ? Q_EV_LIST : Q_EV_LIST_ALL, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, limit);
	return gl_store_event_rows(s, st, a, out, n, err);
}

int
gl_store_event_history(gl_store *s, int64_t annotation_id, gl_arena *a,
    Gloss__V1__Event ***out, size_t *n, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_EV_HISTORY, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, annotation_id);
	return gl_store_event_rows(s, st, a, out, n, err);
}

int64_t
gl_store_event_last_seq(gl_store *s)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_EV_LAST, NULL);
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
		return 0;
	return sqlite3_column_int64(st, 0);
}

/* ---- jobs ----------------------------------------------------------- */

int
gl_store_job_create(gl_store *s, int64_t project_id, const char *plugins_csv,
    int64_t total, int64_t *id, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_JOB_INSERT, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, project_id);
	gl_bind_text(st, 2, plugins_csv);
	sqlite3_bind_int64(st, 3, total);
	sqlite3_bind_int64(st, 4, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "creating a job");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
gl_store_job_update(gl_store *s, const Gloss__V1__Job *job, gl_err *err)
{
	gl_arena a;
	gl_arena_init(&a, 0);
	size_t len = 1;
	for (size_t i = 0; i < job->n_error_messages; i++)
		len += strlen(job->error_messages[i]) + 1;
	char *msgs = gl_arena_alloc(&a, len);
	if (msgs == NULL) {
		gl_arena_reset(&a);
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	msgs[0] = '\0';
	for (size_t i = 0; i < job->n_error_messages; i++) {
		strcat(msgs, job->error_messages[i]);
		strcat(msgs, "\n");
	}
	sqlite3_stmt *st = gl_store_stmt(s, Q_JOB_UPDATE, err);
	int rc = 0;
	if (st == NULL) {
		rc = -GL_INTERNAL;
	} else {
		sqlite3_bind_int64(st, 1, job->id);
		gl_bind_text(st, 2, job->state);
		sqlite3_bind_int64(st, 3, job->documents_done);
		sqlite3_bind_int64(st, 4, job->spans);
		sqlite3_bind_int64(st, 5, job->errors);
		gl_bind_text(st, 6, msgs);
		sqlite3_bind_int64(st, 7, job->finished_at);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = gl_store_dberr(s, err, "updating a job");
	}
	gl_arena_reset(&a);
	return rc;
}

static int
gl_store_split_lines(gl_arena *a, const char *text, char ***out, size_t *n)
{
	size_t cnt = 0, cap = 0;
	char **v = NULL;
	for (const char *p = text; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len && gl_store_push(a, (void ***)&v, &cnt, &cap,
		               gl_arena_strndup(a, p, len)) != 0)
			return -GL_RESOURCE_EXHAUSTED;
		p = e ? e + 1 : NULL;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int
gl_store_job_get(gl_store *s, int64_t id, gl_arena *a, Gloss__V1__Job **out,
    gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_JOB_GET, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return gl_err_set(err, GL_NOT_FOUND, "no job with id %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return gl_store_dberr(s, err, "reading a job");
	Gloss__V1__Job *j = gl_pb_new(a, &gloss__v1__job__descriptor);
	if (j == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	j->id = sqlite3_column_int64(st, 0);
	j->project = gl_col_text(a, st, 1);
	j->state = gl_col_text(a, st, 2);
	if (gl_store_split_csv(a, (const char *)sqlite3_column_text(st, 3),
	        &j->plugins, &j->n_plugins) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	j->documents_total = sqlite3_column_int64(st, 4);
	j->documents_done = sqlite3_column_int64(st, 5);
	j->spans = sqlite3_column_int64(st, 6);
	j->errors = sqlite3_column_int64(st, 7);
	if (gl_store_split_lines(a, (const char *)sqlite3_column_text(st, 8),
	        &j->error_messages, &j->n_error_messages) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	j->created_at = sqlite3_column_int64(st, 9);
	j->finished_at = sqlite3_column_int64(st, 10);
	*out = j;
	return 0;
}

int
gl_store_job_fail_interrupted(gl_store *s, gl_err *err)
{
	sqlite3_stmt *st = gl_store_stmt(s, Q_JOB_FAIL, err);
	if (st == NULL)
		return -GL_INTERNAL;
	sqlite3_bind_int64(st, 1, gl_store_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		return gl_store_dberr(s, err, "closing interrupted jobs");
	return 0;
}
