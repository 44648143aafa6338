/*
 * agree.c - `gloss agree --project P --layer L [--annotators a,b] [--doc ID]
 * [--unit token|char] [--measures ...] [--skip-unannotated]`: calls
 * Agreement/Compute and prints two tables, the all-annotator coefficients
 * per label and the pairwise ones, or the answer as JSON with --json.
 */
#include "clients/cli/agree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GL_AGREE_METHOD "/gloss.v1.Agreement/Compute"

/* A coefficient, or "-" when it is undefined or was not computed. */
static const char *
fmt_coef(const Gloss__V1__CoefficientValue *c, char *buf, size_t len)
{
	if (c == NULL || !c->defined || !isfinite(c->value))
		return "-";
	snprintf(buf, len, "%.3f", c->value);
	return buf;
}

/* "observed/expected", or "-". */
static const char *
fmt_oe(const Gloss__V1__CoefficientValue *c, char *buf, size_t len)
{
	if (c == NULL || c->units == 0)
		return "-";
	snprintf(buf, len, "%.3f/%.3f", c->observed, c->expected);
	return buf;
}

static void
fmt_ratio(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "-");
}

/* "P/R/F1 (matches)". */
static const char *
fmt_prf(double p, double r, double f, int64_t n, char *buf, size_t len)
{
	char bp[16], br[16], bf[16];
	fmt_ratio(bp, sizeof(bp), p);
	fmt_ratio(br, sizeof(br), r);
	fmt_ratio(bf, sizeof(bf), f);
	snprintf(buf, len, "%s/%s/%s (%lld)", bp, br, bf, (long long)n);
	return buf;
}

static const char *
label_name(const char *label)
{
	return label == NULL || label[0] == '\0' ? "(all)" : label;
}

static void
coef_row(gl_cli_table *t, const Gloss__V1__LabelAgreement *l)
{
	char f[32], fo[48], al[32], ao[48], units[48];
	const Gloss__V1__CoefficientValue *fk = l->fleiss_kappa;
	const Gloss__V1__CoefficientValue *ka = l->krippendorff_alpha;
	if (fk && ka && fk->units != ka->units)
		snprintf(units, sizeof(units), "%lld/%lld", (long long)fk->units,
		    (long long)ka->units);
	else
		snprintf(units, sizeof(units), "%lld",
		    (long long)(fk ? fk->units : ka ? ka->units : 0));
	gl_cli_table_addf(t, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
	    label_name(l->label), fmt_coef(fk, f, sizeof(f)),
	    fmt_oe(fk, fo, sizeof(fo)), fmt_coef(ka, al, sizeof(al)),
	    fmt_oe(ka, ao, sizeof(ao)), units);
}

static void
pair_rows(gl_cli_table *t, const Gloss__V1__LabelAgreement *l)
{
	for (size_t i = 0; i < l->n_pairs; i++) {
		const Gloss__V1__PairAgreement *p = l->pairs[i];
		const Gloss__V1__SpanScores *s = p->spans;
		char k[32], oe[48], u[32], sp[48], st[64], ov[64];
		snprintf(u, sizeof(u), "%lld",
		    (long long)(p->cohen_kappa ? p->cohen_kappa->units : 0));
		if (s != NULL) {
			snprintf(sp, sizeof(sp), "%lld/%lld", (long long)s->a_spans,
			    (long long)s->b_spans);
			fmt_prf(s->strict_precision, s->strict_recall, s->strict_f1,
			    s->strict_matches, st, sizeof(st));
			fmt_prf(s->overlap_precision, s->overlap_recall,
			    s->overlap_f1, s->overlap_matches, ov, sizeof(ov));
		} else {
			strcpy(sp, "-");
			strcpy(st, "-");
			strcpy(ov, "-");
		}
		gl_cli_table_addf(t, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s"
		    "\x1f%s", p->a, p->b, label_name(l->label),
		    fmt_coef(p->cohen_kappa, k, sizeof(k)),
		    fmt_oe(p->cohen_kappa, oe, sizeof(oe)),
		    p->cohen_kappa ? u : "-", sp, st, ov);
	}
}

void
gl_cli_agree_print(FILE *out, const Gloss__V1__ComputeAgreementResponse *r,
    const char *layer)
{
	fprintf(out, "layer %s: %zu annotators, %lld documents, %lld %s units\n",
	    layer, r->n_annotators, (long long)r->documents, (long long)r->units,
	    r->unit);
	for (size_t i = 0; i < r->n_annotators; i++)
		fprintf(out, "%s%s", i ? ", " : "  ", r->annotators[i]);
	fprintf(out, "\n\n");
	const Gloss__V1__LabelAgreement *all = r->overall;
	if (all == NULL)
		return;
	if (all->fleiss_kappa || all->krippendorff_alpha) {
		static const char *const head[] = { "LABEL", "FLEISS-K", "PO/PE",
			"ALPHA", "AO/AE", "UNITS" };
		gl_cli_table t;
		gl_cli_table_init(&t, 6, head);
		coef_row(&t, all);
		for (size_t i = 0; i < r->n_per_label; i++)
			coef_row(&t, r->per_label[i]);
		gl_cli_table_print(&t, out);
		gl_cli_table_free(&t);
		fprintf(out, "\n");
	}
	if (all->n_pairs > 0) {
		static const char *const head[] = { "A", "B", "LABEL", "COHEN-K",
			"PO/PE", "UNITS", "SPANS A/B", "STRICT P/R/F1",
			"OVERLAP P/R/F1" };
		gl_cli_table t;
		gl_cli_table_init(&t, 9, head);
		pair_rows(&t, all);
		for (size_t i = 0; i < r->n_per_label; i++)
			pair_rows(&t, r->per_label[i]);
		gl_cli_table_print(&t, out);
		gl_cli_table_free(&t);
		fprintf(out, "\n");
	}
	fprintf(out, "Per label: that label against everything else.  Span "
	    "scores take A as the\nreference.  \"-\": undefined (one category "
	    "only, or no spans) or not computed.\nUNITS for Fleiss/alpha differ "
	    "when some annotators skipped documents.\n");
}

int
gl_cli_cmd_agree(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL, *layer = NULL, *unit = NULL;
	gl_cli_list annotators = { 0, NULL }, docs = { 0, NULL },
		measures = { 0, NULL };
	int skip = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)", 0 },
		{ "layer", GL_OPT_STR, &layer, "L", "the layer (required)", 0 },
		{ "annotators", GL_OPT_LIST, &annotators, "A,B",
		    "compare these users (default: every person with accepted "
		    "annotations on the layer)", 0 },
		{ "doc", GL_OPT_LIST, &docs, "ID",
		    "only these documents (repeatable; default: all)", 0 },
		{ "unit", GL_OPT_STR, &unit, "U",
		    "token (default) or char: what the kappas and alpha count", 0 },
		{ "measures", GL_OPT_LIST, &measures, "M,N",
		    "any of cohen, fleiss, alpha, spans (default: all)", 0 },
		{ "skip-unannotated", GL_OPT_FLAG, &skip, NULL,
		    "a document where an annotator has no span is missing for "
		    "them, not all \"O\"", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "agree --project P --layer L [--annotators "
		"a,b] [--doc ID]... [--unit token|char] [--json]",
		"Inter-annotator agreement on one layer.",
		"Cohen's kappa for each pair, Fleiss' kappa and Krippendorff's "
		"alpha (nominal) over all\nannotators, on tokens or characters "
		"labelled with the covering span's label or \"O\";\nand span "
		"precision/recall/F1 between each pair, strict (same offsets and "
		"label) and\noverlapping (same label, one-to-one).  Overall and "
		"per label.  Only accepted\nannotations by people count (no "
		"plugin suggestions, no gold).  Needs the curator role.",
		opts, 0, 0 };
	Gloss__V1__ComputeAgreementRequest req =
	    GLOSS__V1__COMPUTE_AGREEMENT_REQUEST__INIT;
	Gloss__V1__ComputeAgreementResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	int64_t *ids = NULL;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0) {
		rv = rv == 1 ? 0 : rv;
		goto out;
	}
	free(args);
	if (project == NULL || layer == NULL) {
		rv = gl_cli_usage_error(cli, "--project and --layer are required");
		goto out;
	}
	if (unit != NULL && strcmp(unit, "token") != 0 && strcmp(unit, "char") != 0) {
		rv = gl_cli_usage_error(cli, "--unit is token or char, not \"%s\"",
		    unit);
		goto out;
	}
	if (docs.n > 0 && (ids = calloc(docs.n, sizeof(*ids))) == NULL) {
		rv = gl_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < docs.n; i++)
		if (gl_cli_parse_int(docs.items[i], &ids[i]) != 0 || ids[i] <= 0) {
			rv = gl_cli_usage_error(cli, "--doc wants a document id, not "
			    "\"%s\"", docs.items[i]);
			goto out;
		}
	req.project = (char *)project;
	req.layer = (char *)layer;
	req.unit = (char *)(unit ? unit : "");
	req.n_annotators = annotators.n;
	req.annotators = annotators.items;
	req.n_document_ids = docs.n;
	req.document_ids = ids;
	req.n_measures = measures.n;
	req.measures = measures.items;
	req.skip_unannotated = skip;
	if ((rv = gl_cli_connect(cli)) != 0)
		goto out;
	if ((rv = gloss_call(cli->client, GL_AGREE_METHOD, &req.base,
	         &gloss__v1__compute_agreement_response__descriptor,
	         (ProtobufCMessage **)&resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		goto out;
	}
	if (cli->json)
		gl_cli_print_json(cli, &resp->base);
	else
		gl_cli_agree_print(cli->out, resp, layer);
	rv = 0;
out:
	gloss_free(resp);
	gloss_status_clear(&st);
	free(ids);
	gl_cli_list_free(&annotators);
	gl_cli_list_free(&docs);
	gl_cli_list_free(&measures);
	return rv;
}
