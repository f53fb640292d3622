/* Call plans (plan.h): creating and freeing them, their table, and running one through libffi. */
#include "plan.h"
#include "thread.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Plan dead_plan; /* fn NULL */

static ffi_type *const primitive_types[TYPE_PRIMITIVE_COUNT] = {
  &ffi_type_void, &ffi_type_uint8, &ffi_type_sint8, &ffi_type_uint16, &ffi_type_sint16,
  &ffi_type_uint32, &ffi_type_sint32, &ffi_type_uint64, &ffi_type_sint64,
  &ffi_type_float, &ffi_type_double, &ffi_type_longdouble, &ffi_type_pointer,
};

ffi_type *type_for_code(const PlanTable *t, int code) {
  if (code >= 0 && code < TYPE_PRIMITIVE_COUNT) return primitive_types[code];
  if (code >= TYPE_STRUCT_BASE && (uint32_t)(code - TYPE_STRUCT_BASE) < t->nstruct_types)
    return t->struct_types[code - TYPE_STRUCT_BASE];
  return NULL;
}

/* ------------------------------------------------------------------ running a plan */

/* libffi widens small integral results to ffi_arg; store them at their own width so JS
 * reads them from the slot's start (on little-endian machines the low bytes already are). */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static void narrow_result(int code, void *r) {
  ffi_arg v = *(ffi_arg *)r;
  switch (code) {
    case TYPE_UINT8:  *(uint8_t *)r = (uint8_t)v; break;
    case TYPE_SINT8:  *(int8_t *)r = (int8_t)v; break;
    case TYPE_UINT16: *(uint16_t *)r = (uint16_t)v; break;
    case TYPE_SINT16: *(int16_t *)r = (int16_t)v; break;
    case TYPE_UINT32: *(uint32_t *)r = (uint32_t)v; break;
    case TYPE_SINT32: *(int32_t *)r = (int32_t)v; break;
    default: break;
  }
}
#endif

/* Nothing here may point into the live slab: `slab` may be an async job's copy. */
void plan_execute_ffi(const Plan *p, uint8_t *slab) {
  void *rvalue = slab + SLAB_RESULT;
  void *avalue[p->nargs ? p->nargs : 1];
  for (uint32_t i = 0; i < p->nargs; i++) avalue[i] = slab + SLAB_ARGS + 8 * i;
  for (uint32_t k = 0; k < p->nindirect; k++) {
    uint16_t i = p->indirect[k];
    memcpy(&avalue[i], slab + SLAB_ARGS + 8 * i, sizeof(void *));
  }
  if (p->flags & PLAN_INDIRECT_RESULT) memcpy(&rvalue, slab + SLAB_RESULT, sizeof(void *));
  const Plan *outer = foreign_call_enter(p, slab);
  ffi_call((ffi_cif *)&p->cif, FFI_FN(p->fn), rvalue, avalue);
  foreign_call_leave(p, slab, outer);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  narrow_result(p->ret_code, rvalue);
#endif
}

const char *plan_refusal(const PlanTable *t, int32_t id, char *message, size_t size) {
  Plan *p = plan_lookup(t, id);
  if (p) {
    snprintf(message, size, "%s: its library was closed", p->crash_note);
    return "ERR_LIBRARY_CLOSED";
  }
  snprintf(message, size, "tsctypes: no call plan %d", id);
  return "ERR_INVALID_PLAN";
}

__attribute__((noinline)) napi_value throw_refusal(napi_env env, const PlanTable *t, int32_t id) {
  char message[600];
  const char *code = plan_refusal(t, id, message, sizeof message);
  return throw_error(env, code, "%s", message);
}

/* ------------------------------------------------------------------ the table */

static void plan_slot_set(PlanTable *t, uint32_t id, Plan *p) {
  t->plans[id] = p;
  t->targets[id] = p->fn;
  t->guarded[id] = p != &dead_plan && plan_guardable(p) ? p->fn : NULL;
}

void plan_guard_update(PlanTable *t, Plan *p) {
  if (plan_lookup(t, (int32_t)p->id) == p) plan_slot_set(t, p->id, p); /* (not an async job's copy) */
}

static int plan_table_grow(PlanTable *t) {
  uint32_t cap = t->capacity ? t->capacity * 2 : 64;
  Plan **plans = realloc(t->plans, cap * sizeof *plans);
  if (plans) t->plans = plans;
  void **targets = plans ? realloc(t->targets, cap * sizeof *targets) : NULL;
  if (targets) t->targets = targets;
  void **guarded = targets ? realloc(t->guarded, cap * sizeof *guarded) : NULL;
  if (guarded) t->guarded = guarded;
  uint32_t *free_next = guarded ? realloc(t->free_next, cap * sizeof *free_next) : NULL;
  if (free_next) t->free_next = free_next;
  plan_gate_close(t, t->fast_closed); /* (the arrays moved) */
  if (!free_next) return 0;
  t->capacity = cap;
  return 1;
}

/* Stores `p` under a new id (reusing a freed one), or returns 0 when out of memory. */
static uint32_t plan_table_add(PlanTable *t, Plan *p) {
  uint32_t id = 0;
  pthread_mutex_lock(&t->lock);
  if (t->free_head) {
    id = t->free_head;
    t->free_head = t->free_next[id];
  } else if (t->count < t->capacity || plan_table_grow(t)) {
    if (t->count == 0) plan_slot_set(t, t->count++, &dead_plan); /* id 0 is never valid */
    id = t->count++;
  }
  if (id) {
    p->id = id;
    plan_slot_set(t, id, p);
  }
  pthread_mutex_unlock(&t->lock);
  return id;
}

void plan_table_init(PlanTable *t) { pthread_mutex_init(&t->lock, NULL); }

static void plan_free(Plan *p) {
  if (!p) return;
  free(p->arg_types);
  free(p->indirect);
  free(p->crash_note);
  free(p);
}

void plan_table_free(PlanTable *t) {
  for (uint32_t i = 1; i < t->count; i++) plan_free(plan_lookup(t, (int32_t)i));
  free(t->plans);
  free(t->free_next);
  free(t->targets);
  free(t->guarded);
  pthread_mutex_destroy(&t->lock);
  for (uint32_t i = 0; i < t->nstruct_types; i++) {
    free(t->struct_types[i]->elements);
    free(t->struct_types[i]);
  }
  free(t->struct_types);
  memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ JS functions */

/* structType(elementCodes: number[]) -> [code, size, alignment]
 * libffi lays the elements out with natural alignment; the caller checks the
 * size and alignment against its own layout. */
static napi_value StructType(napi_env env, napi_callback_info info) {
  PlanTable *pt;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&pt));
  int32_t *codes;
  uint32_t n;
  if (!get_i32_array(env, argv[0], &codes, &n)) return NULL;
  ffi_type *t = calloc(1, sizeof(ffi_type));
  ffi_type **els = calloc(n + 1, sizeof(ffi_type *));
  if (!t || !els) {
    free(t); free(els); free(codes);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  for (uint32_t i = 0; i < n; i++) {
    els[i] = type_for_code(pt, codes[i]);
    if (!els[i] || els[i] == &ffi_type_void) {
      free(t); free(els); free(codes);
      return throw_error(env, "ERR_INVALID_TYPE", "invalid struct element type code %d", codes[i]);
    }
  }
  free(codes);
  t->type = FFI_TYPE_STRUCT;
  t->elements = els;
  ffi_cif probe; /* ffi_prep_cif computes size and alignment of struct types */
  if (ffi_prep_cif(&probe, FFI_DEFAULT_ABI, 0, t, NULL) != FFI_OK) {
    free(t); free(els);
    return throw_error(env, "ERR_INVALID_TYPE", "libffi rejected the struct type");
  }
  ffi_type **grown = realloc(pt->struct_types, (pt->nstruct_types + 1) * sizeof(ffi_type *));
  if (!grown) {
    free(t); free(els);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  pt->struct_types = grown;
  pt->struct_types[pt->nstruct_types] = t;
  int32_t code = TYPE_STRUCT_BASE + (int32_t)pt->nstruct_types++;
  napi_value out, v;
  CHECK(env, napi_create_array_with_length(env, 3, &out));
  CHECK(env, napi_create_int32(env, code, &v));
  CHECK(env, napi_set_element(env, out, 0, v));
  CHECK(env, napi_create_uint32(env, (uint32_t)t->size, &v));
  CHECK(env, napi_set_element(env, out, 1, v));
  CHECK(env, napi_create_uint32(env, t->alignment, &v));
  CHECK(env, napi_set_element(env, out, 2, v));
  return out;
}

/* Values wider than a slot, or aggregates, are passed by a pointer in the slot. */
static int is_indirect(const ffi_type *t) { return t->type == FFI_TYPE_STRUCT || t->size > 8; }

/* planCreate(fn: address, ret: code, args: code[], nfixed: number (-1 = not variadic),
 *            flags: number, crashNote: string) -> plan id
 * (the register path is added by planSetRegisters, regcall.c) */
static napi_value PlanCreate(napi_env env, napi_callback_info info) {
  PlanTable *pt;
  size_t argc = 6;
  napi_value argv[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&pt));
  void *fn;
  int32_t ret_code, nfixed, flags;
  if (!get_address(env, argv[0], &fn) || !get_i32(env, argv[1], &ret_code) ||
      !get_i32(env, argv[3], &nfixed) || !get_i32(env, argv[4], &flags))
    return NULL;
  int32_t *codes;
  uint32_t n;
  if (!get_i32_array(env, argv[2], &codes, &n)) return NULL;
  if (n > SLAB_MAX_ARGS) {
    free(codes);
    return throw_error(env, "ERR_TOO_MANY_ARGS", "at most %d arguments are supported", SLAB_MAX_ARGS);
  }
  Plan *p = calloc(1, sizeof(Plan));
  if (!p) { free(codes); return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory"); }
  p->fn = fn;
  p->nargs = n;
  p->ret_code = ret_code;
  p->flags = (uint32_t)flags & ~(uint32_t)PLAN_INDIRECT_RESULT;
  p->arg_types = calloc(n ? n : 1, sizeof(ffi_type *));
  p->indirect = calloc(n ? n : 1, sizeof(uint16_t));
  p->crash_note = get_string(env, argv[5]);
  if (!p->arg_types || !p->indirect || !p->crash_note) {
    free(codes); plan_free(p);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  for (uint32_t i = 0; i < n; i++) {
    ffi_type *t = type_for_code(pt, codes[i]);
    if (!t || t == &ffi_type_void) {
      free(codes); plan_free(p);
      return throw_error(env, "ERR_INVALID_TYPE", "invalid argument type code %d", codes[i]);
    }
    p->arg_types[i] = t;
    if (is_indirect(t)) p->indirect[p->nindirect++] = (uint16_t)i;
  }
  free(codes);
  ffi_type *rt = type_for_code(pt, ret_code);
  if (!rt) { plan_free(p); return throw_error(env, "ERR_INVALID_TYPE", "invalid return type code %d", ret_code); }
  if (is_indirect(rt)) p->flags |= PLAN_INDIRECT_RESULT;
  ffi_status s = nfixed >= 0
    ? ffi_prep_cif_var(&p->cif, FFI_DEFAULT_ABI, (unsigned)nfixed, n, rt, p->arg_types)
    : ffi_prep_cif(&p->cif, FFI_DEFAULT_ABI, n, rt, p->arg_types);
  if (s != FFI_OK) {
    plan_free(p);
    return throw_error(env, "ERR_FFI_PREP", "libffi could not prepare this signature (status %d)", (int)s);
  }
  uint32_t id = plan_table_add(pt, p);
  if (!id) {
    plan_free(p);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  napi_value out;
  CHECK(env, napi_create_uint32(env, id, &out));
  return out;
}

/* planFree(id) */
static napi_value PlanFree(napi_env env, napi_callback_info info) {
  PlanTable *pt;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&pt));
  int32_t id;
  if (!get_i32(env, argv[0], &id)) return NULL;
  if (!plan_lookup(pt, id)) return NULL;
  pthread_mutex_lock(&pt->lock);
  plan_free(pt->plans[id]);
  plan_slot_set(pt, id, &dead_plan);
  pt->free_next[id] = pt->free_head;
  pt->free_head = (uint32_t)id;
  pthread_mutex_unlock(&pt->lock);
  return NULL;
}

/* planDisable(id): the library is gone; later calls throw instead of jumping into unmapped code. */
static napi_value PlanDisable(napi_env env, napi_callback_info info) {
  PlanTable *pt;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&pt));
  int32_t id;
  if (!get_i32(env, argv[0], &id)) return NULL;
  Plan *p = plan_lookup(pt, id);
  if (p) {
    p->fn = NULL;
    plan_slot_set(pt, id, p);
  }
  return NULL;
}

napi_status register_plan(napi_env env, napi_value exports, PlanTable *t) {
  napi_property_descriptor props[] = {
    {"structType", NULL, StructType, NULL, NULL, NULL, napi_default, t},
    {"planCreate", NULL, PlanCreate, NULL, NULL, NULL, napi_default, t},
    {"planFree", NULL, PlanFree, NULL, NULL, NULL, napi_default, t},
    {"planDisable", NULL, PlanDisable, NULL, NULL, NULL, napi_default, t},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
