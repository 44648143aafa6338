/*
 * bench_actors.c - one-core throughput of the actors plugin.
 *
 * Builds a ~64 MB corpus in memory by shuffling realistic news sentences
 * (states, capitals in both readings, groups, people with titles, plain
 * filler) into ~4 KB documents, runs analyze() over all of them on one
 * thread, and prints MB/s beside a memchr scan of the same bytes (the
 * physical reference).  Times are thread CPU time.  Prints, never asserts.
 *
 *   bench_actors [MB] [data_dir]
 */
#include <gloss/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ACTORS_DATA_DIR
#define ACTORS_DATA_DIR "plugins/actors/data"
#endif

static const char *const sentences[] = {
	"Washington wants to overview its foreign policy with Central Asia following the withdrawal of foreign troops from Afghanistan. ",
	"The US has long accused Pakistan of harboring and supporting militant groups, particularly the Taliban and its affiliated Haqqani Network. ",
	"On 29 December 2023, Kazakhstan announced the removal of the Taliban from its list of terror organisations. ",
	"Russia has become the first country to recognize Taliban government in Afghanistan, officials in Moscow said. ",
	"U.S. President Joe Biden and the members of the Senate blamed Pakistan for the upheaval in Afghanistan. ",
	"Taliban spokesman Zabihullah Mujahid said the Islamic Emirate does not allow anyone to use Afghan soil against other countries. ",
	"Former U.S. Ambassador to Afghanistan Ryan Crocker said Pakistan needs to be comprehensively engaged in talks. ",
	"The Taliban took over Kabul in August 2021, and the capital Kabul fell without a fight. ",
	"Tehran accuses Kabul of failing to share water from the Helmand river, while Beijing's ties with Islamabad deepen. ",
	"These groups had pledged allegiance to the Taliban for decades until the rise of Islamic State in Khorasan Province (ISKP). ",
	"The level of mistrust and political distancing is based on the pretext of \xE2\x80\x9Csafe-havens\xE2\x80\x9D in the border region. ",
	"Economic cooperation, trade corridors and energy pipelines were discussed at length during the two-day meeting. ",
	"It is also said that Osama bin Laden was a Saudi, which supported Mujahideen in averting the USSR attack on Afghanistan. ",
	"The UN Security Council and NATO urged restraint, while the SCO and the CSTO held drills near the Tajik\xE2\x80\x93" "Afghan border. ",
	"Analysts say the region's economies depend on remittances, and inflation has eroded household incomes over the past year. ",
	"Uzbek Foreign Minister Bakhtiyor Saidov met Amir Khan Muttaqi in Tashkent to discuss the Trans-Afghan railway. ",
	"In 1979 Moscow sent troops into Afghanistan, and the Soviet Army withdrew a decade later. ",
	"The weather was mild, the markets were busy and the roads were crowded with trucks carrying fruit to the border. ",
};

typedef struct {
	size_t spans;
} bench_sink;

static int
sink_fn(void *s, const gloss_span *sp)
{
	(void)sp;
	((bench_sink *)s)->spans++;
	return 0;
}

/*
 * Thread CPU time: the figure is per core, and a shared build machine's
 * load should not count against the plugin.
 */
static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 64;
	const char *data_dir = argc > 2 ? argv[2] : ACTORS_DATA_DIR;
	if (mb == 0)
		mb = 64;
	size_t total = mb << 20;
	const size_t doc_target = 4096;
	size_t ns = sizeof(sentences) / sizeof(sentences[0]);
	char *corpus = malloc(total + 8192);
	size_t *doc_off = malloc((total / 1024 + 2) * sizeof(size_t));
	if (!corpus || !doc_off)
		return 1;
	unsigned rng = 12345u;
	size_t len = 0, ndocs = 0;
	while (len < total) {
		doc_off[ndocs++] = len;
		size_t start = len;
		while (len - start < doc_target && len < total) {
			rng = rng * 1103515245u + 12345u;
			const char *s = sentences[(rng >> 16) % ns];
			size_t l = strlen(s);
			memcpy(corpus + len, s, l);
			len += l;
		}
		corpus[len++] = '\0'; /* documents are NUL-terminated */
	}
	doc_off[ndocs] = len;

	const gloss_plugin *p = gloss_plugin_v1();
	void *st = NULL;
	char err[512] = "";
	double t0 = now_s();
	if (p->open("{}", data_dir, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_actors: open failed: %s\n", err);
		return 1;
	}
	double t_open = now_s() - t0;

	bench_sink sk = { 0 };
	size_t bytes = 0;
	t0 = now_s();
	for (size_t d = 0; d < ndocs; d++) {
		const char *text = corpus + doc_off[d];
		size_t l = doc_off[d + 1] - doc_off[d] - 1;
		gloss_doc doc = { "bench", text, l, "", "en", "" };
		if (p->analyze(st, &doc, sink_fn, &sk, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_actors: analyze failed: %s\n", err);
			return 1;
		}
		bytes += l;
	}
	double t_an = now_s() - t0;

	/* physical reference: a memchr scan over the same bytes */
	size_t hits = 0;
	t0 = now_s();
	for (int rep = 0; rep < 5; rep++) {
		const char *q = corpus, *end = corpus + len;
		while ((q = memchr(q, '\n' + rep % 2, (size_t)(end - q))) != NULL) {
			hits++;
			q++;
		}
	}
	double t_mc = (now_s() - t0) / 5;
	double mbps = (double)bytes / 1048576.0 / t_an;
	double mc = (double)len / 1048576.0 / (t_mc > 0 ? t_mc : 1e-9);
	printf("actors: %.1f MB/s  (memchr scan %.0f MB/s, ratio %.3f)  %zu docs, %.1f MB, %zu spans, "
	    "open %.0f ms%s\n", mbps, mc, mbps / mc, ndocs, (double)bytes / 1048576.0, sk.spans,
	    t_open * 1000.0, hits == (size_t)-1 ? "!" : "");
	p->close(st);
	free(corpus);
	free(doc_off);
	return 0;
}
