/* The register path (regcall.h): installing a register map sent by the TypeScript side
 * (src/abi/, which knows the calling convention), and running plans that are on the path
 * but not direct.
 *
 * A register map (int32 array):
 *   [0] return kind (REG_RET_*)
 *   then REG_SOURCES triples: integer registers, vector registers, then stack words:
 *   (slot index, byte offset, source) where source 0 = the slot's own 8 bytes,
 *   -1 = unused (loads zero), 1..8 = that many bytes at (address in the slot) + offset.
 *   A register that loads a slot whole loads slot r, its own (the map is "ordered"; a map
 *   that is not is malformed): registers are loaded from fixed offsets (unused ones load
 *   whatever their slot holds), then struct eightbytes on top. Plans without struct
 *   eightbytes, with a scalar result and no errno are "direct".
 *   Slot index REG_SLOT_RESULT is the result slot (the hidden result pointer of REG_RET_MEMORY).
 * Narrow integers arrive already sign/zero-extended to 32 bits (the JS marshaller writes
 * them so), as the ABIs expect of callers. */
#include "regcall.h"
#include "util.h"
#include <stdlib.h>

#if REG_PATH
static void gather_and_call(const Plan *p, uint8_t *slab) {
  const RegPlan *r = &p->reg;
  int64_t v[REG_SOURCES];
  /* register r loads slot r: one block, stack words only when used */
  memcpy(v, slab + SLAB_ARGS, 8 * REG_COUNT);
  if (r->nstack) memcpy(v + REG_COUNT, slab + SLAB_ARGS + 8 * REG_COUNT, 8 * (REG_SOURCES - REG_COUNT));
  if (r->reg_off[0] == SLAB_RESULT) memcpy(&v[0], slab + SLAB_RESULT, 8);
  for (int k = 0; k < r->nfixups; k++) {
    const RegFixup *f = &r->fixups[k];
    const uint8_t *base;
    memcpy(&base, slab + f->slot_off, sizeof base);
    if (f->len == 8) {
      memcpy(&v[f->reg], base + f->add, 8);
    } else {
      v[f->reg] = 0;
      memcpy(&v[f->reg], base + f->add, f->len);
    }
  }
  void *res = slab + SLAB_RESULT;
  if (r->ret >= REG_RET_AGG_I) memcpy(&res, slab + SLAB_RESULT, sizeof res);
  switch (r->ret) {
    case REG_RET_INT: case REG_RET_AGG_I: { int64_t x = INVOKE(int64_t, p, v); memcpy(res, &x, 8); break; }
    case REG_RET_DOUBLE: case REG_RET_AGG_D: { double x = INVOKE(double, p, v); memcpy(res, &x, 8); break; }
    case REG_RET_FLOAT: { float x = INVOKE(float, p, v); memcpy(res, &x, 4); break; }
    case REG_RET_AGG_II: { agg_ii x = INVOKE(agg_ii, p, v); memcpy(res, &x, 16); break; }
    case REG_RET_AGG_ID: { agg_id x = INVOKE(agg_id, p, v); memcpy(res, &x, 16); break; }
    case REG_RET_AGG_DI: { agg_di x = INVOKE(agg_di, p, v); memcpy(res, &x, 16); break; }
    case REG_RET_AGG_DD: { agg_dd x = INVOKE(agg_dd, p, v); memcpy(res, &x, 16); break; }
    default: (void)INVOKE(int64_t, p, v); break; /* REG_RET_MEMORY: the callee filled the result buffer */
  }
}
#endif

void regcall_execute(const Plan *p, uint8_t *slab) {
#if REG_PATH
  const Plan *outer = foreign_call_enter(p, slab);
  gather_and_call(p, slab);
  foreign_call_leave(p, slab, outer);
#else
  plan_execute_ffi(p, slab); /* (no map is ever installed here) */
#endif
}

/* Installs `desc` in `r`; 0 if it is malformed. `flags`: the plan's PLAN_*. */
static int regplan_install(RegPlan *r, uint32_t flags, const int32_t *desc, uint32_t n) {
#if REG_PATH
  RegPlan out;
  memset(&out, 0, sizeof out);
  if (n != 1 + 3 * REG_SOURCES || desc[0] <= REG_RET_NONE || desc[0] > REG_RET_MEMORY) return 0;
  for (int k = 0; k < REG_SOURCES; k++) {
    int32_t slot = desc[1 + 3 * k], add = desc[2 + 3 * k], source = desc[3 + 3 * k];
    out.reg_off[k] = SLAB_ZERO;
    if (source < 0) continue;
    if (slot == REG_SLOT_RESULT) {
      if (source != 0 || k != 0) return 0; /* the hidden result pointer: the first integer register */
      out.reg_off[k] = SLAB_RESULT;
      continue;
    }
    if (slot < 0 || (uint32_t)slot >= SLAB_MAX_ARGS || source > 8 || add < 0 || add > 0xffff) return 0;
    if (k >= REG_COUNT && k - REG_COUNT + 1 > out.nstack) out.nstack = (uint8_t)(k - REG_COUNT + 1);
    uint16_t slot_off = (uint16_t)(SLAB_ARGS + 8 * slot);
    if (source == 0) {
      if (slot != k) return 0; /* not ordered */
      out.reg_off[k] = slot_off;
    } else {
      RegFixup *f = &out.fixups[out.nfixups++];
      f->reg = (uint8_t)k;
      f->len = (uint8_t)source;
      f->slot_off = slot_off;
      f->add = (uint16_t)add;
    }
  }
  /* direct plans run inline in the entry (call_run), which handles scalar results only and no errno */
  int direct = out.nfixups == 0 && out.reg_off[0] != SLAB_RESULT && desc[0] <= REG_RET_FLOAT && !(flags & PLAN_USE_ERRNO);
  int ints_only = 1; /* no vector registers or stack words: the call loads the integer registers only */
  for (int k = REG_INT; k < REG_SOURCES; k++) ints_only &= out.reg_off[k] == SLAB_ZERO;
  out.direct = !direct ? DIRECT_NONE : ints_only ? DIRECT_INTS : DIRECT_ALL;
  out.ret = desc[0];
  *r = out;
  return 1;
#else
  (void)r; (void)flags; (void)desc; (void)n;
  return 0;
#endif
}

/* planSetRegisters(id, registerMap: number[]) -> true, or false where this platform has no
 * register path (the plan stays on libffi). A malformed map throws. */
static napi_value PlanSetRegisters(napi_env env, napi_callback_info info) {
  PlanTable *pt;
  size_t argc = 2;
  napi_value argv[2], out;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&pt));
  int32_t id, *map;
  uint32_t n;
  if (!get_i32(env, argv[0], &id)) return NULL;
  Plan *p = plan_lookup(pt, id);
  if (!p) return throw_error(env, "ERR_INVALID_PLAN", "tsctypes: no call plan %d", id);
  if (!REG_PATH) {
    CHECK(env, napi_get_boolean(env, false, &out));
    return out;
  }
  if (!get_i32_array(env, argv[1], &map, &n)) return NULL;
  int ok = regplan_install(&p->reg, p->flags, map, n);
  free(map);
  if (!ok) return throw_error(env, "ERR_INVALID_PLAN", "malformed register map");
  CHECK(env, napi_get_boolean(env, true, &out));
  return out;
}

napi_status register_regcall(napi_env env, napi_value exports, PlanTable *t) {
  napi_property_descriptor props[] = {
    {"planSetRegisters", NULL, PlanSetRegisters, NULL, NULL, NULL, napi_default, t},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
