/*
 * server_delay.c - delays and admission without a thread per waiting
 * request.  A delayed request's connection is suspended in MHD and put in
 * a min-heap keyed on its due time; one timer thread sleeps on a condition
 * variable (CLOCK_MONOTONIC timed waits; BENCHMARKS.md has how late they
 * wake) until the earliest entry is due and resumes it.  Requests beyond max_in_flight
 * wait, suspended, in a FIFO and are admitted when a slot frees up, going
 * straight into the heap with their delay counted from admission.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server_int.h"
#include "util.h"

/* Entries due within this much are resumed in the same batch: waking up
 * again for a few microseconds costs more than it is worth. */
#define BR_TIMER_SLACK_NS 50000ULL

static void heap_push(struct brc_srv *s, uint64_t due,
                      struct MHD_Connection *conn)
{
	size_t i;

	if (s->heap_len == s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 1024;
		s->heap = brc_xrealloc(s->heap, s->heap_cap * sizeof(*s->heap));
	}
	i = s->heap_len++;
	while (i > 0 && s->heap[(i - 1) / 2].due > due) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i].due = due;
	s->heap[i].conn = conn;
}

static struct MHD_Connection *heap_pop(struct brc_srv *s)
{
	struct MHD_Connection *top = s->heap[0].conn;
	struct brc_timer_entry last = s->heap[--s->heap_len];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < s->heap_len) {
		if (c + 1 < s->heap_len && s->heap[c + 1].due < s->heap[c].due)
			c++;
		if (s->heap[c].due >= last.due)
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->heap_len)
		s->heap[i] = last;
	return top;
}

static void abs_time(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
}

/* Pop what is due into *batch (grown as needed) and return how many. */
static size_t take_due(struct brc_srv *s, uint64_t now,
                       struct MHD_Connection ***batch, size_t *cap)
{
	size_t n = 0;

	while (s->heap_len && (s->tm_stop ||
	                       s->heap[0].due <= now + BR_TIMER_SLACK_NS)) {
		if (n == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			*batch = brc_xrealloc(*batch, *cap * sizeof(**batch));
		}
		(*batch)[n++] = heap_pop(s);
	}
	return n;
}

static void *timer_main(void *arg)
{
	struct brc_srv *s = arg;
	struct MHD_Connection **batch = NULL;
	size_t cap = 0, n;
	struct timespec ts;

	pthread_mutex_lock(&s->tm_lock);
	for (;;) {
		n = take_due(s, brc_now_ns(), &batch, &cap);
		if (n) {
			/* Resume outside our lock: MHD takes its own. */
			pthread_mutex_unlock(&s->tm_lock);
			for (size_t i = 0; i < n; i++)
				MHD_resume_connection(batch[i]);
			pthread_mutex_lock(&s->tm_lock);
			continue;
		}
		if (s->tm_stop)
			break;
		if (s->heap_len) {
			abs_time(s->heap[0].due, &ts);
			pthread_cond_timedwait(&s->tm_cond, &s->tm_lock, &ts);
		} else {
			pthread_cond_wait(&s->tm_cond, &s->tm_lock);
		}
	}
	pthread_mutex_unlock(&s->tm_lock);
	free(batch);
	return NULL;
}

int brc_srv_timer_start(struct brc_srv *s)
{
	pthread_condattr_t ca;
	int err;

	pthread_mutex_init(&s->adm_lock, NULL);
	pthread_mutex_init(&s->tm_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->tm_cond, &ca);
	pthread_condattr_destroy(&ca);
	s->locks_ready = true;
	err = pthread_create(&s->tm_thread, NULL, timer_main, s);
	if (err) {
		brc_error("cannot start the server's timer thread: %s",
		         strerror(err));
		return -1;
	}
	s->tm_started = true;
	return 0;
}

/*
 * Called once the daemon no longer needs to delay anything: every waiter
 * of the FIFO joins the heap, the timer thread resumes the whole heap at
 * once and exits.  From then on nothing is suspended any more
 * (brc_srv_suspend_until refuses), so MHD_stop_daemon finds no suspended
 * connection, as it requires.
 */
void brc_srv_timer_stop(struct brc_srv *s)
{
	struct brc_req *fifo;

	if (!s->tm_started)
		return;
	atomic_store(&s->stopping, true);
	pthread_mutex_lock(&s->adm_lock);
	fifo = s->fifo_head;
	s->fifo_head = s->fifo_tail = NULL;
	s->queued = 0;
	pthread_mutex_lock(&s->tm_lock);
	for (struct brc_req *r = fifo; r; r = r->next)
		heap_push(s, 0, r->conn);
	s->tm_stop = true;
	pthread_cond_signal(&s->tm_cond);
	pthread_mutex_unlock(&s->tm_lock);
	pthread_mutex_unlock(&s->adm_lock);
	pthread_join(s->tm_thread, NULL);
	s->tm_started = false;
}

/* After MHD_stop_daemon: its completion callbacks still take adm_lock. */
void brc_srv_timer_free(struct brc_srv *s)
{
	if (!s->locks_ready)
		return;
	pthread_cond_destroy(&s->tm_cond);
	pthread_mutex_destroy(&s->tm_lock);
	pthread_mutex_destroy(&s->adm_lock);
	s->locks_ready = false;
	free(s->heap);
	s->heap = NULL;
	s->heap_len = s->heap_cap = 0;
}

/* Add an already suspended connection; tm_lock held. */
static void schedule_locked(struct brc_srv *s, struct MHD_Connection *conn,
                            uint64_t due)
{
	heap_push(s, due, conn);
	/* Only a new earliest entry changes when the thread must wake. */
	if (s->heap[0].conn == conn)
		pthread_cond_signal(&s->tm_cond);
}

int brc_srv_suspend_until(struct brc_srv *s, struct MHD_Connection *conn,
                         uint64_t due)
{
	pthread_mutex_lock(&s->tm_lock);
	if (s->tm_stop) {
		pthread_mutex_unlock(&s->tm_lock);
		return -1;
	}
	/* Suspend before the entry becomes visible to the timer thread, so
	 * it can never resume a connection that is not suspended yet. */
	MHD_suspend_connection(conn);
	schedule_locked(s, conn, due);
	pthread_mutex_unlock(&s->tm_lock);
	return 0;
}

static uint64_t due_after(double delay)
{
	return brc_now_ns() + (uint64_t)(delay * 1e9);
}

bool brc_srv_admit(struct brc_srv *s, struct brc_req *r)
{
	bool now = true;

	pthread_mutex_lock(&s->adm_lock);
	if (s->max_in_flight > 0 && s->in_flight >= s->max_in_flight &&
	    !atomic_load(&s->stopping)) {
		r->state = BR_REQ_QUEUED;
		r->next = NULL;
		if (s->fifo_tail)
			s->fifo_tail->next = r;
		else
			s->fifo_head = r;
		s->fifo_tail = r;
		if (++s->queued > s->queued_max)
			s->queued_max = s->queued;
		/* Under adm_lock: brc_srv_release cannot pick r before it is
		 * suspended. */
		MHD_suspend_connection(r->conn);
		now = false;
	} else {
		s->in_flight++;
		r->admitted = true;
	}
	pthread_mutex_unlock(&s->adm_lock);
	return now;
}

void brc_srv_release(struct brc_srv *s, struct brc_req *r)
{
	struct brc_req *next;

	if (!r->admitted)
		return;
	r->admitted = false;
	pthread_mutex_lock(&s->adm_lock);
	s->in_flight--;
	next = s->fifo_head;
	if (next && !atomic_load(&s->stopping)) {
		s->fifo_head = next->next;
		if (!s->fifo_head)
			s->fifo_tail = NULL;
		s->queued--;
		s->in_flight++;
		next->admitted = true;
		next->state = next->delay > 0 ? BR_REQ_DELAYED : BR_REQ_READY;
		next->due = due_after(next->delay);
		/* Already suspended: the timer thread resumes it when its
		 * delay, counted from now, is over (at once for none).  We may
		 * be inside MHD's completion callback, where resuming directly
		 * is best avoided. */
		pthread_mutex_lock(&s->tm_lock);
		schedule_locked(s, next->conn, next->due);
		pthread_mutex_unlock(&s->tm_lock);
	}
	pthread_mutex_unlock(&s->adm_lock);
}

void brc_srv_admission_stats(struct brc_srv *s, int64_t *in_flight,
                            int64_t *queued, int64_t *queued_max)
{
	pthread_mutex_lock(&s->adm_lock);
	*in_flight = s->in_flight;
	*queued = s->queued;
	*queued_max = s->queued_max;
	pthread_mutex_unlock(&s->adm_lock);
}

void brc_srv_admission_reset(struct brc_srv *s)
{
	pthread_mutex_lock(&s->adm_lock);
	s->queued_max = s->queued;
	pthread_mutex_unlock(&s->adm_lock);
}

void brc_srv_note_late(struct brc_srv *s, const struct brc_req *r, uint64_t now)
{
	uint64_t late = now > r->due ? now - r->due : 0;
	uint64_t b = late / BR_LATE_BUCKET_NS, max = atomic_load(&s->late_max);

	if (b >= BR_LATE_BUCKETS)
		b = BR_LATE_BUCKETS - 1;
	atomic_fetch_add_explicit(&s->late[b], 1, memory_order_relaxed);
	while (late > max &&
	       !atomic_compare_exchange_weak(&s->late_max, &max, late))
		;
}

/* The upper edge of the bucket holding quantile q (the maximum when it
 * falls in the overflow bucket). */
uint64_t brc_srv_late_quantile(struct brc_srv *s, double q)
{
	uint64_t n = 0, seen = 0, max = atomic_load(&s->late_max);

	for (size_t b = 0; b < BR_LATE_BUCKETS; b++)
		n += atomic_load(&s->late[b]);
	if (!n)
		return 0;
	for (size_t b = 0; b < BR_LATE_BUCKETS; b++) {
		seen += atomic_load(&s->late[b]);
		if ((double)seen >= q * (double)n) {
			uint64_t edge = (b + 1) * BR_LATE_BUCKET_NS;

			return b + 1 < BR_LATE_BUCKETS && edge < max ? edge : max;
		}
	}
	return max;
}

void brc_srv_late_reset(struct brc_srv *s)
{
	for (size_t b = 0; b < BR_LATE_BUCKETS; b++)
		atomic_store(&s->late[b], 0);
	atomic_store(&s->late_max, 0);
}
