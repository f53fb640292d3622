'use strict';
// koffi 2.x: declare each function from a C prototype string.
// Strings are passed as `const char *`, the buffer as `const uint8_t *`
// (koffi passes a Uint8Array's memory directly).

module.exports = {
  name: 'koffi',

  // Parent process, before the child is started.
  prepare(ctx) {
    ctx.ensureDeps();
  },

  // Child process.
  setup(ctx) {
    const koffi = require('koffi');
    const lib = koffi.load(ctx.libPath);
    const { buf64, str, mix } = ctx.inputs;
    return {
      version: `koffi ${require('koffi/package.json').version}`,
      shapes: {
        noop: () => {
          const f = lib.func('void noop(void)');
          return () => f();
        },
        add_i32: () => {
          const f = lib.func('int add_i32(int a, int b)');
          return (i) => f(i, 7);
        },
        add_f64: () => {
          const f = lib.func('double add_f64(double a, double b)');
          return (i) => f(i, 0.5);
        },
        mix6: () => {
          const f = lib.func('double mix6(int a, double b, int64_t c, float d, uint8_t e, double f)');
          const { a, b, c, d, e, f: g } = mix;
          return () => f(a, b, c, d, e, g);
        },
        sum_buf: () => {
          const f = lib.func('int64_t sum_buf(const uint8_t *p, size_t n)');
          return () => f(buf64, 64);
        },
        str_len: () => {
          const f = lib.func('size_t str_len(const char *s)');
          return () => f(str);
        },
      },
    };
  },
};
