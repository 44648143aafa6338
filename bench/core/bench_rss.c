/*
 * bench_rss.c - glossd's resident memory: VmRSS idle after start, and after
 * importing 10k generated news-like documents of ~3 KB each (in calls of
 * 100, in ten timed slices), printed beside the raw size of the imported text and the database
 * size on disk.  VmHWM (the peak) shows what the import itself needed.
 *
 * Usage: bench_rss [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_util.h"

static void
rss_line(const char *what, pid_t pid)
{
	printf("rss  %-22s VmRSS %7.1f MiB  VmHWM %7.1f MiB\n", what,
	    (double)gl_bench_rss_kb(pid) / 1024.0, (double)gl_bench_hwm_kb(pid) / 1024.0);
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	size_t ndocs = quick ? 2000 : 10000;

	gl_bench_daemon d;
	if (gl_bench_daemon_start(&d, NULL, NULL) != 0)
		return 1;
	usleep(300000);
	long idle = gl_bench_rss_kb(d.pid);
	rss_line("idle after start", d.pid);
	gloss_client *c = gl_bench_connect(d.ipc_url);
	if (gl_bench_project(c, "bench") != 0)
		goto fail;
	/*
	 * Ten slices, each timed: an import that slows down as the project
	 * grows shows up as a falling rate from the first slice to the last.
	 */
	long long text_bytes = 0;
	double t0 = gl_bench_now_s(), first = 0, last = 0;
	for (int k = 0; k < 10; k++) {
		long long b = 0;
		double s0 = gl_bench_now_s();
		if (gl_bench_import(c, "bench", 11 + (uint64_t)k * 1000003u, ndocs / 10,
		        3000, 100, &b, NULL) != 0)
			goto fail;
		double rate = (double)(ndocs / 10) / (gl_bench_now_s() - s0);
		if (k == 0)
			first = rate;
		last = rate;
		text_bytes += b;
	}
	double dt = gl_bench_now_s() - t0;
	usleep(300000);
	long after = gl_bench_rss_kb(d.pid);
	char label[64];
	snprintf(label, sizeof(label), "after %zu documents", ndocs);
	rss_line(label, d.pid);
	printf("rss  imported text %.1f MiB (%zu documents, %.0f docs/s; first tenth"
	    " %.0f docs/s, last tenth %.0f docs/s) | RSS growth %.1f MiB = %.2fx the"
	    " text | database on disk %.1f MiB\n",
	    (double)text_bytes / 1048576.0, ndocs, (double)ndocs / dt, first, last,
	    (double)(after - idle) / 1024.0,
	    (double)(after - idle) * 1024.0 / (double)text_bytes,
	    (double)gl_bench_dir_bytes(d.dir) / 1048576.0);
	gloss_close(c);
	gl_bench_daemon_stop(&d);
	return 0;
fail:
	gl_bench_daemon_stop(&d);
	return 1;
}
