/* Call plans: a prepared ffi_cif plus where each argument lives in the slab.
 * Built once per signature by the TypeScript call compiler. */
#include "tsctypes.h"
#include <stdlib.h>
#include <string.h>

Plan dead_plan; /* fn NULL */

static ffi_type *const primitive_types[TYPE_PRIMITIVE_COUNT] = {
  &ffi_type_void, &ffi_type_uint8, &ffi_type_sint8, &ffi_type_uint16, &ffi_type_sint16,
  &ffi_type_uint32, &ffi_type_sint32, &ffi_type_uint64, &ffi_type_sint64,
  &ffi_type_float, &ffi_type_double, &ffi_type_longdouble, &ffi_type_pointer,
};

ffi_type *type_for_code(State *st, int code) {
  if (code >= 0 && code < TYPE_PRIMITIVE_COUNT) return primitive_types[code];
  if (code >= TYPE_STRUCT_BASE && (uint32_t)(code - TYPE_STRUCT_BASE) < st->nstruct_types)
    return st->struct_types[code - TYPE_STRUCT_BASE];
  return NULL;
}

/* The plan table: plans, their targets (what a typed fast call reads) and the free list, by id. */
static void plan_slot_set(State *st, uint32_t id, Plan *p) {
  st->plans[id] = p;
  st->targets[id] = p->fn;
}

static int plan_table_grow(State *st) {
  uint32_t cap = st->cap_plans ? st->cap_plans * 2 : 64;
  Plan **plans = realloc(st->plans, cap * sizeof *plans);
  if (plans) st->plans = plans;
  void **targets = plans ? realloc(st->targets, cap * sizeof *targets) : NULL;
  if (targets) st->targets = targets;
  uint32_t *free_next = targets ? realloc(st->free_next, cap * sizeof *free_next) : NULL;
  if (free_next) st->free_next = free_next;
  if (!free_next) return 0;
  st->cap_plans = cap;
  return 1;
}

static int read_codes(napi_env env, napi_value arr, int32_t **out, uint32_t *n) {
  if (napi_get_array_length(env, arr, n) != napi_ok) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected an array of type codes");
    return 0;
  }
  *out = calloc(*n ? *n : 1, sizeof(int32_t));
  if (!*out) return 0;
  for (uint32_t i = 0; i < *n; i++) {
    napi_value el;
    if (napi_get_element(env, arr, i, &el) != napi_ok || !get_i32(env, el, &(*out)[i])) {
      free(*out);
      return 0;
    }
  }
  return 1;
}

/* structType(elementCodes: number[]) -> [code, size, alignment]
 * libffi lays the elements out with natural alignment; the caller checks the
 * size and alignment against its own layout. */
static napi_value StructType(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  int32_t *codes;
  uint32_t n;
  if (!read_codes(env, argv[0], &codes, &n)) return NULL;
  ffi_type *t = calloc(1, sizeof(ffi_type));
  ffi_type **els = calloc(n + 1, sizeof(ffi_type *));
  if (!t || !els) {
    free(t); free(els); free(codes);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  for (uint32_t i = 0; i < n; i++) {
    els[i] = type_for_code(st, codes[i]);
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
  ffi_type **grown = realloc(st->struct_types, (st->nstruct_types + 1) * sizeof(ffi_type *));
  if (!grown) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  st->struct_types = grown;
  st->struct_types[st->nstruct_types] = t;
  int32_t code = TYPE_STRUCT_BASE + (int32_t)st->nstruct_types++;
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

void plan_free(Plan *p) {
  if (!p) return;
  free(p->arg_types);
  free(p->indirect);
  free(p->crash_note);
  free(p);
}


static int is_indirect(ffi_type *t) {
  /* Values wider than a slot, or aggregates, are passed by a pointer in the slot. */
  return t->type == FFI_TYPE_STRUCT || t->size > 8;
}

/* planCreate(fn: address, ret: code, args: code[], nfixed: number (-1 = not variadic),
 *            flags: number, crashNote: string, registerMap: number[] | null) -> plan id */
static napi_value PlanCreate(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  if (!st->slab) return throw_error(env, "ERR_NOT_INITIALIZED", "slab not initialised");
  napi_valuetype map_type = napi_null;
  if (argc >= 7) CHECK(env, napi_typeof(env, argv[6], &map_type));
  void *fn;
  int32_t ret_code, nfixed, flags;
  if (!get_address(env, argv[0], &fn) || !get_i32(env, argv[1], &ret_code) ||
      !get_i32(env, argv[3], &nfixed) || !get_i32(env, argv[4], &flags))
    return NULL;
  int32_t *codes;
  uint32_t n;
  if (!read_codes(env, argv[2], &codes, &n)) return NULL;
  if (n > SLAB_MAX_ARGS) {
    free(codes);
    return throw_error(env, "ERR_TOO_MANY_ARGS", "at most %d arguments are supported", SLAB_MAX_ARGS);
  }
  Plan *p = calloc(1, sizeof(Plan));
  if (!p) { free(codes); return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory"); }
  p->fn = fn;
  p->nargs = n;
  p->ret_code = ret_code;
  p->flags = (uint32_t)flags;
  p->arg_types = calloc(n ? n : 1, sizeof(ffi_type *));
  p->indirect = calloc(n ? n : 1, sizeof(uint16_t));
  p->crash_note = get_string(env, argv[5]);
  if (!p->arg_types || !p->indirect || !p->crash_note) {
    free(codes); plan_free(p);
    return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  }
  for (uint32_t i = 0; i < n; i++) {
    ffi_type *t = type_for_code(st, codes[i]);
    if (!t || t == &ffi_type_void) {
      free(codes); plan_free(p);
      return throw_error(env, "ERR_INVALID_TYPE", "invalid argument type code %d", codes[i]);
    }
    p->arg_types[i] = t;
    if (is_indirect(t)) p->indirect[p->nindirect++] = (uint16_t)i;
  }
  free(codes);
  ffi_type *rt = type_for_code(st, ret_code);
  if (!rt) { plan_free(p); return throw_error(env, "ERR_INVALID_TYPE", "invalid return type code %d", ret_code); }
  if (rt->type == FFI_TYPE_STRUCT || rt->size > 8) p->flags |= PLAN_INDIRECT_RESULT;
  ffi_status s = nfixed >= 0
    ? ffi_prep_cif_var(&p->cif, FFI_DEFAULT_ABI, (unsigned)nfixed, n, rt, p->arg_types)
    : ffi_prep_cif(&p->cif, FFI_DEFAULT_ABI, n, rt, p->arg_types);
  if (s != FFI_OK) {
    plan_free(p);
    return throw_error(env, "ERR_FFI_PREP", "libffi could not prepare this signature (status %d)", (int)s);
  }
  p->fast = FAST_NONE;
  if (map_type == napi_object && !(p->flags & PLAN_NO_FAST)) {
    int32_t *map;
    uint32_t nmap;
    if (!read_codes(env, argv[6], &map, &nmap)) { plan_free(p); return NULL; }
    int ok = plan_set_fast(p, map, nmap);
    free(map);
    if (!ok) { plan_free(p); return throw_error(env, "ERR_INVALID_PLAN", "malformed register map"); }
  }
  /* store, reusing a freed id when there is one */
  uint32_t id;
  if (st->free_head) {
    id = st->free_head;
    st->free_head = st->free_next[id];
  } else {
    if (st->nplans >= st->cap_plans && !plan_table_grow(st)) {
      plan_free(p);
      return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
    }
    if (st->nplans == 0) plan_slot_set(st, st->nplans++, &dead_plan); /* id 0 is never valid */
    id = st->nplans++;
  }
  plan_slot_set(st, id, p);
  fast_gate_update(st);
  napi_value out;
  CHECK(env, napi_create_uint32(env, id, &out));
  return out;
}

/* planFree(id) */
static napi_value PlanFree(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  int32_t id;
  if (!get_i32(env, argv[0], &id)) return NULL;
  if (!plan_lookup(st, id)) return NULL;
  plan_free(st->plans[id]);
  plan_slot_set(st, id, &dead_plan);
  st->free_next[id] = st->free_head;
  st->free_head = (uint32_t)id;
  return NULL;
}

/* planDisable(id): the library is gone; later calls throw instead of jumping into unmapped code. */
static napi_value PlanDisable(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  int32_t id;
  if (!get_i32(env, argv[0], &id)) return NULL;
  Plan *p = plan_lookup(st, id);
  if (p) {
    p->fn = NULL;
    plan_slot_set(st, id, p);
  }
  return NULL;
}

napi_status register_plan(napi_env env, napi_value exports, State *st) {
  napi_property_descriptor props[] = {
    {"structType", NULL, StructType, NULL, NULL, NULL, napi_default, st},
    {"planCreate", NULL, PlanCreate, NULL, NULL, NULL, napi_default, st},
    {"planFree", NULL, PlanFree, NULL, NULL, NULL, napi_default, st},
    {"planDisable", NULL, PlanDisable, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
