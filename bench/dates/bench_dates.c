/*
 * bench_dates.c - one-core throughput of the dates recognizer.
 *
 * Builds a ~64 MB corpus in memory from news-like sentences (most without a
 * temporal expression, as in real articles), cuts it into 4 KB documents,
 * and times dr_analyze() over all of them next to a memchr scan of the same
 * bytes, the physical floor.  Prints figures; never asserts.
 *
 * usage: bench_dates [MB] [data_dir] [text_file]
 *   With a text file, its content is repeated instead of the built-in
 *   sentences (e.g. the sample articles, to compare densities).
 *   Times are thread CPU time, so a busy machine does not skew them much.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates_lex.h"
#include "dates_rules.h"

static const char *const sentences[] = {
	"Washington wants to overview its foreign policy with Central Asia following the withdrawal of foreign troops from Afghanistan. ",
	"Rampant corruption, bad governance and violation of human rights in Central Asian countries were in conflict with US interests and values. ",
	"The drawdown of US troops paved the way for the United States to overview its policy with the region. ",
	"Regional stability and security would face daunting challenges if the US pulled out its troops. ",
	"Kazakhstan and Uzbekistan have established channels of communication with the Taliban at various levels. ",
	"The foreign minister said on Tuesday that the talks would resume next month in Doha. ",
	"On 29 December 2023, Kazakhstan announced the removal of the Taliban from its list of banned organisations. ",
	"In the 1990s, the regional countries, excluding Turkmenistan, supported the Northern Alliance. ",
	"The United States has fought the Taliban directly for over two decades after 9/11, viewing them as allies of al-Qaeda. ",
	"Relations have remained constrained in the past two decades due to the War On Terror and mutual mistrust. ",
	"Officials said the 1,700 injured people were taken to hospitals across the capital. ",
	"The ministry's statement, released at 10:35 a.m. Friday, did not mention the agreement signed in 2020. ",
	"Both sides are expected to meet again in the coming weeks, according to diplomats familiar with the matter. ",
	"Pakistan and the United States have different visions for the future of Afghanistan. ",
	"The current war and instability in Afghanistan could have a remarkable effect on the nature of the relationship. ",
	"Analysts note that Moscow has kept an embassy in Kabul throughout, unlike most Western capitals. ",
	"Trade between the two countries grew by 12 percent to $3.4 billion, the central bank reported. ",
	"Friday, 4 July 2025\n\nUnderstanding US and Russian policies towards the Taliban\n\n",
	"Wed, Mar 10 2021 2:55 PM\n\n",
	"The delegation, led by the deputy prime minister, will travel to Tashkent and Dushanbe. ",
	"Humanitarian agencies warned that millions of people face acute food insecurity this winter. ",
	"During the Soviet invasion (1979–1989) the US and others supported the Mujahideen. ",
	"The government has not yet recognised the administration, citing concerns about the rights of women and girls. ",
	"\"We want a stable and prosperous neighbour,\" the spokesman told reporters in Islamabad. ",
	"Published 19.02.2024 | Updated 20.02.2024 14:48\n\n",
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t spans;

static int
count_span(void *ctx, const dr_span *sp)
{
	(void)ctx;
	(void)sp;
	spans++;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 64;
	const char *data_dir = argc > 2 ? argv[2] : DATES_DATA_DIR;
	if (mb == 0)
		mb = 64;
	size_t total = mb << 20;
	char *buf = malloc(total + 1);
	if (!buf)
		return 1;
	size_t n = 0, ns = sizeof sentences / sizeof sentences[0];
	if (argc > 3) {
		FILE *f = fopen(argv[3], "rb");
		if (!f) {
			perror(argv[3]);
			return 1;
		}
		char *src = malloc(1 << 24);
		size_t sl = src ? fread(src, 1, (1 << 24) - 1, f) : 0;
		fclose(f);
		if (!sl) {
			fprintf(stderr, "%s: empty\n", argv[3]);
			return 1;
		}
		while (n + sl <= total) {
			memcpy(buf + n, src, sl);
			n += sl;
		}
		free(src);
	} else {
		uint32_t seed = 42;
		while (n < total) {
			seed = seed * 1664525u + 1013904223u;
			const char *s = sentences[(seed >> 8) % ns];
			size_t l = strlen(s);
			if (n + l > total)
				break;
			memcpy(buf + n, s, l);
			n += l;
		}
	}
	buf[n] = 0;

	dl_lexicon lx;
	char err[256];
	if (dl_load(&lx, data_dir, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	dr_opts o = { 0, 1, 0 };
	const size_t doc = 4096;
	dr_stats st;
	dr_stats_get(&st); /* reset */
	double t0 = now_s();
	for (size_t off = 0; off < n; off += doc) {
		size_t l = n - off < doc ? n - off : doc;
		/* documents are not NUL-terminated here; dr_analyze takes a length */
		dr_analyze(&lx, &o, buf + off, l, "2021-03-10", "en", count_span, NULL);
	}
	double t1 = now_s();
	dr_stats_get(&st);

	/* the floor: one memchr pass over the same bytes */
	size_t lines = 0;
	double m0 = now_s();
	for (int rep = 0; rep < 5; rep++) {
		const char *p = buf, *e = buf + n;
		while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL)
			p++, lines++;
	}
	double m1 = now_s();

	double mbs = (double)n / (1 << 20) / (t1 - t0);
	double mcs = 5.0 * (double)n / (1 << 20) / (m1 - m0);
	printf("dates: %.1f MB/s  (memchr scan %.0f MB/s, ratio %.3f)\n", mbs, mcs, mbs / mcs);
	printf("dates: %.1f MB in %zu documents, %zu spans, %zu triggers, %.1f%% of bytes fully parsed (lines %zu)\n",
	    (double)n / (1 << 20), (n + doc - 1) / doc, spans, st.triggers,
	    100.0 * (double)st.bytes_parsed / (double)n, lines / 5);
	dl_free(&lx);
	free(buf);
	return 0;
}
