/* The worker threads of a shot (deflater.c, writer_queue.c): each comes
 * with a lock and two conditions, one the worker waits on for work (or
 * to quit), one its caller waits on for work done. They are made and
 * unwound together here. POSIX only: Windows builds do the work on the
 * caller's thread. */
#ifndef REGDIFF_THREAD_H
#define REGDIFF_THREAD_H

#ifndef _WIN32
#include <pthread.h>

/* Makes mu, work and back, then the thread running fn(arg): 1, or 0 with
 * none of them left to free. */
int regdiff__thread_start(pthread_t *thread, pthread_mutex_t *mu, pthread_cond_t *work,
			  pthread_cond_t *back, void *(*fn)(void *), void *arg);

/* Sets *quit under mu, wakes the thread (waiting on work), waits for it
 * to end and frees mu, work and back. */
void regdiff__thread_stop(pthread_t thread, pthread_mutex_t *mu, pthread_cond_t *work,
			  pthread_cond_t *back, int *quit);
#endif

#endif
