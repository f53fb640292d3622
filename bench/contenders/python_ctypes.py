#!/usr/bin/env python3
"""Python 3's ctypes calling the same libbench.so: the benchmark's `python` contender.

Started by bench/contenders/python.js in place of bench/child.js, with the
same flags (--contender, --shapes, --mode, --app, --repeats, --time) plus
--settings=<json>: the timing modes of bench/config.js, the result marker and,
per shape, its timing fields and the results it must return (computed by
bench/shapes.js), so the shapes stay defined in one place. Prints one line,
the marker + JSON, in child.js's format.

Timing follows bench/timing.js: probe call(0), calibrate (double the count
until a run takes calibrateMs), warm up for warmupMs and re-pick N so one
measurement takes ~targetMs, then `repeats` measurements of N calls (garbage
collected before each) and their median. Each loop consumes every result
(`acc += call(i)`, or keeps the last one) as the JS loops do. As in the JS
children, the loop's own cost is measured once around `lambda i: i` and
reported (loopOverheadNs), not subtracted: every number is what one call
costs in a Python loop, as every JS number is what it costs in a JS loop.

Python has no Promises: the async shapes use a ThreadPoolExecutor (ctypes
releases the GIL during a foreign call): async_call is
`pool.submit(add_i32, i, 7).result()`, and primes_parallel's `two` submits
both halves and adds the two results. For conv_1m and primes_e2e the "JS
array" is a Python list, converted with `(c_int32 * N)(*the_list)`.
"""

import ctypes
import ctypes.util
import gc
import math
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_float, c_int, c_int32, c_int64,
                    c_size_t, c_uint8, c_void_p)

now_ns = time.perf_counter_ns
MAX_N = 2 ** 30


def parse_args(argv):
    out = {}
    for a in argv:
        if a.startswith('--'):
            key, _, value = a[2:].partition('=')
            out[key] = value if _ else True
    return out


# --- timing (bench/timing.js, in Python) -------------------------------------

def kind_of(value):
    if value is None:
        return 'void'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 'number'
    return 'other'


LOOPS = {
    'void': 'def loop(call, n):\n    for i in range(n):\n        call(i)\n    return n\n',
    'number': 'def loop(call, n):\n    acc = 0\n    for i in range(n):\n        acc += call(i)\n    return acc\n',
    'other': 'def loop(call, n):\n    last = None\n    for i in range(n):\n        last = call(i)\n    return last\n',
}


def make_loop(kind):
    scope = {}
    exec(LOOPS[kind], scope)  # a fresh function per measured closure, as timing.js makes
    return scope['loop']


checksum = 0


def fold(result):
    global checksum
    if isinstance(result, float):
        checksum = (checksum + (result if result == result and abs(result) != float('inf') else 0)) % 1e12
    elif isinstance(result, int):
        checksum = (checksum + result % 1000003) % 1e12
    elif result is not None:
        checksum = (checksum + 1) % 1e12


def time_run(loop, call, n):
    t0 = now_ns()
    result = loop(call, n)
    return now_ns() - t0, result


def pick_n(ns_per_call, opts):
    min_n = opts.get('minN') or 1000
    return max(min_n, min(MAX_N, math.ceil(opts['targetMs'] * 1e6 / max(ns_per_call, 0.05))))


def prepare_part(call, opts, probe, probe_ns):
    """Calibrate and warm up one closure; returns its loop and N."""
    loop = make_loop(kind_of(probe))
    if probe_ns is not None and probe_ns >= opts['calibrateMs'] * 1e6:
        n_calls = pick_n(probe_ns, opts)
    else:
        n = opts.get('startN') or 256
        ns, result = time_run(loop, call, n)
        while ns < opts['calibrateMs'] * 1e6 and n < MAX_N:
            n = min(MAX_N, n * 2)
            ns, result = time_run(loop, call, n)
        fold(result)
        n_calls = pick_n(ns / n, opts)
    end = now_ns() + int(opts['warmupMs'] * 1e6)
    while True:
        ns, result = time_run(loop, call, n_calls)
        fold(result)
        if now_ns() >= end:
            break
    return loop, pick_n(ns / n_calls, opts)


def measure_parts(calls, opts, probes):
    """calls: {part: closure}; measurements of the parts interleaved (part a, part b, ...)."""
    state = {}
    for part, call in calls.items():
        loop, n = prepare_part(call, opts, *probes[part])
        state[part] = (call, loop, n, [], kind_of(probes[part][0]))
    for _ in range(opts['repeats']):
        for part, (call, loop, n, samples, _kind) in state.items():
            gc.collect()
            ns, result = time_run(loop, call, n)
            fold(result)
            samples.append(ns / n)
    out = {}
    for part, (_call, _loop, n, samples, kind) in state.items():
        out[part] = {
            'nsPerCall': statistics.median(samples),
            'min': min(samples),
            'max': max(samples),
            'samples': samples,
            'callsPerRun': n,
            'resultKind': kind,
        }
    return out


def same_result(got, want):
    if want is None:
        return got is None
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return got == want or abs(got - want) <= 1e-9 * abs(want)


def verify(shape, call, part=None):
    """Checks call(i) at the shape's checkAt counters; returns (call(0), its time in ns)."""
    first = first_ns = None
    at = shape['checkAt']
    for i, want in zip(at, shape['expected']):
        t0 = now_ns()
        got = call(i)
        if i == at[0]:
            first, first_ns = got, now_ns() - t0
        if not same_result(got, want):
            where = f' of part {part}' if part else ''
            raise AssertionError(f'wrong result{where} for i={i}: got {got!r}, expected {want}')
    if at[0] != 0:
        return call(0), None
    return first, first_ns


def measure_shape(shape, factory, mode):
    timing = shape.get('timing') or {}
    opts = {**mode, **timing}
    for key in ('targetMs', 'warmupMs'):
        if key in timing:
            opts[key] = min(mode[key], timing[key])
    if mode.get('timeGiven'):
        opts['targetMs'] = mode['targetMs']
    made = factory()
    calls = made if shape.get('parts') else {'main': made}
    probes = {part: verify(shape, calls[part], part if shape.get('parts') else None) for part in calls}
    parts = measure_parts(calls, opts, probes)
    if not shape.get('parts'):
        return parts['main']
    result = {**parts[shape.get('main') or shape['parts'][0]], 'parts': parts}
    if shape.get('speedup'):
        a, b = (parts[p]['samples'] for p in shape['speedup'])
        result['speedup'] = statistics.median(x / y for x, y in zip(a, b))
    return result


# --- the shapes, in ctypes ------------------------------------------------------

class Vec2(Structure):
    _fields_ = [('x', c_double), ('y', c_double)]


class Mixed(Structure):
    _fields_ = [('a', c_int32), ('b', c_int32), ('c', c_int64)]


def declare(lib, name, restype, argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = argtypes
    return f


def qsort_data(n):
    """The LCG of bench/shapes.js qsortData(): n ints in [0, 2**20)."""
    data = (c_int * n)()
    seed = 12345
    for k in range(n):
        seed = (seed * 1103515245 + 12345) & 0xFFFFFFFF
        data[k] = seed >> 12
    return data


def sorted_checksum(a):
    """bench/shapes.js sortedChecksum(): h = (h * 31 + a[k]) | 0 over the array."""
    h = 0
    for v in a:
        h = (h * 31 + v) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def primes_halves(n, block):
    """primes_parallel's two halves of 0..n-1, dealt out in blocks (shapes.js primesData())."""
    halves = []
    for h in (0, 1):
        values = []
        for start in range(h * block, n, 2 * block):
            values.extend(range(start, min(start + block, n)))
        halves.append((c_int * len(values))(*values))
    return halves


def make_shapes(lib_path, inputs):
    lib = ctypes.CDLL(lib_path)
    noop = declare(lib, 'noop', None, [])
    add_i32 = declare(lib, 'add_i32', c_int, [c_int, c_int])
    add_f64 = declare(lib, 'add_f64', c_double, [c_double, c_double])
    add_f32 = declare(lib, 'add_f32', c_float, [c_float, c_float])
    add_i64 = declare(lib, 'add_i64', c_int64, [c_int64, c_int64])
    mix6 = declare(lib, 'mix6', c_double, [c_int, c_double, c_int64, c_float, c_uint8, c_double])
    mix6p = declare(lib, 'mix6p', c_double, [c_int, c_double, c_int64, c_float, c_void_p, c_double])
    sum_buf = declare(lib, 'sum_buf', c_int64, [POINTER(c_uint8), c_size_t])
    str_len = declare(lib, 'str_len', c_size_t, [c_char_p])
    vec2_add = declare(lib, 'vec2_add', Vec2, [Vec2, Vec2])
    mixed_add = declare(lib, 'mixed_add', Mixed, [Mixed, Mixed])
    CB = CFUNCTYPE(c_int, c_int)
    call_cb = declare(lib, 'call_cb', c_int, [CB, c_int])
    sum_i32 = declare(lib, 'sum_i32', c_int64, [POINTER(c_int32), c_size_t])
    num_primes = declare(lib, 'num_primes', c_int, [c_int, POINTER(c_int)])
    pool = ThreadPoolExecutor(max_workers=4)  # libuv's default pool size
    n1m = inputs['n1m']

    def s_add_i64():
        a = 2 ** 40
        return lambda i: add_i64(a, 7)

    def s_mix6():
        m = inputs['mix']
        a, b, c, d, e, f = m['a'], m['b'], m['c'], m['d'], m['e'], m['f']
        return lambda i: mix6(a, b, c, d, e, f)

    def s_attr_i32():
        # ctypes' own style: the attribute is looked up on every call.
        lib.add_i32.argtypes = [c_int, c_int]
        lib.add_i32.restype = c_int
        return lambda i: lib.add_i32(i, 7)

    def s_mix6p():
        m = inputs['mix']
        a, b, c, d, f = m['a'], m['b'], m['c'], m['d'], m['f']
        cbuf = ctypes.create_string_buffer(bytes([m['e']]), inputs['mixBufSize'])
        return lambda i: mix6p(a, b, c, d, cbuf, f)

    def s_arr_rw():
        spec = inputs['arr']
        a = (c_int * spec['length'])()
        fixed = spec['fixed']
        a[fixed] = spec['value']

        def op(i):
            v = a[fixed] + i
            a[i & 31] = v
            return v
        return op

    def s_sum_buf():
        buf64 = (c_uint8 * 64)(*range(64))  # made once, like the JS Uint8Array
        return lambda i: sum_buf(buf64, 64)

    def s_str_len():
        s = inputs['str']  # a str: c_char_p takes bytes, so each call encodes it (UTF-8), as JS FFIs do
        return lambda i: str_len(s.encode())

    def s_struct_rw():
        p = Vec2(**inputs['vec']['p'])

        def op(i):
            p.x = v = p.y + i
            return v
        return op

    def s_vec2_byval():
        a, b = Vec2(**inputs['vec']['a']), Vec2(**inputs['vec']['b'])

        def op(i):
            r = vec2_add(a, b)
            return r.x + r.y
        return op

    def s_mixed_byval():
        p, q = Mixed(**inputs['mixed']['p']), Mixed(**inputs['mixed']['q'])

        def op(i):
            r = mixed_add(p, q)
            return r.a + r.b + r.c
        return op

    def s_callback():
        cb = CB(lambda x: x + 1)
        return lambda i: call_cb(cb, i)

    def s_qsort():
        # The ctypes documentation's qsort: a CFUNCTYPE comparator on POINTER(c_int)s.
        libc = ctypes.CDLL(ctypes.util.find_library('c'))
        CMP = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
        qsort = declare(libc, 'qsort', None, [c_void_p, c_size_t, c_size_t, CMP])
        cmp = CMP(lambda a, b: a[0] - b[0])
        n = inputs['qsortN']
        data = qsort_data(n)
        work = (c_int * n)()
        size = ctypes.sizeof(work)

        def op(i):
            ctypes.memmove(work, data, size)  # work.set(data)
            qsort(work, n, 4, cmp)
            return sorted_checksum(work)
        return op

    def s_conv_1m():
        ints = list(range(n1m))  # the "JS array": a Python list of ints
        Arr = c_int32 * n1m
        return lambda i: sum_i32(Arr(*ints), n1m)

    def s_primes_e2e():
        ints = list(range(n1m))
        Arr = c_int * n1m
        return lambda i: num_primes(n1m, Arr(*ints))

    def s_async_call():
        return lambda i: pool.submit(add_i32, i, 7).result()

    def s_primes_parallel():
        all_ = (c_int * n1m)(*range(n1m))
        h0, h1 = primes_halves(n1m, inputs['primesBlock'])
        n0, n1 = len(h0), len(h1)

        def two(i):
            f0 = pool.submit(num_primes, n0, h0)
            f1 = pool.submit(num_primes, n1, h1)
            return f0.result() + f1.result()
        return {'one': lambda i: num_primes(n1m, all_), 'two': two}

    def keep_callback():
        """The realistic mode's live callback, stored by C (keep_cb)."""
        cb = CB(lambda x: x + 1)
        declare(lib, 'keep_cb', None, [CB])(cb)
        call_kept = declare(lib, 'call_kept', c_int, [c_int])
        return lambda x, cb=cb: call_kept(x)  # cb: kept referenced (ctypes frees an unreferenced CFUNCTYPE)

    return keep_callback, {
        'noop': lambda: lambda i: noop(),
        'add_i32': lambda: lambda i: add_i32(i, 7),
        'attr_i32': s_attr_i32,
        'add_f64': lambda: lambda i: add_f64(i, 0.5),
        'add_f32': lambda: lambda i: add_f32(i, 0.5),
        'add_i64': s_add_i64,
        'mix6': s_mix6,
        'mix6p': s_mix6p,
        'sum_buf': s_sum_buf,
        'str_len': s_str_len,
        'struct_rw': s_struct_rw,
        'arr_rw': s_arr_rw,
        'vec2_byval': s_vec2_byval,
        'mixed_byval': s_mixed_byval,
        'callback': s_callback,
        'qsort_10k': s_qsort,
        'conv_1m': s_conv_1m,
        'primes_e2e': s_primes_e2e,
        'async_call': s_async_call,
        'primes_parallel': s_primes_parallel,
    }


def main():
    args = parse_args(sys.argv[1:])
    settings = json.loads(args['settings'])
    marker = settings['marker']
    mode = dict(settings['modes']['quick' if args.get('mode') == 'quick' else 'full'])
    if args.get('repeats'):
        mode['repeats'] = max(1, int(args['repeats']))
    if args.get('time'):
        mode['targetMs'] = max(1.0, float(args['time']))
        mode['timeGiven'] = True
    shapes = {s['name']: s for s in settings['shapes']}
    wanted = [s for s in str(args.get('shapes', '')).split(',') if s] or list(shapes)

    result = {'contender': args.get('contender', 'python'), 'available': False, 'shapes': {}}
    try:
        keep_callback, factories = make_shapes(settings['libPath'], settings['inputs'])
    except Exception as err:  # unavailable, with the reason
        result['error'] = f'{type(err).__name__}: {err}'
        print(marker + json.dumps(result), flush=True)
        return
    result['available'] = True
    result['version'] = f'Python {sys.version.split()[0]} ctypes {ctypes.__version__}'

    if mode.get('measureLoopOverhead'):
        probe = ((lambda i: i)(0), None)
        overhead = measure_parts({'main': lambda i: i}, {**mode, 'warmupMs': mode['warmupMs'] / 2}, {'main': probe})
        result['loopOverheadNs'] = overhead['main']['nsPerCall']

    # The realistic mode (--app, as in child.js): every factory first, then a
    # callback that C keeps, called before and after the shapes.
    app = bool(args.get('app'))
    made = {}
    live = None
    if app:
        result['app'] = True
        for name in factories:  # every shape, also those not timed in this run (child.js)
            if name in shapes:
                try:
                    closure = factories[name]()
                    made[name] = lambda closure=closure: closure
                except Exception as err:
                    made[name] = err
        live = keep_callback()
        result['live'] = {'status': 'ok'} if live(41) == 42 else {'status': 'error', 'error': 'the kept callback failed at start-up'}

    for name in wanted:
        shape = shapes.get(name)
        if shape is None:
            result['shapes'][name] = {'status': 'error', 'error': f'unknown shape "{name}"'}
            continue
        factory = made.get(name, factories.get(name))
        if factory is None:
            result['shapes'][name] = {'status': 'n/a'}
            continue
        try:
            if isinstance(factory, Exception):
                raise RuntimeError(f'declaration failed: {factory}')
            m = measure_shape(shape, factory, mode)
            result['shapes'][name] = {'status': 'ok', **m}
            unit = shape.get('unit') or 'call'
            lines = [(f'{name}.{part}', pm) for part, pm in m['parts'].items()] if 'parts' in m else [(name, m)]
            for label, pm in lines:
                sys.stderr.write(f"  {'python':<10} {label:<10} {pm['nsPerCall']:>11.1f} ns/{unit}"
                                 f"  (min {pm['min']:.1f} ns, max {pm['max']:.1f} ns, {len(pm['samples'])} x {pm['callsPerRun']})\n")
            if 'speedup' in m:
                sys.stderr.write(f"  {'python':<10} {name} speed-up {'/'.join(shape['speedup'])}: {m['speedup']:.2f}x\n")
        except Exception as err:
            result['shapes'][name] = {'status': 'error', 'error': f'{type(err).__name__}: {err}'}
            sys.stderr.write(f"  {'python':<10} {name:<10} error: {err}\n")
    if live is not None and live(41) != 42:
        result['live'] = {'status': 'error', 'error': 'the kept callback failed after the shapes'}
    result['checksum'] = checksum
    print(marker + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
