/* See thread.h. */
#include "thread.h"

#ifndef _WIN32
int regdiff__thread_start(pthread_t *thread, pthread_mutex_t *mu, pthread_cond_t *work,
			  pthread_cond_t *back, void *(*fn)(void *), void *arg)
{
	if (pthread_mutex_init(mu, NULL) != 0)
		return 0;
	int made = pthread_cond_init(work, NULL) == 0;
	if (made && pthread_cond_init(back, NULL) != 0) {
		pthread_cond_destroy(work);
		made = 0;
	}
	if (made && pthread_create(thread, NULL, fn, arg) != 0) {
		pthread_cond_destroy(back);
		pthread_cond_destroy(work);
		made = 0;
	}
	if (!made)
		pthread_mutex_destroy(mu);
	return made;
}

void regdiff__thread_stop(pthread_t thread, pthread_mutex_t *mu, pthread_cond_t *work,
			  pthread_cond_t *back, int *quit)
{
	pthread_mutex_lock(mu);
	*quit = 1;
	pthread_cond_signal(work);
	pthread_mutex_unlock(mu);
	pthread_join(thread, NULL);
	pthread_cond_destroy(back);
	pthread_cond_destroy(work);
	pthread_mutex_destroy(mu);
}
#endif
