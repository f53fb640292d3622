/* prime.c: the prime counter of "Speed up Python applications With Ctypes Library"
 * (seed 003), for examples/primes/main.mjs.
 *
 * is_prime() and num_primes() keep the article's exact logic, quirks included:
 * is_prime() returns 1 when it finds a divisor below (int)sqrt(num), so what it
 * counts is not quite the primes; for range(1000000) the count is the
 * article's 921295. num_primes_threaded() is our own pthreads variant: the
 * array is dealt out to nthreads threads in blocks of BLOCK numbers, like
 * cards (thread k takes blocks k, k + nthreads, ...), so every thread gets an
 * equal share of small and large, even and odd numbers. (Dealing single
 * numbers, as the article does, gives one thread all the even numbers when
 * nthreads is even, and they cost nothing: is_prime() stops at i = 2.)
 * It keeps its state on the stack, so concurrent calls are safe. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int is_prime(int num) {
    for (int i=2; i<(int)sqrt(num); i++) {
        if (num % i == 0)
            return 1;
    }
    return 0;
}

int num_primes(int arrSize, int *numArr) {
    int count = 0;
    for (int i=0; i<arrSize; i++)
        count += is_prime(numArr[i]);
    return count;
}

#define BLOCK 64

struct share {
    pthread_t tid;
    const int *arr;
    int size, first, nthreads;
    int count;
};

static void *count_share(void *arg) {
    struct share *s = arg;
    int count = 0;
    for (long start = (long)s->first * BLOCK; start < s->size; start += (long)s->nthreads * BLOCK) {
        long end = start + BLOCK < s->size ? start + BLOCK : s->size;
        for (long i = start; i < end; i++)
            count += is_prime(s->arr[i]);
    }
    s->count = count;
    return NULL;
}

/* num_primes() on nthreads POSIX threads; -1 if a thread cannot be started */
int num_primes_threaded(int arrSize, int *numArr, int nthreads) {
    if (nthreads < 1) nthreads = 1;
    struct share *shares = calloc((size_t)nthreads, sizeof *shares);
    if (!shares) return -1;
    int started = 0;
    for (int k = 0; k < nthreads; k++) {
        shares[k] = (struct share){0, numArr, arrSize, k, nthreads, 0};
        if (pthread_create(&shares[k].tid, NULL, count_share, &shares[k]) != 0) break;
        started++;
    }
    int count = 0;
    for (int k = 0; k < started; k++) {
        pthread_join(shares[k].tid, NULL);
        count += shares[k].count;
    }
    free(shares);
    return started == nthreads ? count : -1;
}
