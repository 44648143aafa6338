/*
 * bench_util.h - what the core benchmarks share: clocks, percentiles, a
 * glossd child process on a temporary data folder, RSS, and a generator of
 * news-like text.
 *
 * Benchmarks print figures and never assert on time; helpers here only
 * fail (with a message on stderr) when the thing measured cannot run.
 */
#ifndef GL_BENCH_UTIL_H
#define GL_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gloss/client.h"

/* Monotonic clock. */
uint64_t gl_bench_now_ns(void);
double gl_bench_now_s(void);

/* The p-th percentile (0..100) of v[0..n); sorts v in place. */
double gl_bench_pct(double *v, size_t n, double p);

/* 1 when "--quick" is among the arguments. */
int gl_bench_quick(int argc, char **argv);

/* Formats n with a unit suffix fit for a figure ("45.1k", "1.20M"). */
const char *gl_bench_fmt_rate(double n, char *buf, size_t len);

/*
 * The parent folder of temporary data folders: $GLOSS_BENCH_DIR, else
 * $TMPDIR, else /tmp.  It should be on the disk glossd would use, since
 * synchronous=FULL makes every commit an fsync.
 */
const char *gl_bench_tmp_parent(void);

/*
 * mkdtemp() under gl_bench_tmp_parent() into out (len bytes).
 * 0 or -1 with a message on stderr.
 */
int gl_bench_mkdtemp(const char *tag, char *out, size_t len);

/* rm -rf of a folder this process created; best effort. */
void gl_bench_rmtree(const char *dir);

/* Describes the file system of path ("ext4", "tmpfs", ...) into out. */
void gl_bench_fs_type(const char *path, char *out, size_t len);

/* A loopback TCP port that was free a moment ago. */
int gl_bench_free_port(void);

/* VmRSS / VmHWM of pid in KiB, or -1. */
long gl_bench_rss_kb(pid_t pid);
long gl_bench_hwm_kb(pid_t pid);

/* Bytes of the regular files under dir (the database, its WAL, ...). */
long long gl_bench_dir_bytes(const char *dir);

/* A glossd child listening on ipc://DIR/s.sock and tcp://127.0.0.1:PORT. */
typedef struct gl_bench_daemon {
	pid_t pid;
	char dir[512];       /* its data folder; removed by stop unless keep */
	char ipc_url[600];
	char tcp_url[64];
	char log[600];       /* its stderr/stdout */
	const char *token;
	int keep;            /* 1: stop leaves dir in place */
} gl_bench_daemon;

#define GL_BENCH_TOKEN "bench-admin-token-0123456789abcdef"

/* The glossd binary: $GLOSSD, else the one of this build tree. */
const char *gl_bench_glossd_path(void);
/* The plugin folder: $GLOSS_BENCH_PLUGINS, else build/plugins of this tree. */
const char *gl_bench_plugins_dir(void);

/*
 * Starts glossd on data folder dir (created with gl_bench_mkdtemp when dir
 * is NULL) with the extra arguments extra[] (NULL-terminated, may be NULL),
 * and waits until Health/Check answers on both URLs.  0 or -1 with the
 * reason and the tail of glossd's log on stderr.
 */
int gl_bench_daemon_start(gl_bench_daemon *d, const char *dir,
    const char *const *extra);
/* SIGTERM, wait (SIGKILL after 10 s), and remove the folder unless keep. */
void gl_bench_daemon_stop(gl_bench_daemon *d);

/* A client of d on url with the admin token; exits on failure. */
gloss_client *gl_bench_connect(const char *url);

/* Creates project name (mode shared); 0 or -1 with a message. */
int gl_bench_project(gloss_client *c, const char *name);

/* Deterministic PRNG (splitmix64). */
typedef struct gl_bench_rng {
	uint64_t s;
} gl_bench_rng;
uint64_t gl_bench_rand(gl_bench_rng *r);
/* Uniform in [0, n). */
uint32_t gl_bench_randn(gl_bench_rng *r, uint32_t n);

/*
 * Generates about `bytes` bytes of news-like English text (sentences of
 * a political-news vocabulary in paragraphs; some words the example
 * plugin's word list knows, some accented names).  Returns a malloc'ed,
 * NUL-terminated string (caller frees) whose length is stored in *len.
 */
char *gl_bench_gen_text(gl_bench_rng *r, size_t bytes, size_t *len);

/*
 * Imports n generated documents of about doc_bytes each into project in
 * calls of `batch`; *text_bytes receives the UTF-8 bytes sent as text, and
 * ids (if not NULL, n entries) the document ids.  0 or -1.
 */
int gl_bench_import(gloss_client *c, const char *project, uint64_t seed,
    size_t n, size_t doc_bytes, size_t batch, long long *text_bytes,
    int64_t *ids);

/*
 * The baselines' SQLite schema: the shape of daemon/store.c's documents,
 * annotations and events tables (same columns and indexes as migration 1;
 * documents trimmed to what a foreign key needs).  Keep it in step with
 * store.c when that schema changes.
 */
#define GL_BENCH_SCHEMA_SQL                                                  \
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"                  \
	"PRAGMA foreign_keys=ON;"                                            \
	"CREATE TABLE documents(id INTEGER PRIMARY KEY,"                     \
	"  project_id INTEGER NOT NULL, title TEXT NOT NULL,"                \
	"  text TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"         \
	"CREATE TABLE annotations("                                          \
	"  id INTEGER PRIMARY KEY,"                                          \
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"           \
	"  layer TEXT NOT NULL, label TEXT NOT NULL, start INTEGER NOT NULL,"\
	"  end INTEGER NOT NULL, quote TEXT NOT NULL, value TEXT NOT NULL,"  \
	"  attributes TEXT NOT NULL, score REAL, author TEXT NOT NULL,"      \
	"  status TEXT NOT NULL, version INTEGER NOT NULL,"                  \
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"        \
	"  deleted INTEGER NOT NULL DEFAULT 0);"                             \
	"CREATE INDEX annotations_doc ON annotations(document_id, layer, start);" \
	"CREATE INDEX annotations_author ON annotations(document_id, author)"\
	"  WHERE deleted = 0;"                                               \
	"CREATE TABLE events("                                               \
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL,"\
	"  document_id INTEGER NOT NULL, kind TEXT NOT NULL,"                \
	"  object_id INTEGER NOT NULL, version INTEGER NOT NULL,"            \
	"  author TEXT NOT NULL, time INTEGER NOT NULL, annotation BLOB,"    \
	"  detail TEXT NOT NULL);"                                           \
	"CREATE INDEX events_project ON events(project_id, seq);"            \
	"CREATE INDEX events_object ON events(object_id, kind);"

/* Unix milliseconds, as glossd stamps rows. */
int64_t gl_bench_unix_ms(void);

/* Prints "what failed: <code> <message>" to stderr; returns -1. */
int gl_bench_fail(const char *what, int rc);

#endif /* GL_BENCH_UTIL_H */
