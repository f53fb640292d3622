/* Register trampolines: C-callable addresses for callbacks whose arguments all
 * travel in registers (src/abi/registers.ts decides which), without libffi.
 *
 * A fixed table of small C functions, two per slot (one returns in the integer
 * register, one in the vector register). Each takes every argument register as
 * a parameter (integer registers as int64_t, vector registers as double: a float
 * argument is the low 32 bits), notes its slot in the thread's slots and jumps
 * to a common entry, which stores the registers in one block and hands them to
 * the claimer's function (callback.c). A callee ignores registers it has no
 * parameter for, so one prototype serves every register-shaped signature, as for
 * calls (regcall.h).
 * Plain C: no code is written at run time, so W^X systems are fine.
 *
 * A slot is given back only when callback.c releases its callback, well after it
 * was closed (C may keep a closed callback's address: the call is then reported, not
 * run). While all TRAMPOLINE_SLOTS are taken, new callbacks use libffi closures. */
#include "trampoline.h"
#include "thread.h"
#include <pthread.h>
#include <string.h>

#if REG_PATH

#define TRAMPOLINE_SLOTS 1024

static void *slots[TRAMPOLINE_SLOTS];
static uint32_t slots_used;            /* slots claimed at least once */
static uint32_t released[TRAMPOLINE_SLOTS]; /* slots given back, claimed again first */
static uint32_t nreleased;
static pthread_mutex_t claims = PTHREAD_MUTEX_INITIALIZER; /* (environments of all threads claim) */
static TrampolineRun run_target;

#if REG_INT == 6
#define INT_PARAMS int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5
#define INT_VALUES a0, a1, a2, a3, a4, a5
#else
#define INT_PARAMS int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, int64_t a7
#define INT_VALUES a0, a1, a2, a3, a4, a5, a6, a7
#endif
#define PARAMS INT_PARAMS, double f0, double f1, double f2, double f3, double f4, double f5, double f6, double f7
#define VALUES INT_VALUES, f0, f1, f2, f3, f4, f5, f6, f7

/* The registers in callback-area order (integer registers, then vector registers),
 * the result as libffi would leave it: an ffi_arg, a double, or a float in the low bytes. */
static inline __attribute__((always_inline)) void enter(PARAMS, uint64_t *ret) {
  double f[REG_FLOAT] = {f0, f1, f2, f3, f4, f5, f6, f7};
  int64_t regs[REG_COUNT] = {INT_VALUES};
  memcpy(regs + REG_INT, f, sizeof f);
  uint32_t k = tsc_thread.trampoline_slot;
  run_target(__atomic_load_n(&slots[k], __ATOMIC_ACQUIRE), ret, regs);
}

static __attribute__((noinline, noclone)) int64_t enter_int(PARAMS) {
  uint64_t ret[2] = {0, 0};
  enter(VALUES, ret);
  return (int64_t)ret[0];
}

static __attribute__((noinline, noclone)) double enter_vector(PARAMS) {
  uint64_t ret[2] = {0, 0};
  enter(VALUES, ret);
  double d;
  memcpy(&d, ret, sizeof d);
  return d;
}

/* Slot k's pair. k is spelled in base 4 by the names (ti_0123) and computed by `value`. */
#define PAIR(name, value) \
  static int64_t ti##name(PARAMS) { tsc_thread.trampoline_slot = (value); return enter_int(VALUES); } \
  static double tv##name(PARAMS) { tsc_thread.trampoline_slot = (value); return enter_vector(VALUES); }
#define INT_ENTRY(name, value) (void *)ti##name,
#define VECTOR_ENTRY(name, value) (void *)tv##name,
#define X4(m, name, value) m(name##0, (value) * 4) m(name##1, (value) * 4 + 1) m(name##2, (value) * 4 + 2) m(name##3, (value) * 4 + 3)
#define X16(m, name, value) X4(m, name##0, (value) * 4) X4(m, name##1, (value) * 4 + 1) X4(m, name##2, (value) * 4 + 2) X4(m, name##3, (value) * 4 + 3)
#define X64(m, name, value) X16(m, name##0, (value) * 4) X16(m, name##1, (value) * 4 + 1) X16(m, name##2, (value) * 4 + 2) X16(m, name##3, (value) * 4 + 3)
#define X256(m, name, value) X64(m, name##0, (value) * 4) X64(m, name##1, (value) * 4 + 1) X64(m, name##2, (value) * 4 + 2) X64(m, name##3, (value) * 4 + 3)
#define X1024(m) X256(m, _0, 0) X256(m, _1, 1) X256(m, _2, 2) X256(m, _3, 3)

X1024(PAIR)
static void *const int_entries[TRAMPOLINE_SLOTS] = {X1024(INT_ENTRY)};
static void *const vector_entries[TRAMPOLINE_SLOTS] = {X1024(VECTOR_ENTRY)};

void *trampoline_claim(void *target, TrampolineRun run, int vector_result, uint32_t *slot) {
  __atomic_store_n(&run_target, run, __ATOMIC_RELEASE);
  pthread_mutex_lock(&claims);
  uint32_t k = nreleased ? released[--nreleased] : slots_used < TRAMPOLINE_SLOTS ? slots_used++ : TRAMPOLINE_SLOTS;
  pthread_mutex_unlock(&claims);
  if (k == TRAMPOLINE_SLOTS) return NULL;
  __atomic_store_n(&slots[k], target, __ATOMIC_RELEASE);
  *slot = k;
  return vector_result ? vector_entries[k] : int_entries[k];
}

void trampoline_release(uint32_t slot) {
  pthread_mutex_lock(&claims);
  released[nreleased++] = slot;
  pthread_mutex_unlock(&claims);
}

#else
void *trampoline_claim(void *target, TrampolineRun run, int vector_result, uint32_t *slot) {
  (void)target; (void)run; (void)vector_result; (void)slot;
  return NULL;
}

void trampoline_release(uint32_t slot) { (void)slot; }
#endif
