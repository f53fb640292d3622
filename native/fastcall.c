/* Installing a register map sent by the TypeScript side (src/call/registers.ts).
 * Layout of the descriptor (int32 array):
 *   [0] return kind (FAST_RET_*)
 *   then FAST_SOURCES triples: integer registers, vector registers, then stack words:
 *   (slot index, byte offset, source) where source 0 = the slot's own 8 bytes,
 *   -1 = unused (loads zero), 1..8 = that many bytes at (address in the slot) + offset.
 *   A register that loads a slot whole loads slot r, its own (the map is "ordered"; a map
 *   that is not is malformed): registers are loaded from fixed offsets (unused ones load
 *   whatever their slot holds), then struct eightbytes on top. Plans without struct
 *   eightbytes, with a scalar result and no errno are "direct".
 *   Slot index -2 is the result slot (the hidden result pointer of FAST_RET_MEMORY).
 * Narrow integers arrive already sign/zero-extended to 32 bits (the JS
 * marshaller writes them so), as the ABIs expect of callers. */
#include "tsctypes.h"
#include "fastcall.h"

void plan_execute_registers(const Plan *p, uint8_t *slab) { fast_execute(p, slab); }

int plan_set_fast(Plan *p, const int32_t *desc, uint32_t n) {
  p->fast = FAST_NONE;
#if FAST_INT_REGS
  if (n != 1 + 3 * FAST_SOURCES || desc[0] <= FAST_NONE || desc[0] > FAST_RET_MEMORY) return 0;
  p->nfixups = 0;
  p->nstack = 0;
  for (int r = 0; r < FAST_SOURCES; r++) {
    int32_t slot = desc[1 + 3 * r], add = desc[2 + 3 * r], source = desc[3 + 3 * r];
    p->reg_off[r] = SLAB_ZERO;
    if (source < 0) continue;
    if (slot == -2) {
      if (source != 0 || r != 0) return 0; /* the hidden result pointer: the first integer register */
      p->reg_off[r] = SLAB_RESULT;
      continue;
    }
    if (slot < 0 || (uint32_t)slot >= SLAB_MAX_ARGS || source > 8 || add < 0 || add > 0xffff) return 0;
    if (r >= FAST_REGS && r - FAST_REGS + 1 > p->nstack) p->nstack = (uint8_t)(r - FAST_REGS + 1);
    uint16_t slot_off = (uint16_t)(SLAB_ARGS + 8 * slot);
    if (source == 0) {
      if (slot != r) return 0; /* not ordered */
      p->reg_off[r] = slot_off;
    } else {
      FastFixup *f = &p->fixups[p->nfixups++];
      f->reg = (uint8_t)r;
      f->len = (uint8_t)source;
      f->slot_off = slot_off;
      f->add = (uint16_t)add;
    }
  }
  /* direct plans run inline in the entry (plan_run_unmarked), which handles scalar results only and no errno */
  int direct = p->nfixups == 0 && p->reg_off[0] != SLAB_RESULT && desc[0] <= FAST_RET_FLOAT && !(p->flags & PLAN_USE_ERRNO);
  int ints_only = 1; /* no vector registers or stack words: the call loads the integer registers only */
  for (int r = FAST_INT_REGS; r < FAST_SOURCES; r++) ints_only &= p->reg_off[r] == SLAB_ZERO;
  p->direct = !direct ? DIRECT_NONE : ints_only ? DIRECT_INTS : DIRECT_ALL;
  p->fast = desc[0];
  return 1;
#else
  (void)desc; (void)n;
  return 1; /* no register path on this platform: libffi always */
#endif
}
