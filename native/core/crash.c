/* Crash reporting: when a fatal signal arrives while a foreign call runs on this
 * thread, say which one on stderr, and where JS made it, then let the signal take its
 * usual course (the previous handler, or the default action that ends the process). */
#define _GNU_SOURCE /* the interrupted stack pointer in ucontext_t */
#include "crash.h"
#include "thread.h"
#include "util.h"
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

__thread ThreadSlots tsc_thread __attribute__((tls_model("initial-exec"))) = {.running = NULL, .job = JOB_NONE};

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[NFATAL];

/* How long the JS location may take before the process ends without it. */
#define JS_LOCATION_SECONDS 3

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
    case SIGABRT: return "SIGABRT (abort)";
    default: return "fatal signal";
  }
}

/* ---------------------------------------------------------------- where JS made the call */

/* The signal being reported while JS is asked for the location, 0: none. */
static volatile sig_atomic_t asking_js;

/* A fault while JS is asked, or JS taking too long (SIGALRM): end the process by the
 * reported signal's default action, without the location. */
static void end_by_reported_signal(int sig) {
  int reported = asking_js;
  put(sig == SIGALRM ? "tsctypes: (no JS location: it took too long)\n" : "tsctypes: (no JS location: another fault while getting it)\n");
  signal(reported, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, reported);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  raise(reported);
  _exit(128 + reported);
}

/* The signal being reported, for ask_js (run with no arguments on another stack). */
static int reported_signal;

/* JS's answer (src/call/crash.ts), under the report's first line. */
static void ask_js(void) {
  napi_env env = tsc_thread.js_env;
  napi_ref location = tsc_thread.js_location;
  struct sigaction on_alarm, old_alarm;
  memset(&on_alarm, 0, sizeof on_alarm);
  on_alarm.sa_handler = end_by_reported_signal;
  sigemptyset(&on_alarm.sa_mask);
  sigaction(SIGALRM, &on_alarm, &old_alarm);
  asking_js = reported_signal;
  unsigned old_alarm_left = alarm(JS_LOCATION_SECONDS);
  static char text[4096];
  size_t len = 0;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) == napi_ok) {
    napi_value fn, recv, result;
    if (napi_get_reference_value(env, location, &fn) == napi_ok && fn && napi_get_undefined(env, &recv) == napi_ok &&
        napi_call_function(env, recv, fn, 0, NULL, &result) == napi_ok) {
      if (napi_get_value_string_utf8(env, result, text, sizeof text, &len) != napi_ok) len = 0;
    } else {
      bool pending = false;
      napi_value exc;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &exc);
    }
    napi_close_handle_scope(env, scope);
  }
  alarm(old_alarm_left);
  sigaction(SIGALRM, &old_alarm, NULL);
  asking_js = 0;
  if (len) {
    put(text);
    put("\n");
  }
}

/* On the alternate signal stack the engine would see a stack overflow: there, JS is asked on
 * the interrupted thread's own stack, below what was in use. (A thread without an alternate
 * stack runs the handler on its own stack already: below the signal frame.) */
#define BELOW_INTERRUPTED 4096
#if defined(__x86_64__)
static void switch_below_interrupted(void (*fn)(void), const void *uc) {
  uintptr_t top = ((uintptr_t)((const ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP] - BELOW_INTERRUPTED) & ~(uintptr_t)15;
  __asm__ volatile(
      "mov %%rsp, %%rbx\n\t"
      "mov %1, %%rsp\n\t"
      "call *%0\n\t"
      "mov %%rbx, %%rsp\n\t"
      :
      : "r"(fn), "r"(top)
      : "rbx", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3",
        "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}
#elif defined(__aarch64__)
static void switch_below_interrupted(void (*fn)(void), const void *uc) {
  uintptr_t top = ((uintptr_t)((const ucontext_t *)uc)->uc_mcontext.sp - BELOW_INTERRUPTED) & ~(uintptr_t)15;
  __asm__ volatile(
      "mov x19, sp\n\t"
      "mov sp, %1\n\t"
      "blr %0\n\t"
      "mov sp, x19\n\t"
      :
      : "r"(fn), "r"(top)
      : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
        "x18", "x19", "x30", "memory", "cc", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19",
        "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}
#endif
#if defined(__x86_64__) || defined(__aarch64__)
#define CAN_SWITCH_STACK 1
#else
#define CAN_SWITCH_STACK 0
#endif

static void run_on_interrupted_stack(void (*fn)(void), const void *uc) {
  stack_t current;
  if (sigaltstack(NULL, &current) != 0) return;
  if (!(current.ss_flags & SS_ONSTACK)) {
    fn();
    return;
  }
#if CAN_SWITCH_STACK
  switch_below_interrupted(fn, uc);
#else
  (void)uc; /* no location on this architecture */
#endif
}

/* Best effort, after the report's first line: a call on the JS thread has a JS stack, which
 * the location function turns into text; a job's thread has none; a V8 fast call (from
 * optimized code, which must not run JS) is not asked. */
static void say_where(int sig, const void *uc, int fast) {
  if (tsc_thread.job == JOB_ASYNC) {
    put("tsctypes: it was an async call (.async()), run on a pool thread: no JS stack to show\n");
    return;
  }
  if (tsc_thread.job == JOB_THREADED) {
    put("tsctypes: it was a { threads: true } call, run on a thread of its own: no JS stack to show\n");
    return;
  }
  if (fast) {
    put("tsctypes: it was a V8 fast call from optimized JS, which must not run JS: no JS stack to show\n");
    return;
  }
  if (!tsc_thread.js_env || !tsc_thread.js_location) return;
  reported_signal = sig;
  run_on_interrupted_stack(ask_js, uc);
}

/* ---------------------------------------------------------------- the handler */

static void on_fatal_signal(int sig, siginfo_t *si, void *uc) {
  if (asking_js) end_by_reported_signal(sig);
  size_t k = 0;
  while (k < NFATAL && fatal_signals[k] != sig) k++;
  /* a fast call is always the innermost: nothing runs inside one */
  const Plan *p = tsc_thread.running;
  PlanTable *fast_plans = tsc_thread.fast_plans;
  int32_t fast_id = fast_plans ? plan_fast_running(fast_plans) : 0;
  int fast = fast_id != 0;
  if (fast) {
    const Plan *fast_plan = plan_lookup(fast_plans, fast_id);
    if (fast_plan) p = fast_plan;
  }
  if (p) {
    put("\ntsctypes: ");
    put(signal_name(sig));
    if (sig == SIGSEGV || sig == SIGBUS) { put(" at address "); put_hex((uintptr_t)si->si_addr); }
    put(" inside foreign call ");
    put(p->crash_note);
    put("\n");
    if (fast) fast_plans->fast_running = 0; /* report once */
    tsc_thread.running = NULL;
    say_where(sig, uc, fast);
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
   * would have; a signal sent by kill/raise (abort() too) is raised again. */
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

/* setCrashLocation(fn): fn() -> text saying where JS made the running call (on this JS thread). */
static napi_value SetCrashLocation(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  napi_valuetype t;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  if (argc < 1 || napi_typeof(env, argv[0], &t) != napi_ok || t != napi_function)
    return throw_error(env, "ERR_INVALID_ARG_TYPE", "setCrashLocation() needs a function");
  napi_ref ref;
  CHECK(env, napi_create_reference(env, argv[0], 1, &ref));
  ThreadSlots *slots = st->js_slots;
  napi_ref old = slots->js_location;
  slots->js_location = NULL; /* (a crash in between: no location) */
  if (old) napi_delete_reference(env, old);
  slots->js_env = env;
  slots->js_location = ref;
  return NULL;
}

napi_status register_crash(napi_env env, napi_value exports, State *st) {
  pthread_once(&once, install);
  napi_property_descriptor props[] = {
    {"setCrashLocation", NULL, SetCrashLocation, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}

void crash_state_free(State *st) {
  ThreadSlots *slots = st->js_slots;
  napi_ref location = slots->js_location;
  slots->js_location = NULL;
  slots->js_env = NULL;
  if (location) napi_delete_reference(st->env, location);
}
