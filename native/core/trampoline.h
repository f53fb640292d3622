/* Register trampolines (trampoline.c): C-callable addresses that hand their argument
 * registers to a function, with no libffi and no code written at run time. */
#ifndef TSCTYPES_TRAMPOLINE_H
#define TSCTYPES_TRAMPOLINE_H
#include <stdint.h>
#include "abi.h"

/* What a trampoline runs: `regs` holds the REG_COUNT argument registers (integer, then
 * vector), `ret` gets the result as libffi would leave it (an ffi_arg, a double, or a
 * float in the low bytes). */
typedef void (*TrampolineRun)(void *target, void *ret, const int64_t *regs);

/* The address of a free trampoline, now calling run(target, ...) (its result in the vector
 * register if vector_result, else in the integer register), or NULL: none left, or no
 * register path here. Every claim must pass the same `run`. *slot names it for release. */
void *trampoline_claim(void *target, TrampolineRun run, int vector_result, uint32_t *slot);
/* Gives a claimed slot back for a later claim (the caller decides when no C code can
 * still hold its address: callback.c's quarantine). */
void trampoline_release(uint32_t slot);

#endif
