/*
 * bench_sentiment.c - one-core throughput of the sentiment plugin.
 *
 * Builds a corpus in memory from realistic news sentences (shuffled, in
 * articles of a few KB with headings and paragraph breaks), runs analyze()
 * over every article on one thread, and prints MB/s beside a memchr scan of
 * the same bytes as the physical reference.  Times are the thread's CPU
 * time, so the figure is per core even on a loaded machine.  Prints, never
 * asserts.
 *
 * Usage: bench_sentiment [--quick] [MB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gloss/plugin.h>

static const char *const bench_sentences[] = {
	"The withdrawal of US troops from Afghanistan has brought to the surface longstanding issues and mistrust in US-Pakistan relations.",
	"The US has accused Pakistan of providing safe havens and support to the Taliban and other insurgent groups, which has fueled mistrust.",
	"Going forward, both countries will need to work to address these issues and rebuild trust in their partnership.",
	"On 29 December 2023, Kazakhstan announced the removal of the Taliban from its list of terror organisations.",
	"However, Tajikistan continues to take a hostile stance toward the Taliban regime.",
	"Russia has become the first country to recognize the Taliban government in Afghanistan.",
	"Gen. Smith met Dr. Jones in Washington on Jan. 5 to discuss a $3.5 billion aid package.",
	"The talks were not successful, but both sides agreed to meet again in Doha next month.",
	"Militants killed twelve civilians in a suicide bombing near the border, officials said.",
	"Although the agreement brought some relief, the economic sanctions remain a serious burden.",
	"Both countries must form a relationship of mutual benefits which can only be achieved through cooperation.",
	"The blame game between Islamabad and Kabul has deepened the trust deficit, and Washington keeps asking Pakistan to do more.",
	"Uzbekistan has maintained its ties with the Taliban to shield the country from attacks launched from Northern Afghanistan.",
	"Regional stability and security would face daunting challenges if the US pulled out its troops.",
	"The prime Russian interest is ending US hegemony in the region, analysts in Moscow said.",
	"Central Asian countries, though, have refrained from bestowing official diplomatic recognition on the Taliban.",
	"It’s hard to imagine such a person acting “lively and quick.”",
	"The Koch administration says it's serious about protecting New York City workers who blow the whistle on waste, fraud and corruption.",
	"Remarkably, all lanes of the bridge are now open.",
	"Could they do it? Of course they could!",
};
static const char *const bench_headings[] = {
	"The Widening Gap Between the U.S. and Pakistan",
	"Wed, Mar 10 2021 2:55 PM",
	"Strategic Interests",
	"\xE2\x80\xA2 Understanding US and Russian policies towards Taliban",
};

static int
count_span(void *sink, const gloss_span *sp)
{
	(void)sp;
	(*(size_t *)sink)++;
	return 0;
}

/* CPU time of this thread: "per core" throughput, robust to a busy machine */
static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t mb = 64;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			mb = 8;
		else if (atoi(argv[i]) > 0)
			mb = (size_t)atoi(argv[i]);
	}
	size_t total = mb << 20;
	char *buf = malloc(total + 8192);
	size_t *starts = malloc((total / 1024 + 2) * sizeof(size_t));
	if (!buf || !starts)
		return 1;
	/* articles of ~4 KB: a heading, then paragraphs of 2-5 shuffled sentences;
	 * each article is NUL-terminated in place */
	unsigned seed = 12345;
	size_t len = 0, ndocs = 0, nsent = sizeof(bench_sentences) / sizeof(*bench_sentences);
	while (len < total) {
		starts[ndocs++] = len;
		size_t art = 0;
		seed = seed * 1103515245u + 12345u;
		len += (size_t)sprintf(buf + len, "%s\n\n", bench_headings[(seed >> 16) % 4]);
		while (art < 4096) {
			seed = seed * 1103515245u + 12345u;
			int k = 2 + (int)((seed >> 16) % 4);
			for (int j = 0; j < k; j++) {
				seed = seed * 1103515245u + 12345u;
				const char *s = bench_sentences[(seed >> 16) % nsent];
				size_t n = strlen(s);
				memcpy(buf + len, s, n);
				buf[len + n] = ' ';
				len += n + 1;
				art += n + 1;
			}
			buf[len - 1] = '\n';
		}
		buf[len++] = '\0';
	}
	const gloss_plugin *pl = gloss_plugin_v1();
	void *st = NULL;
	char err[256];
	if (pl->open("{}", SENT_BENCH_DATA_DIR, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_sentiment: open: %s\n", err);
		return 1;
	}
	size_t spans = 0, bytes = 0;
	double t0 = now();
	for (size_t d = 0; d < ndocs; d++) {
		const char *text = buf + starts[d];
		size_t n = strlen(text);
		gloss_doc doc = { "bench", text, n, "", "en", "" };
		pl->analyze(st, &doc, count_span, &spans, err, sizeof(err));
		bytes += n;
	}
	double t1 = now();
	/* the physical reference: one memchr pass per article over the same bytes */
	size_t lines = 0;
	double t2 = now();
	for (int rep = 0; rep < 10; rep++) {
		for (size_t d = 0; d < ndocs; d++) {
			const char *p = buf + starts[d], *e = p + strlen(p);
			while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
				lines++;
				p++;
			}
		}
	}
	double t3 = now();
	double mbs = (double)bytes / (1 << 20) / (t1 - t0);
	double scan = 10.0 * (double)bytes / (1 << 20) / (t3 - t2);
	printf("sentiment: %.1f MB/s  (memchr scan %.0f MB/s, ratio %.3f)  %.1f MB in %zu docs, "
	    "%zu spans, %zu lines\n", mbs, scan, mbs / scan, (double)bytes / (1 << 20), ndocs, spans,
	    lines / 10);
	pl->close(st);
	free(buf);
	free(starts);
	return 0;
}
