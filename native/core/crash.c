/* Crash reporting: when a fatal signal arrives while a foreign call runs on this
 * thread, say which one on stderr, then let the signal take its usual course
 * (the previous handler, or the default action that ends the process). */
#include "crash.h"
#include "thread.h"
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

__thread ThreadSlots tsc_thread __attribute__((tls_model("initial-exec"))) = {NULL, 0, NULL, 0, NULL};

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[NFATAL];

static void put(const char *s) {
  ssize_t r = write(STDERR_FILENO, s, strlen(s));
  (void)r;
}

static void put_hex(uintptr_t v) {
  char buf[2 + 2 * sizeof v + 1];
  int i = sizeof buf - 1;
  buf[i] = 0;
  do { buf[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v && i > 2);
  buf[--i] = 'x';
  buf[--i] = '0';
  put(buf + i);
}

static const char *signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic error)";
    case SIGILL: return "SIGILL (illegal instruction)";
    default: return "fatal signal";
  }
}

static void on_fatal_signal(int sig, siginfo_t *si, void *uc) {
  size_t k = 0;
  while (k < NFATAL && fatal_signals[k] != sig) k++;
  /* a fast call is always the innermost: nothing runs inside one */
  const Plan *p = tsc_thread.running;
  if (tsc_thread.fast_running && tsc_thread.fast_plans) {
    const Plan *fast = plan_lookup(tsc_thread.fast_plans, tsc_thread.fast_running);
    if (fast) p = fast;
  }
  if (p) {
    put("\ntsctypes: ");
    put(signal_name(sig));
    if (sig == SIGSEGV || sig == SIGBUS) { put(" at address "); put_hex((uintptr_t)si->si_addr); }
    put(" inside foreign call ");
    put(p->crash_note);
    put("\n");
    tsc_thread.fast_running = 0; /* report once */
    tsc_thread.running = NULL;
  }
  if (k == NFATAL) return;
  struct sigaction *prev = &previous[k];
  if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
    prev->sa_sigaction(sig, si, uc);
    return;
  }
  if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
    prev->sa_handler(sig);
    return;
  }
  /* Default action: restore it; a fault re-executes and ends the process as it
   * would have; a signal sent by kill/raise is raised again. */
  signal(sig, SIG_DFL);
  if (si->si_code <= 0) raise(sig);
}

static void install(void) {
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    static char alt[1 << 16];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
  }
  for (size_t k = 0; k < NFATAL; k++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(fatal_signals[k], &sa, &previous[k]);
  }
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

napi_status register_crash(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  pthread_once(&once, install);
  return napi_ok;
}
