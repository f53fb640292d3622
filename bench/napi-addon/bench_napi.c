/*
 * bench_napi.c — the "what a careful human writes by hand" baseline.
 *
 * One Node-API function per C function in bench/lib/benchlib.c, each doing
 * the direct conversions (napi_get_value_* in, napi_create_* out) with the
 * status checks and argument validation a careful author would keep, and
 * nothing else: no type dispatch tables, no generic marshalling.
 *
 * JS signatures (the same JS values every contender receives, see shapes.js):
 *   noop()                                   -> undefined
 *   add_i32(a: number, b: number)            -> number
 *   add_f64(a: number, b: number)            -> number
 *   add_f32(a: number, b: number)            -> number
 *   add_i64(a: bigint, b: bigint)            -> bigint
 *   mix6(a: number, b: number, c: bigint,
 *        d: number, e: number, f: number)    -> number
 *   sum_buf(p: Uint8Array, n: number)        -> number
 *   str_len(s: string)                       -> number
 *   vec2_add(a: {x, y}, b: {x, y})           -> {x, y}        (numbers)
 *   mixed_add(p: {a, b, c}, q: {a, b, c})    -> {a, b, c}     (a, b numbers; c bigint)
 *
 *   set_callback(fn: (x: number) => number) -> undefined
 *   call_cb(x: number)                       -> number   call_cb(trampoline, x)
 *   set_comparator(fn: (x, y) => number)     -> undefined
 *   qsort_i32(a: Int32Array)                 -> undefined  libc qsort, in place
 *   add_i32_async(a: number, b: number)      -> Promise<number>
 *   num_primes(a: Int32Array)                -> number
 *   num_primes_async(a: Int32Array)          -> Promise<number>
 *   sum_i32_array(a: number[])               -> bigint   sum_i32 of the array, converted
 *   num_primes_array(a: number[])            -> number   num_primes of the array, converted
 *
 * Structs travel as plain JS objects: each field is read with
 * napi_get_named_property + napi_get_value_*, and the result is a new object
 * built with napi_create_object + napi_set_named_property.
 *
 * Callbacks: C wants a plain function pointer, so the addon passes a static C
 * trampoline, which calls a JS function stored beforehand (set_callback,
 * set_comparator: a napi_ref) with napi_call_function, converting arguments
 * and result by hand. The comparator trampoline reads both ints itself and
 * hands the JS function two numbers. One stored function per kind and one
 * napi_env at a time (set on entry to the calling function): enough for the
 * benchmark, which calls from the main thread only.
 *
 * JS arrays (conv_1m, primes_e2e): a plain JS Array is converted element by
 * element (napi_get_element + napi_get_value_int32) into a malloc'd int32_t
 * buffer, which is freed after the C call.
 *
 * Async calls: napi_create_async_work + napi_create_promise; the C function
 * runs in `execute` on the libuv pool, the promise settles in `complete` on
 * the JS thread. A typed array argument is kept alive by a reference until then.
 */
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "benchlib.h"

/* Throw a TypeError and return NULL (undefined) from the callback. */
static napi_value type_error(napi_env env, const char *msg) {
    napi_throw_type_error(env, NULL, msg);
    return NULL;
}

/* Fetch exactly `want` arguments into argv, or throw. */
#define GET_ARGS(want)                                                        \
    napi_value argv[(want) > 0 ? (want) : 1];                                 \
    size_t argc = (want);                                                     \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok)      \
        return type_error(env, "napi_get_cb_info failed");                    \
    if (argc < (size_t)(want))                                                \
        return type_error(env, "expected " #want " arguments")

#define CHECK(expr, msg)                                                      \
    do {                                                                      \
        if ((expr) != napi_ok) return type_error(env, msg);                   \
    } while (0)

static napi_value js_noop(napi_env env, napi_callback_info info) {
    (void)env;
    (void)info;
    noop();
    return NULL; /* undefined */
}

static napi_value js_add_i32(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    int32_t a, b;
    CHECK(napi_get_value_int32(env, argv[0], &a), "add_i32: a must be a number");
    CHECK(napi_get_value_int32(env, argv[1], &b), "add_i32: b must be a number");
    napi_value out;
    CHECK(napi_create_int32(env, add_i32(a, b), &out), "add_i32: napi_create_int32 failed");
    return out;
}

static napi_value js_add_f64(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    double a, b;
    CHECK(napi_get_value_double(env, argv[0], &a), "add_f64: a must be a number");
    CHECK(napi_get_value_double(env, argv[1], &b), "add_f64: b must be a number");
    napi_value out;
    CHECK(napi_create_double(env, add_f64(a, b), &out), "add_f64: napi_create_double failed");
    return out;
}

static napi_value js_add_f32(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    double a, b;
    CHECK(napi_get_value_double(env, argv[0], &a), "add_f32: a must be a number");
    CHECK(napi_get_value_double(env, argv[1], &b), "add_f32: b must be a number");
    napi_value out;
    CHECK(napi_create_double(env, (double)add_f32((float)a, (float)b), &out), "add_f32: napi_create_double failed");
    return out;
}

/* A bigint argument as int64_t; false (and a pending error) if it isn't one or doesn't fit. */
static bool get_int64_bigint(napi_env env, napi_value v, int64_t *out, const char *what) {
    bool lossless;
    if (napi_get_value_bigint_int64(env, v, out, &lossless) != napi_ok) {
        napi_throw_type_error(env, NULL, what);
        return false;
    }
    if (!lossless) {
        napi_throw_range_error(env, NULL, what);
        return false;
    }
    return true;
}

static napi_value js_add_i64(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    int64_t a, b;
    if (!get_int64_bigint(env, argv[0], &a, "add_i64: a must be a bigint in int64_t range")) return NULL;
    if (!get_int64_bigint(env, argv[1], &b, "add_i64: b must be a bigint in int64_t range")) return NULL;
    napi_value out;
    CHECK(napi_create_bigint_int64(env, add_i64(a, b), &out), "add_i64: napi_create_bigint_int64 failed");
    return out;
}

static napi_value js_mix6(napi_env env, napi_callback_info info) {
    GET_ARGS(6);
    int32_t a;
    double b, d, f;
    int64_t c;
    uint32_t e;
    CHECK(napi_get_value_int32(env, argv[0], &a), "mix6: a must be a number");
    CHECK(napi_get_value_double(env, argv[1], &b), "mix6: b must be a number");
    if (!get_int64_bigint(env, argv[2], &c, "mix6: c must be a bigint in int64_t range")) return NULL;
    CHECK(napi_get_value_double(env, argv[3], &d), "mix6: d must be a number");
    CHECK(napi_get_value_uint32(env, argv[4], &e), "mix6: e must be a number");
    CHECK(napi_get_value_double(env, argv[5], &f), "mix6: f must be a number");
    napi_value out;
    CHECK(napi_create_double(env, mix6(a, b, c, (float)d, (uint8_t)e, f), &out),
          "mix6: napi_create_double failed");
    return out;
}

static napi_value js_sum_buf(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    napi_typedarray_type type;
    size_t length;
    void *data; /* already adjusted by the view's byteOffset */
    CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL),
          "sum_buf: p must be a Uint8Array");
    if (type != napi_uint8_array && type != napi_uint8_clamped_array)
        return type_error(env, "sum_buf: p must be a Uint8Array");
    int64_t n;
    CHECK(napi_get_value_int64(env, argv[1], &n), "sum_buf: n must be a number");
    if (n < 0 || (uint64_t)n > length) {
        napi_throw_range_error(env, NULL, "sum_buf: n is out of the buffer's bounds");
        return NULL;
    }
    napi_value out;
    CHECK(napi_create_int64(env, sum_buf((const uint8_t *)data, (size_t)n), &out),
          "sum_buf: napi_create_int64 failed");
    return out;
}

static napi_value js_str_len(napi_env env, napi_callback_info info) {
    GET_ARGS(1);
    /* Short strings are copied to the stack in one call; a string that fills
     * the stack buffer may have been truncated, so measure it and copy it to
     * the heap instead. */
    char stack_buf[256];
    char *s = stack_buf;
    size_t copied;
    CHECK(napi_get_value_string_utf8(env, argv[0], stack_buf, sizeof stack_buf, &copied),
          "str_len: s must be a string");
    if (copied == sizeof stack_buf - 1) {
        size_t len;
        CHECK(napi_get_value_string_utf8(env, argv[0], NULL, 0, &len), "str_len: s must be a string");
        s = malloc(len + 1);
        if (s == NULL) {
            napi_throw_error(env, NULL, "str_len: out of memory");
            return NULL;
        }
        if (napi_get_value_string_utf8(env, argv[0], s, len + 1, &copied) != napi_ok) {
            free(s);
            return type_error(env, "str_len: s must be a string");
        }
    }
    size_t r = str_len(s);
    if (s != stack_buf) free(s);
    napi_value out;
    CHECK(napi_create_int64(env, (int64_t)r, &out), "str_len: napi_create_int64 failed");
    return out;
}

/* Read the number property `key` of object `obj` as a double. */
static bool get_double_field(napi_env env, napi_value obj, const char *key, double *out) {
    napi_value v;
    return napi_get_named_property(env, obj, key, &v) == napi_ok && napi_get_value_double(env, v, out) == napi_ok;
}

static bool set_double_field(napi_env env, napi_value obj, const char *key, double value) {
    napi_value v;
    return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, obj, key, v) == napi_ok;
}

/* A JS object {x, y} -> Vec2; false (and a pending TypeError) if it isn't one. */
static bool to_vec2(napi_env env, napi_value obj, Vec2 *out, const char *what) {
    napi_valuetype t;
    if (napi_typeof(env, obj, &t) != napi_ok || t != napi_object || !get_double_field(env, obj, "x", &out->x) ||
        !get_double_field(env, obj, "y", &out->y)) {
        napi_throw_type_error(env, NULL, what);
        return false;
    }
    return true;
}

static napi_value js_vec2_add(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    Vec2 a, b;
    if (!to_vec2(env, argv[0], &a, "vec2_add: a must be an object {x: number, y: number}")) return NULL;
    if (!to_vec2(env, argv[1], &b, "vec2_add: b must be an object {x: number, y: number}")) return NULL;
    Vec2 r = vec2_add(a, b);
    napi_value out;
    CHECK(napi_create_object(env, &out), "vec2_add: napi_create_object failed");
    if (!set_double_field(env, out, "x", r.x) || !set_double_field(env, out, "y", r.y))
        return type_error(env, "vec2_add: could not set the result's fields");
    return out;
}

/* A JS object {a: number, b: number, c: bigint} -> Mixed. */
static bool to_mixed(napi_env env, napi_value obj, Mixed *out, const char *what) {
    napi_valuetype t;
    napi_value va, vb, vc;
    bool lossless = true;
    if (napi_typeof(env, obj, &t) != napi_ok || t != napi_object ||
        napi_get_named_property(env, obj, "a", &va) != napi_ok || napi_get_value_int32(env, va, &out->a) != napi_ok ||
        napi_get_named_property(env, obj, "b", &vb) != napi_ok || napi_get_value_int32(env, vb, &out->b) != napi_ok ||
        napi_get_named_property(env, obj, "c", &vc) != napi_ok ||
        napi_get_value_bigint_int64(env, vc, &out->c, &lossless) != napi_ok) {
        napi_throw_type_error(env, NULL, what);
        return false;
    }
    if (!lossless) {
        napi_throw_range_error(env, NULL, "mixed_add: field c does not fit in int64_t");
        return false;
    }
    return true;
}

static napi_value js_mixed_add(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    Mixed p, q;
    if (!to_mixed(env, argv[0], &p, "mixed_add: p must be an object {a: number, b: number, c: bigint}")) return NULL;
    if (!to_mixed(env, argv[1], &q, "mixed_add: q must be an object {a: number, b: number, c: bigint}")) return NULL;
    Mixed r = mixed_add(p, q);
    napi_value out, va, vb, vc;
    CHECK(napi_create_object(env, &out), "mixed_add: napi_create_object failed");
    CHECK(napi_create_int32(env, r.a, &va), "mixed_add: napi_create_int32 failed");
    CHECK(napi_create_int32(env, r.b, &vb), "mixed_add: napi_create_int32 failed");
    CHECK(napi_create_bigint_int64(env, r.c, &vc), "mixed_add: napi_create_bigint_int64 failed");
    CHECK(napi_set_named_property(env, out, "a", va), "mixed_add: napi_set_named_property failed");
    CHECK(napi_set_named_property(env, out, "b", vb), "mixed_add: napi_set_named_property failed");
    CHECK(napi_set_named_property(env, out, "c", vc), "mixed_add: napi_set_named_property failed");
    return out;
}

/* ---- callbacks --------------------------------------------------------- */

static napi_env cb_env;        /* the env of the JS call currently in C */
static napi_ref cb_fn;         /* set_callback's function */
static napi_ref cmp_fn;        /* set_comparator's function */

/* Store fn in *slot (replacing what was there). */
static napi_value store_function(napi_env env, napi_callback_info info, napi_ref *slot, const char *what) {
    GET_ARGS(1);
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[0], &t), what);
    if (t != napi_function) return type_error(env, what);
    if (*slot != NULL) napi_delete_reference(env, *slot);
    *slot = NULL;
    CHECK(napi_create_reference(env, argv[0], 1, slot), what);
    return NULL;
}

static napi_value js_set_callback(napi_env env, napi_callback_info info) {
    return store_function(env, info, &cb_fn, "set_callback: fn must be a function");
}

static napi_value js_set_comparator(napi_env env, napi_callback_info info) {
    return store_function(env, info, &cmp_fn, "set_comparator: fn must be a function");
}

/* Call the stored function `ref` with argc int32 arguments and read its int32
 * result. A JS exception stays pending (the napi call that led here rethrows
 * it when it returns) and C gets 0, as does C after any failure. */
static int call_js_int(napi_ref ref, size_t argc, const int32_t *args) {
    napi_env env = cb_env;
    napi_value fn, recv, argv[2], result;
    int32_t out = 0;
    if (env == NULL || ref == NULL || argc > 2) return 0;
    if (napi_get_reference_value(env, ref, &fn) != napi_ok || napi_get_undefined(env, &recv) != napi_ok) return 0;
    for (size_t k = 0; k < argc; k++)
        if (napi_create_int32(env, args[k], &argv[k]) != napi_ok) return 0;
    if (napi_call_function(env, recv, fn, argc, argv, &result) != napi_ok) return 0;
    if (napi_get_value_int32(env, result, &out) != napi_ok) return 0;
    return out;
}

/* The C function pointer C sees for the callback shape. */
static int callback_trampoline(int x) {
    int32_t a = x;
    return call_js_int(cb_fn, 1, &a);
}

static napi_value js_call_cb(napi_env env, napi_callback_info info) {
    GET_ARGS(1);
    int32_t x;
    CHECK(napi_get_value_int32(env, argv[0], &x), "call_cb: x must be a number");
    if (cb_fn == NULL) return type_error(env, "call_cb: set_callback() first");
    napi_env saved = cb_env;
    cb_env = env;
    int r = call_cb(callback_trampoline, x);
    cb_env = saved;
    napi_value out;
    CHECK(napi_create_int32(env, r, &out), "call_cb: napi_create_int32 failed");
    return out; /* a pending exception from the callback wins over this value */
}

/* qsort's comparator: reads both ints, calls the stored JS function with them. */
static int compare_trampoline(const void *pa, const void *pb) {
    int32_t args[2] = {*(const int *)pa, *(const int *)pb};
    return call_js_int(cmp_fn, 2, args);
}

static napi_value js_qsort_i32(napi_env env, napi_callback_info info) {
    GET_ARGS(1);
    napi_typedarray_type type;
    size_t length;
    void *data;
    CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL),
          "qsort_i32: a must be an Int32Array");
    if (type != napi_int32_array) return type_error(env, "qsort_i32: a must be an Int32Array");
    if (cmp_fn == NULL) return type_error(env, "qsort_i32: set_comparator() first");
    napi_env saved = cb_env;
    cb_env = env;
    qsort(data, length, sizeof(int), compare_trampoline);
    cb_env = saved;
    return NULL;
}

/* ---- primes (synchronous) ------------------------------------------------ */

/* An Int32Array argument's data and length, or false (and a pending TypeError). */
static bool get_int32_array(napi_env env, napi_value v, int **data, size_t *length, const char *what) {
    napi_typedarray_type type;
    void *p;
    if (napi_get_typedarray_info(env, v, &type, length, &p, NULL, NULL) != napi_ok || type != napi_int32_array ||
        *length > 0x7fffffff) {
        napi_throw_type_error(env, NULL, what);
        return false;
    }
    *data = p;
    return true;
}

static napi_value js_num_primes(napi_env env, napi_callback_info info) {
    GET_ARGS(1);
    int *data;
    size_t length;
    if (!get_int32_array(env, argv[0], &data, &length, "num_primes: a must be an Int32Array")) return NULL;
    napi_value out;
    CHECK(napi_create_int32(env, num_primes((int)length, data), &out), "num_primes: napi_create_int32 failed");
    return out;
}

/* ---- JS arrays -> C int arrays ------------------------------------------ */

/* A plain JS Array of numbers -> a malloc'd int32_t array (*out, *length);
 * false (and a pending error) on a non-array, a non-number element or no
 * memory. The caller frees *out. */
static bool js_array_to_int32(napi_env env, napi_value v, int32_t **out, uint32_t *length, const char *what) {
    bool is_array;
    if (napi_is_array(env, v, &is_array) != napi_ok || !is_array || napi_get_array_length(env, v, length) != napi_ok) {
        napi_throw_type_error(env, NULL, what);
        return false;
    }
    int32_t *p = malloc(*length ? *length * sizeof *p : 1);
    if (p == NULL) {
        napi_throw_error(env, NULL, "out of memory");
        return false;
    }
    for (uint32_t k = 0; k < *length; k++) {
        napi_value e;
        if (napi_get_element(env, v, k, &e) != napi_ok || napi_get_value_int32(env, e, &p[k]) != napi_ok) {
            free(p);
            napi_throw_type_error(env, NULL, what);
            return false;
        }
    }
    *out = p;
    return true;
}

/* sum_i32_array / num_primes_array: convert the JS array, make the C call, free. */
enum array_kind { ARRAY_SUM_I32, ARRAY_NUM_PRIMES };

static napi_value call_on_js_array(napi_env env, napi_callback_info info, enum array_kind kind, const char *what) {
    GET_ARGS(1);
    int32_t *p;
    uint32_t n;
    if (!js_array_to_int32(env, argv[0], &p, &n, what)) return NULL;
    napi_status st;
    napi_value out;
    if (kind == ARRAY_SUM_I32) {
        st = napi_create_bigint_int64(env, sum_i32(p, n), &out);
    } else {
        st = n > 0x7fffffff ? napi_invalid_arg : napi_create_int32(env, num_primes((int)n, p), &out);
    }
    free(p);
    CHECK(st, what);
    return out;
}

static napi_value js_sum_i32_array(napi_env env, napi_callback_info info) {
    return call_on_js_array(env, info, ARRAY_SUM_I32, "sum_i32_array: a must be an array of numbers");
}

static napi_value js_num_primes_array(napi_env env, napi_callback_info info) {
    return call_on_js_array(env, info, ARRAY_NUM_PRIMES, "num_primes_array: a must be an array of at most 2^31-1 numbers");
}

/* ---- async calls ---------------------------------------------------------- */

enum async_kind { ASYNC_ADD_I32, ASYNC_NUM_PRIMES };

typedef struct async_call {
    napi_async_work work;
    napi_deferred deferred;
    napi_ref keep; /* the typed array, alive until the promise settles */
    enum async_kind kind;
    int a, b;      /* add_i32's arguments */
    int n;         /* num_primes' arguments */
    int *p;
    int result;
} async_call;

static void async_execute(napi_env env, void *data) {
    (void)env;
    async_call *c = data;
    switch (c->kind) {
    case ASYNC_ADD_I32: c->result = add_i32(c->a, c->b); break;
    case ASYNC_NUM_PRIMES: c->result = num_primes(c->n, c->p); break;
    }
}

static void async_complete(napi_env env, napi_status status, void *data) {
    async_call *c = data;
    napi_value value;
    if (status == napi_ok && napi_create_int32(env, c->result, &value) == napi_ok) {
        napi_resolve_deferred(env, c->deferred, value);
    } else {
        napi_value msg, err;
        napi_create_string_utf8(env, status == napi_cancelled ? "async call cancelled" : "async call failed",
                                NAPI_AUTO_LENGTH, &msg);
        napi_create_error(env, NULL, msg, &err);
        napi_reject_deferred(env, c->deferred, err);
    }
    if (c->keep != NULL) napi_delete_reference(env, c->keep);
    napi_delete_async_work(env, c->work);
    free(c);
}

/* Queue c (filled in by the caller) and return its promise; frees c on failure. */
static napi_value start_async(napi_env env, async_call *c, napi_value keep) {
    napi_value promise, name;
    if (napi_create_promise(env, &c->deferred, &promise) != napi_ok) {
        free(c);
        return type_error(env, "napi_create_promise failed");
    }
    if ((keep != NULL && napi_create_reference(env, keep, 1, &c->keep) != napi_ok) ||
        napi_create_string_utf8(env, "bench_napi_async", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_async_work(env, NULL, name, async_execute, async_complete, c, &c->work) != napi_ok ||
        napi_queue_async_work(env, c->work) != napi_ok) {
        /* the deferred is left unsettled: only if Node-API itself fails */
        if (c->keep != NULL) napi_delete_reference(env, c->keep);
        free(c);
        return type_error(env, "could not queue the async work");
    }
    return promise;
}

static napi_value js_add_i32_async(napi_env env, napi_callback_info info) {
    GET_ARGS(2);
    int32_t a, b;
    CHECK(napi_get_value_int32(env, argv[0], &a), "add_i32_async: a must be a number");
    CHECK(napi_get_value_int32(env, argv[1], &b), "add_i32_async: b must be a number");
    async_call *c = calloc(1, sizeof *c);
    if (c == NULL) return type_error(env, "add_i32_async: out of memory");
    c->kind = ASYNC_ADD_I32;
    c->a = a;
    c->b = b;
    return start_async(env, c, NULL);
}

static napi_value js_num_primes_async(napi_env env, napi_callback_info info) {
    GET_ARGS(1);
    int *data;
    size_t length;
    if (!get_int32_array(env, argv[0], &data, &length, "num_primes_async: a must be an Int32Array")) return NULL;
    async_call *c = calloc(1, sizeof *c);
    if (c == NULL) return type_error(env, "num_primes_async: out of memory");
    c->kind = ASYNC_NUM_PRIMES;
    c->n = (int)length;
    c->p = data;
    return start_async(env, c, argv[0]);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
    napi_property_descriptor props[] = {
        {"noop", NULL, js_noop, NULL, NULL, NULL, napi_enumerable, NULL},
        {"add_i32", NULL, js_add_i32, NULL, NULL, NULL, napi_enumerable, NULL},
        {"add_f64", NULL, js_add_f64, NULL, NULL, NULL, napi_enumerable, NULL},
        {"add_f32", NULL, js_add_f32, NULL, NULL, NULL, napi_enumerable, NULL},
        {"add_i64", NULL, js_add_i64, NULL, NULL, NULL, napi_enumerable, NULL},
        {"mix6", NULL, js_mix6, NULL, NULL, NULL, napi_enumerable, NULL},
        {"sum_buf", NULL, js_sum_buf, NULL, NULL, NULL, napi_enumerable, NULL},
        {"str_len", NULL, js_str_len, NULL, NULL, NULL, napi_enumerable, NULL},
        {"vec2_add", NULL, js_vec2_add, NULL, NULL, NULL, napi_enumerable, NULL},
        {"mixed_add", NULL, js_mixed_add, NULL, NULL, NULL, napi_enumerable, NULL},
        {"set_callback", NULL, js_set_callback, NULL, NULL, NULL, napi_enumerable, NULL},
        {"call_cb", NULL, js_call_cb, NULL, NULL, NULL, napi_enumerable, NULL},
        {"set_comparator", NULL, js_set_comparator, NULL, NULL, NULL, napi_enumerable, NULL},
        {"qsort_i32", NULL, js_qsort_i32, NULL, NULL, NULL, napi_enumerable, NULL},
        {"add_i32_async", NULL, js_add_i32_async, NULL, NULL, NULL, napi_enumerable, NULL},
        {"num_primes", NULL, js_num_primes, NULL, NULL, NULL, napi_enumerable, NULL},
        {"num_primes_async", NULL, js_num_primes_async, NULL, NULL, NULL, napi_enumerable, NULL},
        {"sum_i32_array", NULL, js_sum_i32_array, NULL, NULL, NULL, napi_enumerable, NULL},
        {"num_primes_array", NULL, js_num_primes_array, NULL, NULL, NULL, napi_enumerable, NULL},
    };
    if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
        napi_throw_error(env, NULL, "bench_napi: napi_define_properties failed");
        return NULL;
    }
    return exports;
}
