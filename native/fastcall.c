/* The register fast path: see tsctypes.h. Eligible plans load their arguments
 * straight into argument registers through a prototype that covers all of them;
 * a callee ignores registers it has no parameter for, so one prototype serves
 * every register-only signature. Float arguments travel in the low 32 bits of a
 * vector register: JS writes the float at the start of its slot and the slot is
 * loaded as a whole 8-byte double, which puts those bits exactly there.
 * Narrow integers are written by JS already sign/zero-extended to 32 bits, as
 * the x86-64 and AArch64 ABIs expect of callers. */
#include "tsctypes.h"
#include <string.h>

#if FAST_INT_REGS

static const int64_t zero_slot[2] = {0, 0};

static int int_class(const ffi_type *t) {
  switch (t->type) {
    case FFI_TYPE_UINT8: case FFI_TYPE_SINT8: case FFI_TYPE_UINT16: case FFI_TYPE_SINT16:
    case FFI_TYPE_UINT32: case FFI_TYPE_SINT32: case FFI_TYPE_UINT64: case FFI_TYPE_SINT64:
    case FFI_TYPE_POINTER: case FFI_TYPE_INT:
      return 1;
    default:
      return 0;
  }
}

void plan_prepare_fast(Plan *p, uint8_t *slab, int variadic) {
  p->fast = FAST_NONE;
  if (variadic) return; /* variadic calls need the vector-register count in AL (x86-64) */
  ffi_type *rt = p->cif.rtype;
  int ret;
  if (rt->type == FFI_TYPE_VOID || int_class(rt)) ret = FAST_RET_INT;
  else if (rt->type == FFI_TYPE_DOUBLE) ret = FAST_RET_DOUBLE;
  else if (rt->type == FFI_TYPE_FLOAT) ret = FAST_RET_FLOAT;
  else return;
  int ni = 0, nf = 0;
  for (int k = 0; k < FAST_INT_REGS; k++) p->int_src[k] = zero_slot;
  for (int k = 0; k < FAST_FLOAT_REGS; k++) p->float_src[k] = (const double *)zero_slot;
  for (uint32_t i = 0; i < p->nargs; i++) {
    ffi_type *t = p->arg_types[i];
    const void *slot = slab + SLAB_ARGS + 8 * i;
    if (int_class(t)) {
      if (ni == FAST_INT_REGS) return;
      p->int_src[ni++] = slot;
    } else if (t->type == FFI_TYPE_DOUBLE || t->type == FFI_TYPE_FLOAT) {
      if (nf == FAST_FLOAT_REGS) return;
      p->float_src[nf++] = slot;
    } else {
      return;
    }
  }
  p->fast = ret;
}

#else
void plan_prepare_fast(Plan *p, uint8_t *slab, int variadic) {
  (void)slab; (void)variadic;
  p->fast = FAST_NONE;
}
#endif
