/*
 * sampler_estimate.c - the sampler's PSS between readings.  smaps_rollup
 * is too dear to read for every process at every tick (sampler_tree.c
 * reads as many as a quarter of the interval allows); in between, a
 * process's PSS is its last reading plus the RSS it grew since, its
 * shares of what the tree maps scaled to the tree's size now, and a
 * process not read yet counts as the mean of those that were.
 */
#include "config.h"

#include <stdlib.h>

#include "run/sampler_tree.h"

/* A process's shared pages are split among the processes mapping them;
 * when the tree grew from n_at to n processes since its PSS was read (a
 * pool forking), its share of what they all map shrank in proportion.
 * Not exact (not every page is shared by the whole tree) but right in
 * the direction and size that matter for a fork pool, and only until
 * the process is read again (those come first). */
static void shares_now(const struct brc_sampler *sp, struct proc *p)
{
	int64_t shared = p->pss - p->uss;

	p->est = p->pss;
	/* Only down: when the tree shrinks, what the others left behind
	 * is not known to be this process's (and a zombie holds nothing). */
	if (shared > 0 && p->n_at && p->n_at < sp->n)
		p->est = p->uss + (int64_t)((double)shared * (double)p->n_at /
		                            (double)sp->n);
}

/* The PSS grown since the last reading: anonymous pages in full (touched
 * or copied on write: this process's own), file-backed ones at the share
 * the process had of its shared pages then (a forked child mapping the
 * library code its parent uses adds a fraction of a page per page). */
static int64_t grown_share(const struct brc_sampler *sp, const struct proc *p)
{
	int64_t file = p->file - p->file_at, anon = p->rss - p->rss_at - file;
	int64_t shared = p->rss_at - p->uss;
	double f = shared > 0 ? (double)(p->est - p->uss) / (double)shared : 1;

	(void)sp;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return anon + (int64_t)((double)file * f);
}

/* Whose PSS to read next: never read first, then the most RSS change,
 * then the oldest reading. */
struct proc *brc_sampler_next_for_pss(struct brc_sampler *sp)
{
	struct proc *best = NULL;
	int64_t best_d = -1;

	for (size_t i = 0; i < sp->n; i++) {
		struct proc *p = &sp->p[i];
		int64_t d;

		if (p->read_tick == sp->tick && p->measured)
			continue;
		if (!p->measured)
			return p;
		d = llabs(p->rss - p->rss_at);
		if (!d && p->n_at == sp->n &&
		    sp->tick - p->read_tick < REFRESH_TICKS)
			continue;
		d += (int64_t)(sp->tick - p->read_tick);
		if (p->n_at != sp->n)
			d += (int64_t)1 << 40; /* its shares changed: first */
		if (d > best_d) {
			best_d = d;
			best = p;
		}
	}
	return best;
}

void brc_sampler_estimate(struct brc_sampler *sp, struct brc_sample *out)
{
	double mean_pss = 0, mean_uss = 0;
	size_t measured = 0;
	struct proc *p;

	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i].measured)
			shares_now(sp, &sp->p[i]);
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i].measured && i) {
			mean_pss += (double)sp->p[i].est;
			mean_uss += (double)sp->p[i].uss;
			measured++;
		}
	if (measured) {
		mean_pss /= (double)measured;
		mean_uss /= (double)measured;
	}
	for (size_t i = 0; i < sp->n; i++) {
		p = &sp->p[i];
		if (p->measured) {
			int64_t grown = p->rss - p->rss_at;
			int64_t est = p->est + grown_share(sp, p);

			/* A share is never more than what is resident. */
			out->pss += est < 0 ? 0 : est > p->rss ? p->rss : est;
			grown += p->uss;
			out->uss += grown < 0 ? 0 : grown > p->rss ? p->rss : grown;
		} else {
			out->pss += measured && mean_pss < (double)p->rss
			                    ? (int64_t)mean_pss : p->rss;
			out->uss += measured && mean_uss < (double)p->rss
			                    ? (int64_t)mean_uss : p->rss;
		}
		out->rss += p->rss;
		out->threads += p->threads;
	}
}
